package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
	"github.com/regionerna/saq/questionnaires"
)

var coordinator = &account.Principal{Email: "kim@skane.se", Role: account.Coordinator, Region: "skane"}

// followUps is the follow-up service on st, with clock, and its lists.
func followUps(t *testing.T, st *store.Store, clock *testClock) (*followup.Service, *listing.Service) {
	t.Helper()
	dir, err := org.Load(questionnaires.Files)
	if err != nil {
		t.Fatal(err)
	}
	cfg := assessment.Config{Repo: st.Assessments(), Files: st.Files(), Questionnaires: questionnairetest.Set(t), Org: dir, Now: clock.now}
	return followup.New(cfg, st.Assessments()), listing.New(cfg, st.Assessments(), nil)
}

// issue makes a follow-up and sends its invitation, as the web layer does.
func issue(t *testing.T, svc *followup.Service, n *notify.Notifier) *assessment.Assessment {
	t.Helper()
	a, token, err := svc.Issue(ctx, coordinator, "127.0.0.1", followup.IssueInput{
		Supplier:    assessment.Supplier{Name: "Handskfabriken Åström AB", OrgNumber: "556677-8899", Country: "SE", ContactName: "Åsa", ContactEmail: "asa@handsk.se"},
		ContractRef: "RS-2026-114", RiskArea: "gloves", Questionnaire: "code-of-conduct", Language: "sv", DueDate: "2027-02-28",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Invite(ctx, a, "https://saq.test/s/"+token); err != nil {
		t.Fatal(err)
	}
	return a
}

// reissue replaces the link and sends the new one, as the "new link" action does.
func reissue(t *testing.T, svc *followup.Service, n *notify.Notifier, id string) string {
	t.Helper()
	token, err := svc.Reissue(ctx, coordinator, "127.0.0.1", id)
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Get(ctx, coordinator, id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Invitation != nil {
		t.Errorf("a new link still shows the old invitation: %+v", a.Invitation)
	}
	if err := n.Invite(ctx, a, "https://saq.test/s/"+token); err != nil {
		t.Fatal(err)
	}
	return token
}

func get(t *testing.T, svc *followup.Service, id string) *assessment.Assessment {
	t.Helper()
	a, err := svc.Get(ctx, coordinator, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func trailActions(a *assessment.Assessment) string {
	var acts []string
	for _, e := range a.Trail {
		acts = append(acts, e.Action)
	}
	return strings.Join(acts, " ")
}

// undeliveredIDs are the follow-ups the list and the dashboard show as
// "invitation not delivered".
func undeliveredIDs(t *testing.T, svc *listing.Service) ([]string, int) {
	t.Helper()
	p, err := svc.List(ctx, coordinator, listing.Query{Undelivered: true})
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.Dashboard(ctx, coordinator, "skane")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range p.Items {
		ids = append(ids, s.ID)
	}
	return ids, d.UndeliveredCount
}

// A refused invitation shows on its follow-up, in the list's filter and
// the dashboard's count, and in the trail; a new link to a corrected
// address is delivered and clears it.
func TestFailedInvitationShownUntilNewLinkDelivered(t *testing.T) {
	st := storetest.New(t)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	server := startMailServer(t, "127.0.0.1:0")
	server.reply.Store(550)
	n := notifier(t, st, server.addr, clock)
	svc, lists := followUps(t, st, clock)
	n.TrackWith(svc)

	a := issue(t, svc, n)
	got := get(t, svc, a.ID)
	if inv := got.Invitation; inv == nil || inv.State != notify.Failed || !strings.Contains(inv.Error, "550") || inv.Attempts != 1 || !got.Undelivered() {
		t.Fatalf("after a 550: %+v", inv)
	}
	if acts := trailActions(got); !strings.HasSuffix(acts, "invitation_failed") {
		t.Errorf("trail: %s", acts)
	}
	if ids, count := undeliveredIDs(t, lists); len(ids) != 1 || ids[0] != a.ID || count != 1 {
		t.Errorf("undelivered: %v, dashboard %d", ids, count)
	}

	server.reply.Store(0)
	clock.add(time.Minute)
	reissue(t, svc, n, a.ID)
	got = get(t, svc, a.ID)
	if inv := got.Invitation; inv == nil || inv.State != notify.Sent || got.Undelivered() {
		t.Fatalf("after a new link: %+v", inv)
	}
	if acts := trailActions(got); !strings.HasSuffix(acts, "invitation_failed link_reissued invitation_sent") {
		t.Errorf("trail: %s", acts)
	}
	if ids, count := undeliveredIDs(t, lists); len(ids) != 0 || count != 0 {
		t.Errorf("still undelivered: %v, dashboard %d", ids, count)
	}
	if len(server.messages()) != 1 {
		t.Errorf("%d messages delivered, want 1", len(server.messages()))
	}
}

// An invitation still being retried when its link is replaced is never
// sent: the supplier gets only the live link, once.
func TestReplacedInvitationNotRetried(t *testing.T) {
	st := storetest.New(t)
	clock := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	addr := freeAddr(t)
	n := notifier(t, st, addr, clock)
	svc, lists := followUps(t, st, clock)
	n.TrackWith(svc)

	a := issue(t, svc, n)
	if inv := get(t, svc, a.ID).Invitation; inv == nil || inv.State != notify.Retrying || inv.NextAttempt.IsZero() {
		t.Fatalf("with the server down: %+v", inv)
	}
	if ids, _ := undeliveredIDs(t, lists); len(ids) != 1 {
		t.Errorf("a retrying invitation is not listed as undelivered: %v", ids)
	}
	token := reissue(t, svc, n, a.ID)
	server := startMailServer(t, addr)
	clock.add(notify.Backoff[0])
	if sent, err := n.Retry(ctx); err != nil || sent != 1 {
		t.Fatalf("retry: %d sent, %v", sent, err)
	}
	got := server.messages()
	if len(got) != 1 || !strings.Contains(got[0], token) {
		t.Fatalf("delivered %d messages; the live link in them: %t", len(got), len(got) == 1 && strings.Contains(got[0], token))
	}
	msgs, err := n.Outbox(ctx, "skane")
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, m := range msgs {
		states[m.State]++
		if m.State == notify.Failed && (!strings.Contains(m.Error, "newer link") || m.Sealed != "") {
			t.Errorf("the replaced invitation: %q, sealed %q", m.Error, m.Sealed)
		}
	}
	if states[notify.Sent] != 1 || states[notify.Failed] != 1 {
		t.Errorf("outbox states: %v", states)
	}
	if inv := get(t, svc, a.ID).Invitation; inv == nil || inv.State != notify.Sent {
		t.Errorf("the follow-up shows %+v", inv)
	}
}
