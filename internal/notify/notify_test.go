package notify_test

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/metrics"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

func sample(lang, due string) *assessment.Assessment {
	return &assessment.Assessment{
		ID: "a1", Region: "skane", Status: assessment.InProgress, Language: lang, DueDate: due, ContractRef: "RS-1",
		IssuedBy: "kim@skane.se",
		Supplier: assessment.Supplier{Name: "Handskfabriken Åström AB", ContactName: "Åsa", ContactEmail: "asa@handsk.se"},
		Progress: assessment.Progress{Answered: 12, Total: 55},
	}
}

func regionName(id, lang string) string { return "Region Skåne" }

func TestInvitationKeptInOutbox(t *testing.T) {
	out := storetest.New(t).Outbox()
	n := notify.New(out, nil, slog.New(slog.DiscardHandler), regionName, nil)
	if err := n.Invite(ctx, sample("sv", "2027-01-31"), "https://saq.test/s/TOKEN"); err != nil {
		t.Fatal(err)
	}
	msgs, err := n.Outbox(ctx, "skane")
	if err != nil || len(msgs) != 1 {
		t.Fatalf("outbox %v %v", msgs, err)
	}
	m := msgs[0]
	// No mail server: the link was shown when the follow-up was issued; the
	// outbox keeps a marker in its place, and no copy of it.
	if m.To != "asa@handsk.se" || !strings.Contains(m.Subject, "senast 31 jan. 2027") || strings.Contains(m.Body+m.Sealed, "TOKEN") ||
		!strings.Contains(m.Body, notify.LinkMarker("sv")) || m.State != notify.Kept ||
		!strings.Contains(m.Body, "Region Skåne ber Handskfabriken Åström AB") || !m.SentAt.IsZero() {
		t.Errorf("message %+v", m)
	}
	if other, _ := n.Outbox(ctx, "halland"); len(other) != 0 {
		t.Errorf("another region sees %d messages", len(other))
	}
}

func TestRemindersOncePerDay(t *testing.T) {
	st := storetest.New(t)
	out := st.Outbox()
	day := time.Date(2027, 1, 24, 6, 0, 0, 0, time.UTC)
	now := func() time.Time { return day }
	// Three notifiers, each on its own connection to one database, stand
	// for three instances.
	a := notify.New(out, nil, slog.New(slog.DiscardHandler), regionName, now)
	instances := []*notify.Notifier{a}
	for range 2 {
		other := storetest.Instance(t, st)
		instances = append(instances, notify.New(other.Outbox(), nil, slog.New(slog.DiscardHandler), regionName, now))
	}
	list := []*assessment.Assessment{sample("en", "2027-01-31")}
	submitted := sample("en", "2027-01-31")
	submitted.ID, submitted.Status = "a2", assessment.Submitted
	list = append(list, submitted)

	var wg sync.WaitGroup
	counts := make([]int, len(instances))
	for i, n := range instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := n.Remind(ctx, list)
			if err != nil {
				t.Error(err)
			}
			counts[i] = c
		}()
	}
	wg.Wait()
	if counts[0]+counts[1]+counts[2] != 1 {
		t.Errorf("sent %v reminders, want 1 in all", counts)
	}
	msgs, _ := a.Outbox(ctx, "")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "is due on 31 Jan 2027") || !strings.Contains(msgs[0].Body, "12 of 55") || strings.Contains(msgs[0].Body, "/s/") {
		t.Errorf("reminder %+v", msgs)
	}
	day = time.Date(2027, 2, 1, 6, 0, 0, 0, time.UTC) // the day after the due date
	if c, _ := a.Remind(ctx, list); c != 1 {
		t.Errorf("overdue reminders: %d", c)
	}
	day = time.Date(2027, 2, 2, 6, 0, 0, 0, time.UTC)
	if c, _ := a.Remind(ctx, list); c != 0 {
		t.Errorf("reminders on an ordinary day: %d", c)
	}
}

// fakeSMTP is a minimal SMTP server on loopback that records what it is sent.
func fakeSMTP(t *testing.T) (addr string, got chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		r := bufio.NewReader(conn)
		say := func(s string) { conn.Write([]byte(s + "\r\n")) }
		say("220 test ESMTP")
		var data strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			cmd := strings.ToUpper(strings.TrimSpace(line))
			switch {
			case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
				say("250 test")
			case strings.HasPrefix(cmd, "DATA"):
				say("354 go on")
				for {
					l, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if l == ".\r\n" {
						break
					}
					data.WriteString(l)
				}
				say("250 queued")
				got <- data.String()
			case strings.HasPrefix(cmd, "QUIT"):
				say("221 bye")
				return
			default:
				say("250 ok")
			}
		}
	}()
	return ln.Addr().String(), got
}

