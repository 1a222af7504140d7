// Package followup carries out a follow-up from issue to submission:
// issuing (one, a campaign, or by reusing a recent submission), the
// supplier's link, answers and files, carrying answers forward, the
// supplier's side of the time and action plan, the invitation's fate,
// expiry, and the erasure of contacts.
package followup

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/orgnr"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
	"github.com/regionerna/saq/internal/secret"
)

// Service carries out the follow-up's operations from issue to submission:
// issuing, the supplier's link, answers, files, the supplier's side of the
// time and action plan, expiry and erasure.
type Service struct {
	assessment.Records
	catalogs Catalogs
	erasers  []assessment.Eraser
	links    linkCache
}

// Catalogs give every summary at once, for the jobs that look over all
// follow-ups.
type Catalogs interface {
	Catalog(ctx context.Context) (*listing.Catalog, error)
}

// linkCache remembers which follow-up a link's hash leads to: that never
// changes (a new link has a new hash, and linkOpen judges the follow-up it
// leads to on every request), so a supplier's requests after the first
// read only the follow-up. It holds at most maxCachedLinks and then starts
// afresh: what it keeps does not grow with the data.
type linkCache struct {
	mu sync.Mutex
	by map[string]string
}

const maxCachedLinks = 10000

func (l *linkCache) get(hash string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id, ok := l.by[hash]
	return id, ok
}

func (l *linkCache) put(hash, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.by == nil || len(l.by) >= maxCachedLinks {
		l.by = map[string]string{}
	}
	l.by[hash] = id
}

// New returns a Service; catalogs are read by the jobs that look
// over every follow-up.
func New(cfg assessment.Config, catalogs Catalogs) *Service {
	return &Service{Records: assessment.NewRecords(cfg), catalogs: catalogs, erasers: cfg.Erasers}
}

// IssueInput is what a coordinator gives to issue a questionnaire.
type IssueInput struct {
	Supplier             assessment.Supplier
	ContractRef          string
	RiskArea             string
	Questionnaire        string
	QuestionnaireVersion int // 0: the latest
	Level                questionnaire.Level
	Language             string
	DueDate              string
	// ForceNew issues a new questionnaire even when a recent submission of
	// the same supplier could be reused.
	ForceNew bool
}

// ReuseWindow is how old a submission may be and still be reused: the
// regions accept another buyer's follow-up for at most three years.
const ReuseWindow = 3 * 365 * 24 * time.Hour

