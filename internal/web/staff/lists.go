package staff

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/web/api"
	"github.com/regionerna/saq/internal/web/core"
)

// Lists, the dashboard, the annual figures and the exports: all read the
// assessments' summaries, never their answers.
func (s *handlers) listRoutes() {
	s.Handle("GET", "/api/v1/assessments", account.ReadAssessments, s.apiList)
	s.Handle("GET", "/api/v1/assessments.csv", account.ReadAssessments, s.exportCSV)
	s.Handle("GET", "/api/v1/assessments.xlsx", account.ReadAssessments, s.exportXLSX)
	s.Handle("GET", "/api/v1/dashboard", account.ReadAssessments, s.apiDashboard)
	s.Handle("GET", "/api/v1/stats", account.ReadAnnualFigures, s.apiStats)
	s.Handle("GET", "/assessments.csv", account.ReadAssessments, s.exportCSV)
	s.Handle("GET", "/assessments.xlsx", account.ReadAssessments, s.exportXLSX)
	s.Handle("GET", "/dashboard", account.ReadAssessments, s.dashboardPage)
	s.Handle("GET", "/stats", account.ReadAnnualFigures, s.statsPage)
}

// listQuery reads the list's filters from the query string; a bad value is
// refused with a message rather than ignored.
func (s *handlers) listQuery(c *fiber.Ctx) (listing.Query, error) {
	q := listing.Query{
		Filter:    assessment.Filter{Region: c.Query("region"), RiskArea: c.Query("riskArea"), Status: assessment.Status(c.Query("status"))},
		ScoreBand: c.Query("scoreBand"), Light: assessment.Light(c.Query("light")), Search: c.Query("q"), Sort: c.Query("sort", "-issued"),
		Overdue: flag(c.Query("overdue")), Undelivered: flag(c.Query("undelivered")), Risk: c.Query("risk"), ScoreArea: c.Query("area"),
	}
	var fields []apperr.Field
	bad := func(f, sv, en string) {
		fields = append(fields, apperr.Field{Field: f, Message: map[string]string{"sv": sv, "en": en}})
	}
	q.Region = regionParam(q.Region)
	if q.Status != "" && !slices.Contains(assessment.Statuses, q.Status) {
		bad("status", "Okänd status.", "Unknown status.")
	}
	if q.ScoreBand != "" && !slices.Contains(listing.ScoreBands, q.ScoreBand) {
		bad("scoreBand", "Poängintervallet är low, mid, high, none eller scored.", "The score band is low, mid, high, none or scored.")
	}
	if q.Light != "" && q.Light != assessment.Green && q.Light != assessment.Yellow && q.Light != assessment.Red {
		bad("light", "Trafikljuset är green, yellow eller red.", "The light is green, yellow or red.")
	}
	if q.Risk != "" && q.Risk != listing.RiskRated && !slices.Contains(listing.RiskLevels, q.Risk) {
		bad("risk", "Risken är low, medium, high eller rated.", "The risk is low, medium, high or rated.")
	}
	if q.ScoreArea != "" && !s.knownArea(q.ScoreArea) {
		bad("area", "Okänt område.", "Unknown area.")
	}
	if !slices.Contains(listing.Sorts, q.Sort) {
		bad("sort", "Okänd sortering.", "Unknown sort order.")
	}
	var err error
	if q.Page, err = strconv.Atoi(c.Query("page", "1")); err != nil || q.Page < 1 {
		bad("page", "Sidan är ett heltal från 1.", "The page is a whole number from 1.")
	}
	if q.PerPage, err = strconv.Atoi(c.Query("perPage", "50")); err != nil || q.PerPage < 1 || q.PerPage > 500 {
		bad("perPage", "Antal per sida är 1–500.", "Per page is 1–500.")
	}
	for _, at := range []struct {
		param string
		to    **listing.Cursor
	}{{"after", &q.After}, {"before", &q.Before}} {
		if v := c.Query(at.param); v != "" {
			if cur, ok := listing.ParseCursor(v); ok {
				*at.to = &cur
			} else {
				bad(at.param, "Länken till sidan är trasig; börja om från första sidan.", "The link to the page is broken; start again from the first page.")
			}
		}
	}
	if q.After != nil && q.Before != nil {
		bad("before", "Ange after eller before, inte båda.", "Give after or before, not both.")
	}
	if len(fields) > 0 {
		e := apperr.New(apperr.Invalid, "Kontrollera filtren.", "Check the filters.")
		e.Fields = fields
		return q, e
	}
	return q, nil
}