func TestSMTPDelivery(t *testing.T) {
	addr, got := fakeSMTP(t)
	sender, err := notify.ParseSMTP("smtp://" + addr + "?from=saq@regionerna.se")
	if err != nil {
		t.Fatal(err)
	}
	out := storetest.New(t).Outbox()
	n := notify.New(out, sender, slog.New(slog.DiscardHandler), regionName, nil)
	if err := n.Invite(ctx, sample("en", "2027-01-31"), "https://saq.test/s/TOKEN"); err != nil {
		t.Fatal(err)
	}
	select {
	case mail := <-got:
		if !strings.Contains(mail, "To: <asa@handsk.se>") || !strings.Contains(mail, "https://saq.test/s/TOKEN") || !strings.Contains(mail, "From: <saq@regionerna.se>") {
			t.Errorf("mail sent:\n%s", mail)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no mail arrived")
	}
	msgs, _ := n.Outbox(ctx, "")
	if len(msgs) != 1 || msgs[0].SentAt.IsZero() || msgs[0].Error != "" {
		t.Errorf("outbox %+v", msgs)
	}
	for _, bad := range []string{"http://x", "smtp://", "smtp://host:587"} {
		if _, err := notify.ParseSMTP(bad); err == nil {
			t.Errorf("ParseSMTP(%q) accepted", bad)
		}
	}
}

// TestNoticesAfterSubmission: the plan agreed, an action due, the follow-up
// withdrawn or closed each reach the supplier once, in its language; an
// action reminder goes out once a day however many instances run.
func TestNoticesAfterSubmission(t *testing.T) {
	out := storetest.New(t).Outbox()
	day := time.Date(2027, 3, 1, 6, 0, 0, 0, time.UTC)
	now := func() time.Time { return day }
	a := notify.New(out, nil, slog.New(slog.DiscardHandler), regionName, now)
	b := notify.New(out, nil, slog.New(slog.DiscardHandler), regionName, now)
	f := sample("sv", "2027-01-31")
	f.Status, f.Version = assessment.CorrectiveActions, 7
	f.Deviations = []assessment.Deviation{
		{ID: "d1", Action: &assessment.Action{Description: "Inför en klagomålsmekanism", Owner: "Åsa", DueDate: "2027-03-08"}},
		{ID: "d2", Action: &assessment.Action{Description: "Redan klar", Owner: "Åsa", DueDate: "2027-03-08", ClosedAt: day}},
	}
	tests := []struct {
		kind, detail, subject, body string
	}{
		{notify.PlanAgreed, notify.ActionList(f), "Åtgärdsplanen för Handskfabriken Åström AB är godkänd", "- Inför en klagomålsmekanism (ansvarig: Åsa), klar senast 8 mars 2027"},
		{notify.Withdrawn, "Avtalet är uppsagt.", "Självutvärderingen för Handskfabriken Åström AB är återkallad", "Avtalet är uppsagt."},
		{notify.Closed, "Alla avvikelser är hanterade.", "Uppföljningen av Handskfabriken Åström AB är avslutad", "Tack för ert arbete."},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			for _, n := range []*notify.Notifier{a, b} {
				if err := n.Notice(ctx, f, tt.kind, tt.detail); err != nil {
					t.Fatal(err)
				}
			}
			msgs, _ := a.Outbox(ctx, "skane")
			var found int
			for _, m := range msgs {
				if m.Kind == tt.kind {
					found++
					if m.Subject != tt.subject || !strings.Contains(m.Body, tt.body) || strings.Contains(m.Body, "Redan klar") || m.To != "asa@handsk.se" {
						t.Errorf("%s: %q\n%s", tt.kind, m.Subject, m.Body)
					}
				}
			}
			if found != 1 {
				t.Errorf("%d %s notices kept, want 1", found, tt.kind)
			}
		})
	}
	for _, n := range []*notify.Notifier{a, b} {
		if _, err := n.RemindActions(ctx, []*assessment.Assessment{f}); err != nil {
			t.Fatal(err)
		}
	}
	msgs, _ := a.Outbox(ctx, "skane")
	var due []notify.Message
	for _, m := range msgs {
		if m.Kind == notify.ActionDue {
			due = append(due, m)
		}
	}
	if len(due) != 1 || !strings.Contains(due[0].Body, "Inför en klagomålsmekanism") {
		t.Errorf("action reminders: %+v", due)
	}
}