// Issue creates an assessment for the issuing principal's region and returns
// it with the supplier link's token, which is shown once and never stored.
func (s *Service) Issue(ctx context.Context, by *account.Principal, ip string, in IssueInput) (*assessment.Assessment, string, error) {
	if !account.Allowed(by, account.WriteAssessment, by.Region, "") {
		return nil, "", apperr.New(apperr.Forbidden, "Du får inte skicka ut självutvärderingar.", "You may not issue self-assessments.")
	}
	var fields []apperr.Field
	add := func(f, sv, en string) { fields = append(fields, assessment.Problem(f, sv, en)) }
	in.Supplier.Country = strings.ToUpper(strings.TrimSpace(in.Supplier.Country))
	if !s.Org.KnownCountry(in.Supplier.Country) {
		add("supplier.country", "Ange landet som landskod med två bokstäver (ISO 3166), t.ex. SE.", "Give the country as a two-letter code (ISO 3166), e.g. SE.")
		if strings.TrimSpace(in.Supplier.OrgNumber) == "" { // the rest of its check needs the country
			add("supplier.orgNumber", "Ange organisationsnumret.", "Give the organisation number.")
		}
	} else if number, p := orgnr.Normalise(in.Supplier.Country, in.Supplier.OrgNumber); p != nil {
		add("supplier.orgNumber", p.SV, p.EN)
	} else {
		in.Supplier.OrgNumber = number
	}
	// Every field is checked here, in one pass, so that a request learns all
	// its problems at once.
	in.Supplier.Name, in.Supplier.ContactName = strings.TrimSpace(in.Supplier.Name), strings.TrimSpace(in.Supplier.ContactName)
	in.Supplier.ContactEmail, in.ContractRef = strings.TrimSpace(in.Supplier.ContactEmail), strings.TrimSpace(in.ContractRef)
	for _, f := range []struct {
		field, v string
		max      int
		sv, en   string
	}{
		{"supplier.name", in.Supplier.Name, 200, "Ange leverantörens namn", "Give the supplier's name"},
		{"supplier.contactName", in.Supplier.ContactName, 200, "Ange kontaktpersonens namn", "Give the contact person's name"},
		{"supplier.contactEmail", in.Supplier.ContactEmail, 254, "Ange kontaktpersonens e-postadress", "Give the contact person's e-mail address"},
		{"contractRef", in.ContractRef, 100, "Ange avtalet (diarie- eller avtalsnummer)", "Give the contract (its reference)"},
	} {
		switch n := utf8.RuneCountInString(f.v); {
		case n == 0 || n > f.max:
			add(f.field, fmt.Sprintf("%s, högst %d tecken.", f.sv, f.max), fmt.Sprintf("%s, at most %d characters.", f.en, f.max))
		case !assessment.OneLine(f.v): // these go into mail headers, exports and PDFs
			add(f.field, "En rad text, utan styrtecken eller radbrytningar.", "One line of text, without control characters or line breaks.")
		}
	}
	if e := in.Supplier.ContactEmail; e != "" && !validEmail(e) {
		add("supplier.contactEmail", "Ange en giltig e-postadress, t.ex. namn@foretag.se.", "Give a valid e-mail address, e.g. name@company.com.")
	}
	if _, ok := s.Org.RiskArea(in.RiskArea); !ok {
		add("riskArea", "Okänt riskområde.", "Unknown risk area.")
	}
	var q *questionnaire.Questionnaire
	var ok bool
	if in.QuestionnaireVersion == 0 {
		q, ok = s.Questionnaires.Latest(in.Questionnaire)
	} else {
		q, ok = s.Questionnaires.Get(in.Questionnaire, in.QuestionnaireVersion)
	}
	if !ok {
		add("questionnaire", "Okänt frågeformulär eller version.", "Unknown questionnaire or version.")
	}
	if in.Level == "" {
		in.Level = questionnaire.Basic
	}
	if in.Level != questionnaire.Basic && in.Level != questionnaire.Advanced {
		add("level", "Nivån är basic eller advanced.", "The level is basic or advanced.")
	}
	if in.Language != "sv" && in.Language != "en" {
		add("language", "Språket är sv eller en.", "The language is sv or en.")
	}
	due, err := time.Parse(time.DateOnly, in.DueDate)
	today := s.Now().UTC().Truncate(24 * time.Hour)
	if err != nil {
		add("dueDate", "Ange sista svarsdag som ÅÅÅÅ-MM-DD.", "Give the due date as YYYY-MM-DD.")
	} else if due.Before(today) {
		add("dueDate", "Sista svarsdag har redan passerat.", "The due date has already passed.")
	}
	if len(fields) > 0 {
		return nil, "", assessment.Invalid(fields...)
	}
	q = q.For(in.RiskArea)

	if !in.ForceNew {
		if prev, err := s.reusable(ctx, in.Supplier.OrgNumber, q, in.Level, in.RiskArea); err != nil {
			return nil, "", err
		} else if prev != nil {
			a, err := s.reuse(ctx, by, ip, in, prev)
			return a, "", err
		}
	}

	token := newToken()
	now := s.Now().UTC()
	a := &assessment.Assessment{
		ID: assessment.NewID(), Version: 1, Region: by.Region, RiskArea: in.RiskArea, Supplier: in.Supplier,
		ContractRef: strings.TrimSpace(in.ContractRef), QuestionnaireID: q.ID, QuestionnaireVersion: q.Version,
		Level: in.Level, Language: in.Language, DueDate: in.DueDate, Status: assessment.Issued, TokenHash: HashToken(token),
		IssuedAt: now, IssuedBy: by.Email, UpdatedAt: now, Answers: assessment.Answers{},
	}
	a.Trail = []assessment.TrailEntry{{At: now, By: by.Email, Action: assessment.ActAssessmentIssued, Changes: []assessment.Change{{Field: "status", Before: "", After: string(assessment.Issued)}}}}
	carried, err := s.carryForward(ctx, a, q)
	if err != nil {
		return nil, "", err
	}
	if carried != nil {
		a.Trail = append(a.Trail, assessment.TrailEntry{At: now, By: by.Email, Action: assessment.ActAnswersCarried, Changes: carried})
	}
	a.Progress = assessment.ProgressOf(q, a.Level, a.Answers)
	if err := s.Repo.Insert(ctx, a); err != nil {
		return nil, "", fmt.Errorf("issue assessment: %w", err)
	}
	_ = s.Audit(ctx, account.Actor{Name: by.Email, IP: ip}, "assessment_issued", a.ID,
		fmt.Sprintf("%s (%s), %s v%d, %s", a.Supplier.Name, a.Supplier.OrgNumber, q.ID, q.Version, a.DueDate))
	return a, token, nil
}