// knownArea tells whether id is an area of the requirement catalogue.
func (s *handlers) knownArea(id string) bool {
	if s.Set == nil {
		return false
	}
	_, ok := s.Set.Catalogue.Area(id)
	return ok
}

// flag reads a yes/no query parameter, as a checkbox or a client sends it.
func flag(v string) bool { return v == "true" || v == "1" || v == "on" }

// homeRegion is the region a list or dashboard opens on: a coordinator's
// own, where its work is; every region for auditors and the national
// office, who follow them all.
func homeRegion(p *account.Principal) string {
	if p.Role == account.Coordinator {
		return p.Region
	}
	return ""
}

// regionParam is the region a ?region= asks for: "all" (or nothing) is every region.
func regionParam(v string) string {
	if v == "all" {
		return ""
	}
	return v
}

func (s *handlers) apiList(c *fiber.Ctx) error {
	q, err := s.listQuery(c)
	if err != nil {
		return err
	}
	page, err := s.Lists.List(c.UserContext(), core.Principal(c), q)
	if err != nil {
		return err
	}
	out := fiber.Map{"items": api.SummariesOf(page.Items, s.Assessments.Today()), "total": page.Total, "page": page.Page, "perPage": page.PerPage, "pages": page.Pages()}
	// The next and the previous page, read from a row (keyset paging).
	if n := len(page.Items); n > 0 {
		if page.Page < page.Pages() {
			out["next"] = listing.CursorOf(&page.Items[n-1]).String()
		}
		if page.Page > 1 {
			out["prev"] = listing.CursorOf(&page.Items[0]).String()
		}
	}
	return c.JSON(out)
}

func (s *handlers) apiDashboard(c *fiber.Ctx) error {
	region := regionParam(c.Query("region"))
	d, err := s.Lists.Dashboard(c.UserContext(), core.Principal(c), region)
	if err != nil {
		return err
	}
	days, err := s.Lists.Trend(c.UserContext(), core.Principal(c), region)
	if err != nil {
		return err
	}
	type day struct {
		Day         string `json:"day"`
		Overdue     int    `json:"overdue"`
		Undelivered int    `json:"undelivered"`
	}
	trend := []day{}
	for _, t := range days {
		trend = append(trend, day{t.Day, t.Overdue, t.Undelivered})
	}
	today := s.Assessments.Today()
	rows := func(list []assessment.Summary) []api.Summary { return api.SummariesOf(list, today) }
	return c.JSON(fiber.Map{
		"byStatus": d.ByStatus, "lights": d.Lights, "overdueCount": d.OverdueCount, "overdue": rows(d.Overdue),
		"undeliveredCount": d.UndeliveredCount, "undelivered": rows(d.Undelivered),
		"riskByArea": d.RiskByArea, "riskByRegion": d.RiskByRegion, "areaBands": d.AreaBands, "trend": trend,
		"areaAverages": d.AreaAverages, "scored": d.Scored, "newest": rows(d.Newest),
	})
}

// stats are the annual figures for ?year= (this year by the service's
// clock when left out), as far as the caller may read them.
func (s *handlers) stats(c *fiber.Ctx) (listing.Stats, error) {
	year, err := strconv.Atoi(c.Query("year", strconv.Itoa(s.Assessments.Now().Year())))
	if err != nil {
		e := apperr.New(apperr.Invalid, "Ange ett år, t.ex. 2026.", "Give a year, e.g. 2026.")
		e.Fields = []apperr.Field{{Field: "year", Message: e.Message}}
		return listing.Stats{}, e
	}
	return s.Lists.Stats(c.UserContext(), core.Principal(c), year)
}