// TestMailCounted: a message the mail server takes counts as sent, one it
// refuses (here, no server listens) as failed, in the service's metrics.
func TestMailCounted(t *testing.T) {
	addr, got := fakeSMTP(t)
	m := metrics.New(nil)
	for _, url := range []string{"smtp://" + addr + "?from=saq@regionerna.se", "smtp://127.0.0.1:1?from=saq@regionerna.se"} {
		sender, err := notify.ParseSMTP(url)
		if err != nil {
			t.Fatal(err)
		}
		n := notify.New(storetest.New(t).Outbox(), sender, slog.New(slog.DiscardHandler), regionName, nil)
		n.Observe(m.Mail)
		if err := n.Invite(ctx, sample("en", "2027-01-31"), "https://saq.test/s/TOKEN"); err != nil {
			t.Fatal(err)
		}
	}
	<-got
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{`saq_mail_total{kind="invitation",outcome="sent"} 1`, `saq_mail_total{kind="invitation",outcome="failed"} 1`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// A plan asked for and not yet sent is reminded of a week before it is due
// and the day after, in the follow-up's language, once a day however many
// instances run; no reminder once it is sent.
func TestPlanReminders(t *testing.T) {
	out := storetest.New(t).Outbox()
	day := time.Date(2027, 3, 1, 6, 0, 0, 0, time.UTC)
	now := func() time.Time { return day }
	a := notify.New(out, nil, slog.New(slog.DiscardHandler), regionName, now)
	b := notify.New(out, nil, slog.New(slog.DiscardHandler), regionName, now)
	a.TitleWith(hours{})
	sv, en, sent := sample("sv", "2027-01-31"), sample("en", "2027-01-31"), sample("sv", "2027-01-31")
	en.ID, sent.ID = "a2", "a3"
	for _, f := range []*assessment.Assessment{sv, en, sent} {
		f.Status, f.PlanState, f.PlanDueDate = assessment.InReview, assessment.PlanRequested, "2027-03-08"
		f.Deviations = []assessment.Deviation{{ID: "d1", Requirement: "LR-HOURS", Source: assessment.FromSAQ, Question: "Q5.10", Status: assessment.DevConfirmed}}
	}
	sent.PlanState = assessment.PlanProposed
	for _, n := range []*notify.Notifier{a, b} {
		if _, err := n.RemindPlans(ctx, []*assessment.Assessment{sv, en, sent}, 7); err != nil {
			t.Fatal(err)
		}
	}
	day = time.Date(2027, 3, 9, 6, 0, 0, 0, time.UTC)
	if n, err := a.RemindPlans(ctx, []*assessment.Assessment{sv}, 7); err != nil || n != 1 {
		t.Errorf("the day after: %d sent, %v", n, err)
	}
	day = time.Date(2027, 3, 5, 6, 0, 0, 0, time.UTC)
	if n, _ := a.RemindPlans(ctx, []*assessment.Assessment{sv}, 7); n != 0 {
		t.Errorf("%d reminders on a day between", n)
	}
	msgs, _ := a.Outbox(ctx, "skane")
	got := map[string]string{}
	for _, m := range msgs {
		if m.Kind == notify.PlanDue || m.Kind == notify.PlanOverdue {
			got[m.AssessmentID+" "+m.Kind] += m.Subject + "\n" + m.Body
		}
	}
	want := map[string][]string{
		"a1 plan_due":     {"Påminnelse: tid- och åtgärdsplanen för Handskfabriken Åström AB", "Skicka planen senast 8 mars 2027", "- Arbetstid: svaret på fråga 5.10"},
		"a2 plan_due":     {"Reminder: the time and action plan for Handskfabriken Åström AB", "Please send the plan by 8 Mar 2027", "- Working hours: the answer to question 5.10"},
		"a1 plan_overdue": {"Tid- och åtgärdsplanen för Handskfabriken Åström AB har inte kommit in"},
	}
	if len(got) != len(want) {
		t.Errorf("plan reminders kept: %v", got)
	}
	for k, parts := range want {
		for _, p := range parts {
			if !strings.Contains(got[k], p) {
				t.Errorf("%s lacks %q:\n%s", k, p, got[k])
			}
		}
	}
}

// hours names the one requirement of TestPlanReminders.
type hours struct{}

func (hours) RequirementTitle(_ *assessment.Assessment, id, lang string) string {
	if id == "LR-HOURS" {
		return map[string]string{"sv": "Arbetstid", "en": "Working hours"}[lang]
	}
	return id
}
