package listing

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/regionerna/saq/internal/assessment"
)

// Catalog is every summary at one moment, for lists and figures. It is
// immutable once made; the orders the list sorts by, the dashboards and the
// annual figures are made from it on first use and kept, so that a list over
// 100 000 follow-ups filters one presorted order instead of sorting, and a
// dashboard is summed once per change rather than once per request.
//
// What a list filters and searches on is kept apart from the summaries, in
// a few contiguous arrays: a list walks 100 000 follow-ups, and following a
// pointer to each summary's own strings costs a cache miss apiece, ten
// times the comparison.
type Catalog struct {
	all  []*assessment.Summary
	keys []key // by position in all
	// text is every summary's searchable texts (Summary.Searchable), each
	// ended by a NUL; summary i's end at ends[i].
	text  string
	ends  []int
	codes map[string]uint16 // regions, risk areas and statuses, numbered

	mu         sync.Mutex
	orders     map[string][]int32      // positions in all
	dashboards map[[2]string]Dashboard // region, today
}

// key is what the list's field filters compare, as small numbers.
type key struct {
	region, area, status uint16
	band                 uint8
}

var bandCodes = map[string]uint8{"none": 1, "low": 2, "mid": 3, "high": 4}

// NewCatalog makes a catalog of all. It keeps the pointers: the summaries
// must not change afterwards (a changed summary is a new one).
func NewCatalog(all []*assessment.Summary) *Catalog {
	c := &Catalog{all: all, keys: make([]key, len(all)), ends: make([]int, len(all)), codes: map[string]uint16{},
		orders: map[string][]int32{}, dashboards: map[[2]string]Dashboard{}}
	var text strings.Builder
	for i, s := range all {
		c.keys[i] = key{region: c.code(s.Region), area: c.code(s.RiskArea), status: c.code(string(s.Status)), band: bandCodes[band(s.Total)]}
		for _, t := range s.Searchable() {
			text.WriteString(t)
			text.WriteByte(0)
		}
		c.ends[i] = text.Len()
	}
	c.text = text.String()
	return c
}

// code numbers a value while the catalog is made.
func (c *Catalog) code(v string) uint16 {
	n, ok := c.codes[v]
	if !ok {
		n = uint16(len(c.codes) + 1)
		c.codes[v] = n
	}
	return n
}

// Summaries returns copies of the summaries that match f.
func (c *Catalog) Summaries(f assessment.Filter) []assessment.Summary {
	out := []assessment.Summary{}
	for _, s := range c.all {
		if f.Holds(s) {
			out = append(out, *s)
		}
	}
	return out
}

// IDs returns the ids of the summaries keep holds for, without copying
// the summaries: for jobs that look over all of them.
func (c *Catalog) IDs(keep func(*assessment.Summary) bool) []string {
	var ids []string
	for _, s := range c.all {
		if keep(s) {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// Select is Select(all, q, today) on the catalog's summaries.
func (c *Catalog) Select(q Query, today string) Page {
	q.Search = strings.ToLower(strings.TrimSpace(q.Search))
	q.PerPage, q.Page = perPage(q.PerPage), max(q.Page, 1)
	p := Page{Page: q.Page, PerPage: q.PerPage}
	want, ok := c.want(q)
	if !ok {
		return p
	}
	var found []uint64
	if q.Search != "" {
		found = c.search(q.Search)
	}
	from := (q.Page - 1) * q.PerPage
	by := order(q.Sort)
	for _, i := range c.order(q.Sort) {
		if k := c.keys[i]; want.region != 0 && k.region != want.region || want.area != 0 && k.area != want.area ||
			want.status != 0 && k.status != want.status || want.band != 0 && k.band != want.band ||
			found != nil && found[i/64]&(1<<(i%64)) == 0 {
			continue
		}
		if s := c.all[i]; q.OrgNumber != "" && s.OrgNumber != q.OrgNumber || !q.matchesRest(s, today) {
			continue
		}
		switch s := c.all[i]; {
		case q.After != nil:
			if len(p.Items) < q.PerPage && by(s, q.After.summary()) > 0 {
				p.Items = append(p.Items, *s)
			}
		case q.Before != nil:
			if by(s, q.Before.summary()) < 0 { // the last PerPage of those before it
				if p.Items = append(p.Items, *s); len(p.Items) > q.PerPage {
					p.Items = p.Items[1:]
				}
			}
		case p.Total >= from && p.Total < from+q.PerPage:
			p.Items = append(p.Items, *s)
		}
		p.Total++
	}
	return p
}

// want is the key a query's field filters ask for, 0 where they ask
// nothing; false when one asks for a value no summary has.
func (c *Catalog) want(q Query) (key, bool) {
	var k key
	for _, f := range []struct {
		v  string
		to *uint16
	}{{q.Region, &k.region}, {q.RiskArea, &k.area}, {string(q.Status), &k.status}} {
		if f.v != "" {
			if *f.to = c.codes[f.v]; *f.to == 0 {
				return k, false
			}
		}
	}
	if q.ScoreBand != "" && q.ScoreBand != "scored" && q.ScoreArea == "" { // an area's band, and any score, are judged per summary
		if k.band = bandCodes[q.ScoreBand]; k.band == 0 {
			return k, false
		}
	}
	return k, true
}

// search marks, one bit a summary, those whose text holds s (lower-cased).
func (c *Catalog) search(s string) []uint64 {
	found := make([]uint64, (len(c.all)+63)/64)
	if strings.IndexByte(s, 0) >= 0 {
		return found // no text holds a NUL; it would match across the ends
	}
	for at := 0; ; {
		n := strings.Index(c.text[at:], s)
		if n < 0 {
			return found
		}
		i := sort.SearchInts(c.ends, at+n+1) // the summary whose text holds the match
		found[i/64] |= 1 << (i % 64)
		at = c.ends[i]
	}
}

// Dashboard is MakeDashboard over a region's summaries ("" for all).
func (c *Catalog) Dashboard(region, today string) Dashboard {
	key := [2]string{region, today}
	c.mu.Lock()
	d, ok := c.dashboards[key]
	c.mu.Unlock()
	if ok {
		return d
	}
	d = MakeDashboard(c.Summaries(assessment.Filter{Region: region}), today)
	c.mu.Lock()
	c.dashboards[key] = d
	c.mu.Unlock()
	return d
}

// order is every position sorted for a sort key, made on first use.
func (c *Catalog) order(key string) []int32 {
	if !slices.Contains(Sorts, key) {
		key = "-issued"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if o, ok := c.orders[key]; ok {
		return o
	}
	o := make([]int32, len(c.all))
	for i := range o {
		o[i] = int32(i)
	}
	by := order(key)
	compare := func(a, b int32) int { return by(c.all[a], c.all[b]) }
	if strings.TrimPrefix(key, "-") == "supplier" { // by the names lower-cased once
		names := make([]string, len(c.all))
		for i, s := range c.all {
			names[i] = strings.ToLower(s.SupplierName)
		}
		sign := 1
		if strings.HasPrefix(key, "-") {
			sign = -1
		}
		compare = func(a, b int32) int {
			if n := strings.Compare(names[a], names[b]); n != 0 {
				return sign * n
			}
			return ties(c.all[a], c.all[b], sign)
		}
	}
	slices.SortFunc(o, compare)
	c.orders[key] = o
	return o
}