// reusable finds the newest reviewed assessment (in its corrective actions,
// or closed) of the same supplier and questionnaire, at the same or a
// stricter level, for a risk area it covers, in any region, submitted
// within ReuseWindow. A submission nobody has reviewed is the supplier's
// word alone, and is carried forward for the supplier to confirm instead.
func (s *Service) reusable(ctx context.Context, orgNumber string, q *questionnaire.Questionnaire, level questionnaire.Level, riskArea string) (*assessment.Assessment, error) {
	return s.latestSubmission(ctx, orgNumber, q.ID, func(sm *assessment.Summary) bool {
		return sm.Level.Includes(level) && s.Now().Sub(sm.SubmittedAt) <= ReuseWindow &&
			(sm.Status == assessment.CorrectiveActions || sm.Status == assessment.Closed) && s.covers(sm, riskArea)
	})
}

// covers tells whether answers given in sm can stand for a follow-up of
// riskArea: given for the same risk area, or for one rated at least as
// risky whose questionnaire asked every module riskArea's asks.
func (s *Service) covers(sm *assessment.Summary, riskArea string) bool {
	if sm.RiskArea == riskArea {
		return true
	}
	from, _ := s.Org.RiskArea(sm.RiskArea)
	to, _ := s.Org.RiskArea(riskArea)
	q, ok := s.Questionnaires.Get(sm.Questionnaire, sm.QuestionnaireVersion)
	if !ok || org.Riskier(to.InherentRisk, from.InherentRisk) {
		return false
	}
	for _, sec := range q.For(riskArea).Sections {
		if len(sec.RiskAreas) > 0 && !slices.Contains(sec.RiskAreas, sm.RiskArea) {
			return false
		}
	}
	return true
}

// reuse records a follow-up for the issuing region that stands on an earlier
// submission: the answers and evidence are copied, no link is sent.
func (s *Service) reuse(ctx context.Context, by *account.Principal, ip string, in IssueInput, prev *assessment.Assessment) (*assessment.Assessment, error) {
	now := s.Now().UTC()
	a := &assessment.Assessment{
		ID: assessment.NewID(), Version: 1, Region: by.Region, RiskArea: in.RiskArea, Supplier: in.Supplier,
		ContractRef: strings.TrimSpace(in.ContractRef), QuestionnaireID: prev.QuestionnaireID, QuestionnaireVersion: prev.QuestionnaireVersion,
		Level: prev.Level, Language: in.Language, DueDate: in.DueDate, Status: assessment.Submitted, TokenHash: "reused:" + assessment.NewID(),
		IssuedAt: now, IssuedBy: by.Email, SubmittedAt: prev.SubmittedAt, UpdatedAt: now,
		Answers: prev.Answers, Evidence: prev.Evidence, Progress: prev.Progress, Score: prev.Score, Verdicts: prev.Verdicts, ReusedFrom: prev.ID,
	}
	if q, ok := s.Questionnaires.Get(a.QuestionnaireID, a.QuestionnaireVersion); ok && a.Score != nil {
		// This follow-up judges the reused answers afresh, for its own
		// risk area and country.
		a.Deviations = mergeSAQ(nil, a.Score.Deviations, q, now)
		a.Risk = s.Rate(a)
	}
	a.Trail = []assessment.TrailEntry{{At: now, By: by.Email, Action: assessment.ActAssessmentReused, Changes: []assessment.Change{{Field: "reusedFrom", Before: "", After: prev.ID}}}}
	if err := s.Repo.Insert(ctx, a); err != nil {
		return nil, fmt.Errorf("record reuse of %s: %w", prev.ID, err)
	}
	_ = s.Audit(ctx, account.Actor{Name: by.Email, IP: ip}, "assessment_reused", a.ID,
		fmt.Sprintf("← %s (%s, %s)", prev.ID, prev.Region, prev.SubmittedAt.Format(time.DateOnly)))
	return a, nil
}