func (s *handlers) apiStats(c *fiber.Ctx) error {
	st, err := s.stats(c)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// exportColumn is a column of the exports: its header's message key and
// how its values are written.
type exportColumn struct {
	Header string
	Kind   cellKind
	Width  float64 // in characters, for the spreadsheet
}

// cellKind is how an export's value is written: text as it is, a number
// with the reader's decimal sign (a number in the spreadsheet), a day or a
// time in Swedish local time (a date in the spreadsheet).
type cellKind int

const (
	textCell cellKind = iota
	numberCell
	dayCell
	timeCell
)

// exportColumns are the exports' columns, in order.
var exportColumns = []exportColumn{
	{"x.supplier", textCell, 32}, {"x.orgNumber", textCell, 14}, {"x.country", textCell, 16}, {"x.region", textCell, 20},
	{"x.riskArea", textCell, 28}, {"x.contractRef", textCell, 16}, {"x.status", textCell, 18}, {"x.dueDate", dayCell, 12},
	{"x.overdue", textCell, 10}, {"x.undelivered", textCell, 12}, {"x.issuedAt", timeCell, 17}, {"x.submittedAt", timeCell, 17},
	{"x.closedAt", timeCell, 17}, {"x.progress", numberCell, 10}, {"x.claimed", numberCell, 12}, {"x.verified", numberCell, 12},
	{"x.judged", numberCell, 10}, {"x.judgeable", numberCell, 10}, {"x.risk", textCell, 10}, {"x.deviations", numberCell, 11},
	{"x.light", textCell, 10}, {"x.version", numberCell, 10}, {"x.reference", textCell, 26},
}

// exportRows are the list's rows for the exports, every match, unpaged,
// in the reader's words: names instead of ids, a value per column of
// exportColumns (string, *float64, int, a day as YYYY-MM-DD or time.Time).
func (s *handlers) exportRows(c *fiber.Ctx) ([][]any, error) {
	q, err := s.listQuery(c)
	if err != nil {
		return nil, err
	}
	list, err := s.Lists.Export(c.UserContext(), core.Principal(c), q)
	if err != nil {
		return nil, err
	}
	lang := core.Language(c)
	yes := func(b bool) string {
		if b {
			return i18n.T(lang, "x.yes")
		}
		return i18n.T(lang, "x.no")
	}
	today := s.Assessments.Today()
	var rows [][]any
	for _, sm := range list {
		risk := ""
		if sm.Risk != "" {
			risk = i18n.T(lang, "c.risk."+sm.Risk)
		}
		rows = append(rows, []any{sm.SupplierName, sm.OrgNumber, s.Org.CountryName(sm.Country, lang), s.Org.RegionName(sm.Region, lang),
			s.Org.RiskAreaName(sm.RiskArea, lang), sm.ContractRef, sm.Status.Label(lang), sm.DueDate, yes(sm.Overdue(today)), yes(sm.Undelivered()),
			sm.IssuedAt, sm.SubmittedAt, sm.ClosedAt, sm.Progress, sm.Total, sm.Verified, sm.Judged, sm.Judgeable, risk, len(sm.Deviations),
			i18n.T(lang, "c.light."+string(sm.Light(today))), sm.QuestionnaireVersion, sm.ID})
	}
	return rows, nil
}

// exportHeaders are the columns' headers in lang.
func exportHeaders(lang string) []string {
	out := make([]string, len(exportColumns))
	for i, col := range exportColumns {
		out[i] = i18n.T(lang, col.Header)
	}
	return out
}

// csvCell writes a value as a Swedish (or English) spreadsheet reads it
// from text: a decimal comma in Swedish, days as YYYY-MM-DD and times as
// "YYYY-MM-DD HH:MM" in Swedish local time.
func csvCell(lang string, v any) string {
	switch v := v.(type) {
	case string:
		return defuse(v)
	case int:
		return strconv.Itoa(v)
	case *float64:
		if v == nil {
			return ""
		}
		return i18n.Decimal(lang, *v, 1)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.In(i18n.Stockholm).Format("2006-01-02 15:04")
	}
	return fmt.Sprint(v)
}

// exportCSV writes the list as CSV with a BOM and semicolons, which is what
// Excel expects from a file in a Swedish locale.
func (s *handlers) exportCSV(c *fiber.Ctx) error {
	rows, err := s.exportRows(c)
	if err != nil {
		return err
	}
	lang := core.Language(c)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	if err := w.Write(exportHeaders(lang)); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, r := range rows {
		line := make([]string, len(r))
		for i, v := range r {
			line[i] = csvCell(lang, v)
		}
		if err := w.Write(line); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	w.Flush()
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+i18n.T(lang, "x.file")+`.csv"`)
	return c.Send(buf.Bytes())
}

// defuse keeps a spreadsheet from reading a supplier's text as a formula.
func defuse(cell string) string {
	if cell != "" && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r') {
		return "'" + cell
	}
	return cell
}