// Reissue makes a new supplier link for an assessment and revokes the old
// one; the new token is returned once, for the coordinator to send. The
// trail records it.
func (s *Service) Reissue(ctx context.Context, by *account.Principal, ip, id string) (string, error) {
	if err := s.Authorize(ctx, by, id, account.WriteAssessment); err != nil {
		return "", err
	}
	token := newToken()
	hash := HashToken(token)
	if err := s.Repo.AddLink(ctx, id, hash); err != nil {
		return "", fmt.Errorf("reissue link of %s: %w", id, err)
	}
	_, err := s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActLinkReissued, nil, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, _ time.Time) ([]assessment.Change, error) {
		if a.Status == assessment.Withdrawn || a.Status == assessment.Closed || a.ReusedFrom != "" {
			return nil, apperr.New(apperr.Conflict, "Uppföljningen har ingen öppen länk; ingen ny behövs.", "The follow-up has no open link; no new one is needed.")
		}
		a.TokenHash, a.Invitation = hash, nil
		return []assessment.Change{{Field: "link", Before: "", After: "new"}}, nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// ExtendDue moves the due date of a follow-up the supplier has not yet
// submitted to a later day; an expired one opens again.
func (s *Service) ExtendDue(ctx context.Context, by *account.Principal, ip, id, date string) (*assessment.Assessment, error) {
	due, err := time.Parse(time.DateOnly, date)
	check := func() error {
		if err != nil {
			return assessment.Invalid(assessment.Problem("dueDate", "Ange sista svarsdag som ÅÅÅÅ-MM-DD.", "Give the due date as YYYY-MM-DD."))
		}
		if due.Before(s.Now().UTC().Truncate(24 * time.Hour)) {
			return assessment.Invalid(assessment.Problem("dueDate", "Sista svarsdag har redan passerat.", "The due date has already passed."))
		}
		return nil
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActDueDateChanged, check, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, _ time.Time) ([]assessment.Change, error) {
		if !a.Status.SupplierMayAnswer() && a.Status != assessment.Expired {
			return nil, apperr.New(apperr.Conflict, "Svaren är redan inskickade; sista svarsdag gäller inte längre.", "The answers are already submitted; the due date no longer applies.")
		}
		if date <= a.DueDate {
			return nil, assessment.Invalid(assessment.Problem("dueDate", "Välj en senare dag än nuvarande sista svarsdag.", "Choose a later day than the current due date."))
		}
		changes := []assessment.Change{{Field: "dueDate", Before: a.DueDate, After: date}}
		a.DueDate = date
		if a.Status == assessment.Expired {
			if err := a.Move(assessment.InProgress); err != nil {
				return nil, err
			}
		}
		return changes, nil
	})
}

// CorrectContact corrects the supplier's contact person and e-mail address,
// for messages from now on.
func (s *Service) CorrectContact(ctx context.Context, by *account.Principal, ip, id, name, email string) (*assessment.Assessment, error) {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	check := func() error {
		var fields []apperr.Field
		if name == "" || utf8.RuneCountInString(name) > 200 || strings.ContainsAny(name, "\r\n") {
			fields = append(fields, assessment.Problem("contactName", "Ange kontaktpersonens namn (högst 200 tecken).", "Give the contact person's name (at most 200 characters)."))
		}
		if !validEmail(email) || len(email) > 254 {
			fields = append(fields, assessment.Problem("contactEmail", "Ange en giltig e-postadress, t.ex. namn@foretag.se.", "Give a valid e-mail address, e.g. name@company.com."))
		}
		if len(fields) > 0 {
			return assessment.Invalid(fields...)
		}
		return nil
	}
	return s.Change(ctx, by, ip, id, account.WriteAssessment, assessment.ActContactChanged, check, func(a *assessment.Assessment, _ *questionnaire.Questionnaire, _ time.Time) ([]assessment.Change, error) {
		var changes []assessment.Change
		if a.Supplier.ContactName != name {
			changes = append(changes, assessment.Change{Field: "contactName", Before: a.Supplier.ContactName, After: name})
		}
		if a.Supplier.ContactEmail != email {
			changes = append(changes, assessment.Change{Field: "contactEmail", Before: a.Supplier.ContactEmail, After: email})
		}
		a.Supplier.ContactName, a.Supplier.ContactEmail = name, email
		return changes, nil
	})
}

// supplierQuestionnaire is the assessment a link leads to, with its questionnaire.
func (s *Service) supplierQuestionnaire(ctx context.Context, token string) (*assessment.Assessment, *questionnaire.Questionnaire, error) {
	a, err := s.ForSupplier(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	q, err := s.Questionnaire(a)
	if err != nil {
		return nil, nil, err
	}
	return a, q, nil
}

var errLinkUnknown = apperr.New(apperr.NotFound, "Länken finns inte. Kontrollera att ni har kopierat hela länken.", "The link does not exist. Check that you copied the whole link.")

// errLinkGone is the same for a replaced, withdrawn or expired link, so
// the page says nothing about what became of the follow-up.
var errLinkGone = apperr.New(apperr.Gone, "Länken gäller inte längre. Kontakta den som skickade den för att få en ny.", "The link is no longer valid. Contact the sender for a new one.")

// ForSupplier returns the assessment a supplier link leads to: NotFound for
// an unknown token, Gone for a replaced link or a withdrawn assessment.
func (s *Service) ForSupplier(ctx context.Context, token string) (*assessment.Assessment, error) {
	id, hash, err := s.linkTarget(ctx, token)
	if err != nil {
		return nil, err
	}
	a, err := s.Repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.linkOpen(a, hash); err != nil {
		return nil, err
	}
	return a, nil
}

// linkTarget is the id of the assessment a link token leads to, and the
// token's hash; NotFound for an unknown token.
func (s *Service) linkTarget(ctx context.Context, token string) (id, hash string, err error) {
	if len(token) < 40 || len(token) > 64 {
		return "", "", errLinkUnknown
	}
	hash = HashToken(token)
	if id, ok := s.links.get(hash); ok {
		return id, hash, nil
	}
	id, err = s.Repo.ByToken(ctx, hash)
	if errors.Is(err, apperr.ErrNotFound) {
		return "", "", errLinkUnknown
	}
	if err == nil {
		s.links.put(hash, id)
	}
	return id, hash, err
}

// linkOpen refuses a link that was replaced, or whose follow-up was
// withdrawn or has expired.
func (s *Service) linkOpen(a *assessment.Assessment, hash string) error {
	if a.TokenHash != hash || a.Status == assessment.Withdrawn || a.Status == assessment.Expired || s.linkExpired(a) {
		return errLinkGone
	}
	return nil
}

// updateForSupplier changes the assessment a supplier link leads to, reading
// it once: the link is checked on the same read the change is made from.
func (s *Service) updateForSupplier(ctx context.Context, token string, change func(*assessment.Assessment, *questionnaire.Questionnaire) error) (*assessment.Assessment, error) {
	apply := func(hash string) func(a *assessment.Assessment) error {
		return func(a *assessment.Assessment) error {
			if err := s.linkOpen(a, hash); err != nil {
				return err
			}
			q, err := s.Questionnaire(a)
			if err != nil {
				return err
			}
			return change(a, q)
		}
	}
	if base, ok := ctx.Value(loadedKey{}).(*assessment.Assessment); ok && len(token) >= 40 && len(token) <= 64 && base.TokenHash == HashToken(token) {
		return s.Repo.UpdateFrom(ctx, base, apply(base.TokenHash))
	}
	id, hash, err := s.linkTarget(ctx, token)
	if err != nil {
		return nil, err
	}
	return s.Repo.Update(ctx, id, apply(hash))
}

type loadedKey struct{}

// WithLoaded is ctx carrying the follow-up the request has just read by
// its link (ForSupplier), so that a change in the same request starts from
// it instead of finding the link and reading the follow-up again; the
// write is conditional on its version all the same.
func WithLoaded(ctx context.Context, a *assessment.Assessment) context.Context {
	return context.WithValue(ctx, loadedKey{}, a)
}

// ExpireLapsed marks as expired the follow-ups whose supplier did not
// submit and whose link has closed (LinkGrace after the due date), so the
// status says what the link does; a coordinator reopens one by giving it a
// later due date. The scheduled job calls it; it returns how many it marked.
func (s *Service) ExpireLapsed(ctx context.Context) (int, error) {
	cutoff := s.Now().UTC().Add(-assessment.LinkGrace - 24*time.Hour).Format(time.DateOnly)
	var ids []string
	for _, st := range []assessment.Status{assessment.Issued, assessment.InProgress, assessment.Returned} {
		list, err := s.Repo.Summaries(ctx, assessment.Filter{Status: st})
		if err != nil {
			return 0, err
		}
		for _, sum := range list {
			if sum.DueDate < cutoff {
				ids = append(ids, sum.ID)
			}
		}
	}
	changed, err := s.updateEach(ctx, ids, "expire", func(a *assessment.Assessment) error {
		if !s.linkExpired(a) {
			return assessment.ErrUnchanged
		}
		now, before := s.Now().UTC(), a.Status
		if err := a.Move(assessment.Expired); err != nil {
			return err
		}
		a.Trail = append(a.Trail, assessment.TrailEntry{At: now, By: "system", Action: assessment.ActFollowUpExpired,
			Changes: []assessment.Change{{Field: "status", Before: string(before), After: string(assessment.Expired)}}})
		a.UpdatedAt = now
		return nil
	})
	return len(changed), err
}

func (s *Service) linkExpired(a *assessment.Assessment) bool {
	// A questionnaire sent back for clarification stays open whatever its due date.
	if !a.Status.SupplierMayAnswer() || !a.ReturnedAt.IsZero() {
		return false
	}
	due, err := time.Parse(time.DateOnly, a.DueDate)
	if err != nil {
		return false
	}
	// The due date counts as a whole day.
	return s.Now().After(due.Add(24*time.Hour + assessment.LinkGrace))
}

// SupplierPrincipal is the principal a supplier link stands for.
func SupplierPrincipal(a *assessment.Assessment) *account.Principal {
	return &account.Principal{Supplier: true, AssessmentID: a.ID, Name: a.Supplier.ContactName, Email: a.Supplier.ContactEmail}
}

// errSubmitted refuses a change to answers the supplier has handed in.
var errSubmitted = apperr.New(apperr.Conflict, "Svaren är inskickade och kan inte längre ändras.", "The answers have been submitted and can no longer be changed.")

// errConflict refuses answers that someone else changed since the writer read them.
func errConflict(ids []string) error {
	e := apperr.New(apperr.Conflict,
		"Någon annan har ändrat några av svaren sedan ni öppnade sidan (kanske i en annan flik). De svaren är inte sparade: jämför och välj vilket som ska gälla.",
		"Someone else has changed some of the answers since you opened the page (perhaps in another tab). Those answers are not saved: compare them and choose which one stands.")
	for _, id := range ids {
		e.Fields = append(e.Fields, assessment.Problem(id, "Svaret har ändrats av någon annan sedan ni läste det.", "The answer was changed by someone else since you read it."))
	}
	return e
}

// Saved says what a save did: the follow-up as stored afterwards, the
// answers refused for their value, and the questions not saved because
// someone else changed them since the writer's version.
type Saved struct {
	A         *assessment.Assessment
	Invalid   []apperr.Field
	Conflicts []string
}

// SaveAnswers applies the supplier's answers, each against the version the
// writer read it at (Input.Base, or version): answers to questions nobody
// else changed since then are merged in; a question someone else changed is
// a conflict, unless both wrote the same. Every problem with every answer is
// reported at once and then nothing is saved. Answering moves an issued or
// returned assessment to in progress.
func (s *Service) SaveAnswers(ctx context.Context, token string, version int64, inputs map[string]assessment.Input) (*assessment.Assessment, error) {
	res, err := s.save(ctx, token, version, inputs, false)
	if err != nil {
		return nil, err
	}
	return res.A, nil
}

// SaveValidAnswers is SaveAnswers for the supplier's pages: it saves every
// answer it can, and reports the refused and conflicting ones instead of
// refusing them all, so one bad number does not hold back the rest.
func (s *Service) SaveValidAnswers(ctx context.Context, token string, version int64, inputs map[string]assessment.Input) (Saved, error) {
	return s.save(ctx, token, version, inputs, true)
}

func (s *Service) save(ctx context.Context, token string, version int64, inputs map[string]assessment.Input, partial bool) (Saved, error) {
	var res Saved
	a, err := s.updateForSupplier(ctx, token, func(a *assessment.Assessment, q *questionnaire.Questionnaire) error {
		res.Invalid, res.Conflicts = nil, nil // a retried update starts again
		if !a.Status.SupplierMayAnswer() {
			return errSubmitted
		}
		rev := a.Version + 1 // the version this write makes
		changed := assessment.Answers{}
		for _, id := range slices.Sorted(maps.Keys(inputs)) {
			in := inputs[id]
			qu, ok := q.Question(id)
			if !ok {
				res.Invalid = append(res.Invalid, assessment.Problem(id, "Frågan finns inte i formuläret.", "There is no such question in the questionnaire."))
				continue
			}
			if !a.Level.Includes(qu.Level) {
				res.Invalid = append(res.Invalid, assessment.Problem(id, "Frågan ställs bara på fördjupad nivå, inte i den här uppföljningen.",
					"The question is asked only at the advanced level, not in this follow-up."))
				continue
			}
			cur := a.Answers[id]
			ans, bad := assessment.ReadInput(qu, cur, in)
			if bad != nil {
				res.Invalid = append(res.Invalid, *bad)
				continue
			}
			if ans.Same(cur) && !(in.Confirm && cur.Unconfirmed()) {
				continue // nothing to change, so nothing to conflict with
			}
			ans = ans.Touched(cur)
			base := version
			if in.Base != nil {
				base = *in.Base
			}
			if cur.Rev > base {
				res.Conflicts = append(res.Conflicts, id)
				continue
			}
			ans.Rev = rev
			changed[id] = ans
		}
		res.Invalid = append(res.Invalid, hiddenAnswers(q, a.Level, a.Answers, changed)...)
		if !partial {
			if len(res.Invalid) > 0 {
				e := apperr.New(apperr.Invalid, "Några svar kunde inte sparas. Inget har sparats.", "Some answers could not be saved. Nothing has been saved.")
				e.Fields = res.Invalid
				return e
			}
			if len(res.Conflicts) > 0 {
				return errConflict(res.Conflicts)
			}
		}
		// An emptied answer stays as an empty one carrying its revision, so
		// a writer who read the old value still meets a conflict.
		maps.Copy(a.Answers, changed)
		if len(changed) > 0 && (a.Status == assessment.Issued || a.Status == assessment.Returned) {
			if err := a.Status.MoveTo(assessment.InProgress); err != nil {
				return err
			}
			a.Status = assessment.InProgress
		}
		a.Progress = assessment.ProgressOf(q, a.Level, a.Answers)
		a.UpdatedAt = s.Now().UTC()
		return nil
	})
	res.A = a
	return res, err
}

// Submit hands the answers in once every required shown question is
// answered; it returns an Invalid error listing the missing ones otherwise.
func (s *Service) Submit(ctx context.Context, token, ip string) (*assessment.Assessment, error) {
	a, err := s.updateForSupplier(ctx, token, func(a *assessment.Assessment, q *questionnaire.Questionnaire) error {
		if err := a.Status.MoveTo(assessment.Submitted); err != nil {
			return err
		}
		if err := readyToSubmit(q, a); err != nil {
			return err
		}
		now := s.Now().UTC()
		before := a.Status
		a.Status, a.SubmittedAt, a.UpdatedAt = assessment.Submitted, now, now
		score := a.Rescore(q)
		changes := []assessment.Change{{Field: "status", Before: string(before), After: string(assessment.Submitted)}, {Field: "score", Before: totalText(a.Score), After: totalText(&score)}}
		changes = append(changes, carriedCounts(a.Answers)...)
		a.Score = &score
		a.Deviations = mergeSAQ(a.Deviations, score.Deviations, q, now)
		a.Risk = s.Rate(a)
		a.Trail = append(a.Trail, assessment.TrailEntry{At: now, By: a.Supplier.ContactEmail, Action: assessment.ActAssessmentSubmitted, Changes: changes})
		return nil
	})
	if err != nil {
		return nil, err
	}
	_ = s.Audit(ctx, account.Actor{Name: a.Supplier.ContactEmail, IP: ip}, "assessment_submitted", a.ID, a.Supplier.Name)
	return a, nil
}

// totalText is a score's total for the trail.
func totalText(r *scoring.Result) string {
	if r == nil {
		return ""
	}
	return assessment.PercentText(r.Total, "n/a")
}

func newToken() string { return secret.Token() }

// HashToken is how a link token is stored and looked up.
func HashToken(token string) string { return secret.Hash(token) }

// validEmail is a bare address, as a person types it: no display name, no
// angle brackets, nothing that could break a mail header.
func validEmail(e string) bool {
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && !strings.ContainsAny(e, "\r\n<> ")
}

// hiddenAnswers refuses, and takes out of changed, the answers to questions
// that the answers as they will be keep hidden: such an answer would count
// for nothing. Emptying one is allowed, and an unchanged one never gets here.
func hiddenAnswers(q *questionnaire.Questionnaire, level questionnaire.Level, stored, changed assessment.Answers) []apperr.Field {
	after := maps.Clone(stored)
	maps.Copy(after, changed)
	shown := assessment.Visible(q, level, after)
	var refused []apperr.Field
	for _, id := range slices.Sorted(maps.Keys(changed)) {
		qu, _ := q.Question(id)
		if shown[id] || changed[id].Empty() || qu.ShowIf == nil {
			continue
		}
		delete(changed, id)
		refused = append(refused, assessment.Problem(id,
			fmt.Sprintf("Frågan ställs bara vid ett annat svar på fråga %s. Ändra det svaret först, eller lämna frågan.", qu.ShowIf.Question),
			fmt.Sprintf("The question is asked only after another answer to question %s. Change that answer first, or leave this one.", qu.ShowIf.Question)))
	}
	return refused
}

// updateEach applies change to each of the follow-ups ids, as a batch job
// does, and returns the ids it changed; a change that returns errUnchanged
// leaves its follow-up as it was. what names the job in errors.
func (s *Service) updateEach(ctx context.Context, ids []string, what string, change func(*assessment.Assessment) error) ([]string, error) {
	var changed []string
	for _, id := range ids {
		_, err := s.Repo.Update(ctx, id, change)
		if errors.Is(err, assessment.ErrUnchanged) {
			continue
		}
		if err != nil {
			return changed, fmt.Errorf("%s %s: %w", what, id, err)
		}
		changed = append(changed, id)
	}
	return changed, nil
}

// mergeSAQ brings the deviations raised by the answers up to date with a new
// score: one raised again keeps its judgement; a new one is added as open;
// an open one the answers no longer raise is dropped. Judged ones stay, as
// the reviewer's decision stands until the reviewer changes it.
func mergeSAQ(existing []assessment.Deviation, raised []scoring.Deviation, q *questionnaire.Questionnaire, at time.Time) []assessment.Deviation {
	area := map[string]string{}
	for _, r := range q.Requirements {
		area[r.ID] = r.Area
	}
	// A deviation is known by the requirement the answer raised it on,
	// whatever a reviewer moved it to since.
	key := func(req, moved, question string) string {
		if moved != "" {
			req = moved
		}
		return req + "\x00" + question
	}
	current := map[string]bool{}
	for _, r := range raised {
		current[key(r.Requirement, r.Moved, r.Question)] = true
	}
	var out []assessment.Deviation
	have := map[string]bool{}
	for _, d := range existing {
		k := key(d.Requirement, d.MovedFrom, d.Question)
		if d.Source == assessment.FromSAQ && d.Status == assessment.DevOpen && !current[k] {
			continue
		}
		if d.Source == assessment.FromSAQ {
			have[k] = true
		}
		out = append(out, d)
	}
	for _, r := range raised {
		k := key(r.Requirement, r.Moved, r.Question)
		if have[k] {
			continue
		}
		have[k] = true
		out = append(out, assessment.Deviation{
			ID: assessment.NewID(), Requirement: r.Requirement, Area: area[r.Requirement], Severity: r.Severity,
			Source: assessment.FromSAQ, Question: r.Question, Answer: r.Answer, Verify: r.Verify, Contradicts: r.Contradicts,
			Status: assessment.DevOpen, RaisedAt: at, RaisedBy: "SAQ",
		})
	}
	return out
}