// exportXLSX writes the list as a workbook: a sheet named for what it
// holds, the header bold and frozen, columns wide enough, numbers as
// numbers and days and times as dates (Swedish local time).
func (s *handlers) exportXLSX(c *fiber.Ctx) error {
	rows, err := s.exportRows(c)
	if err != nil {
		return err
	}
	lang := core.Language(c)
	f := excelize.NewFile()
	defer f.Close()
	sheet := i18n.T(lang, "x.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	dayFmt, timeFmt, oneDec := "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0.0"
	day, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dayFmt})
	clock, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt})
	score, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &oneDec})
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for i, col := range exportColumns {
		if err := sw.SetColWidth(i+1, i+1, col.Width); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	header := make([]any, len(exportColumns))
	for i, h := range exportHeaders(lang) {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("xlsx header: %w", err)
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			switch v := v.(type) {
			case string:
				cells[j] = defuse(v) // a text cell is not a formula in XLSX, but becomes one when saved as CSV
				if exportColumns[j].Kind == dayCell {
					if d, err := time.Parse(time.DateOnly, v); err == nil {
						cells[j] = excelize.Cell{StyleID: day, Value: d}
					}
				}
			case *float64:
				if v != nil {
					cells[j] = excelize.Cell{StyleID: score, Value: *v}
				} else {
					cells[j] = nil
				}
			case time.Time:
				if !v.IsZero() {
					local := v.In(i18n.Stockholm)
					// The spreadsheet has no zones: the local wall clock, as the reader's.
					cells[j] = excelize.Cell{StyleID: clock, Value: time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), 0, 0, time.UTC)}
				} else {
					cells[j] = nil
				}
			default:
				cells[j] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("xlsx row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+i18n.T(lang, "x.file")+`.xlsx"`)
	return c.Send(buf.Bytes())
}

// assessmentsPage is the list with its filters, sort and pages.
func (s *handlers) assessmentsPage(c *fiber.Ctx) error {
	p := core.Principal(c)
	q, err := s.listQuery(c)
	if c.Query("region") == "" {
		q.Region = homeRegion(p)
	}
	var page listing.Page
	if err == nil {
		page, err = s.Lists.List(c.UserContext(), p, q)
	}
	data := fiber.Map{"Query": q, "CanIssue": account.Allowed(p, account.WriteAssessment, p.Region, "")}
	status := fiber.StatusOK
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok {
			return err
		}
		data["Error"], data["Fields"] = core.FieldErrors(err, core.Language(c))
		status = core.StatusOf[ae.Code]
	}
	lang := core.Language(c)
	today := s.Assessments.Today()
	type row struct {
		api.Summary
		StatusLabel       string
		Judged, Judgeable int // requirements the desk audit judged, of those that counted
	}
	rows := make([]row, len(page.Items))
	for i := range page.Items {
		it := &page.Items[i]
		rows[i] = row{api.SummaryOf(it, today), it.Status.Label(lang), it.Judged, it.Judgeable}
		if !it.Status.Reviewed() { // the light judges deviations, which only a review confirms
			rows[i].Light = ""
		}
	}
	data["Rows"], data["Page"] = rows, page
	data["Filters"] = s.filterOptions(lang)
	query := c.Request().URI().QueryArgs()
	// The next page is read after this page's last row, the previous one
	// before its first (keyset paging): a page deep in a long list costs
	// what the first does.
	data["PageLink"] = func(n int) string {
		args := fiber.AcquireArgs()
		defer fiber.ReleaseArgs(args)
		query.CopyTo(args)
		args.Del("after")
		args.Del("before")
		args.Set("page", strconv.Itoa(n))
		switch {
		case n == 1:
			args.Del("page")
		case n > page.Page && len(page.Items) > 0:
			args.Set("after", listing.CursorOf(&page.Items[len(page.Items)-1]).String())
		case n < page.Page && len(page.Items) > 0:
			args.Set("before", listing.CursorOf(&page.Items[0]).String())
		}
		return "?" + args.String()
	}
	data["Export"] = func(ext string) string {
		args := fiber.AcquireArgs()
		defer fiber.ReleaseArgs(args)
		query.CopyTo(args)
		args.Del("page")
		args.Del("perPage")
		args.Del("after")
		args.Del("before")
		return "/assessments." + ext + "?" + args.String()
	}
	return s.Render(c, status, "coordinator_list", data)
}

type filterOptions struct {
	Regions, RiskAreas, Statuses, Bands, Sorts, Lights, Risks []core.Option
}

func (s *handlers) filterOptions(lang string) filterOptions {
	var f filterOptions
	for _, r := range s.Org.Regions {
		f.Regions = append(f.Regions, core.Option{ID: r.ID, Label: r.Name.In(lang)})
	}
	for _, a := range s.Org.RiskAreas {
		f.RiskAreas = append(f.RiskAreas, core.Option{ID: a.ID, Label: a.Name.In(lang)})
	}
	for _, st := range assessment.Statuses {
		f.Statuses = append(f.Statuses, core.Option{ID: string(st), Label: st.Label(lang)})
	}
	for _, b := range listing.ScoreBands {
		f.Bands = append(f.Bands, core.Option{ID: b, Label: i18n.T(lang, "c.band."+b)})
	}
	for _, r := range append([]string{listing.RiskRated}, listing.RiskLevels...) {
		f.Risks = append(f.Risks, core.Option{ID: r, Label: i18n.T(lang, "c.risk.filter."+r)})
	}
	for _, so := range listing.Sorts {
		f.Sorts = append(f.Sorts, core.Option{ID: so, Label: i18n.T(lang, "c.sort."+so)})
	}
	for _, l := range []assessment.Light{assessment.Green, assessment.Yellow, assessment.Red} {
		f.Lights = append(f.Lights, core.Option{ID: string(l), Label: i18n.T(lang, "c.light."+string(l))})
	}
	return f
}

func (s *handlers) dashboardPage(c *fiber.Ctx) error {
	p := core.Principal(c)
	region := regionParam(c.Query("region", homeRegion(p)))
	d, err := s.Lists.Dashboard(c.UserContext(), p, region)
	if err != nil {
		return err
	}
	lang := core.Language(c)
	type areaRow struct {
		RiskArea string
		Scored   int
		Cells    []*float64
	}
	var areas []core.Option
	for _, a := range s.Set.Catalogue.Areas {
		areas = append(areas, core.Option{ID: a.ID, Label: a.Title.In(lang)})
	}
	var avg []areaRow
	for _, ra := range s.Org.RiskAreas {
		if d.Scored[ra.ID] == 0 {
			continue
		}
		r := areaRow{RiskArea: ra.Name.In(lang), Scored: d.Scored[ra.ID]}
		for _, a := range areas {
			var cell *float64
			if v, ok := d.AreaAverages[ra.ID][a.ID]; ok {
				cell = &v
			}
			r.Cells = append(r.Cells, cell)
		}
		avg = append(avg, r)
	}
	trend, err := s.Lists.Trend(c.UserContext(), p, region)
	if err != nil {
		return err
	}
	today := s.Assessments.Today()
	rows := func(list []assessment.Summary) []api.Summary { return api.SummariesOf(list, today) }
	return s.Render(c, fiber.StatusOK, "coordinator_dashboard", fiber.Map{
		"D": d, "Lights": lightCounts(d.Lights), "Areas": areas, "Averages": avg, "Overdue": rows(d.Overdue),
		"Undelivered": rows(d.Undelivered), "Newest": rows(d.Newest),
		"Region": region, "Filters": s.filterOptions(lang), "Charts": s.dashboardCharts(lang, region, d, trend),
	})
}

func (s *handlers) statsPage(c *fiber.Ctx) error {
	st, err := s.stats(c)
	if err != nil {
		return err
	}
	lang := core.Language(c)
	names := s.orgNames(lang)
	names["all"] = i18n.T(lang, "c.stats.all")
	var areas []core.Option
	for _, a := range s.Set.Catalogue.Areas {
		areas = append(areas, core.Option{ID: a.ID, Label: a.Title.In(lang)})
	}
	type table struct {
		Title string
		Rows  []listing.Figures
	}
	tables := []table{{"c.stats.byArea", st.RiskAreas}, {"c.stats.byRegion", st.Regions}, {"c.stats.total", []listing.Figures{st.Total}}}
	return s.Render(c, fiber.StatusOK, "coordinator_stats", fiber.Map{"S": st, "Names": names, "Areas": areas, "Tables": tables, "Prev": st.Year - 1, "Next": st.Year + 1,
		"Charts": s.statsCharts(lang, st, names)})
}

// orgNames are the names of the regions and risk areas in lang, by id.
func (s *handlers) orgNames(lang string) map[string]string {
	names := map[string]string{}
	for _, r := range s.Org.Regions {
		names[r.ID] = r.Name.In(lang)
	}
	for _, a := range s.Org.RiskAreas {
		names[a.ID] = a.Name.In(lang)
	}
	return names
}

// lightCounts keys the counts by plain strings, for the template's index.
func lightCounts(m map[assessment.Light]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}
