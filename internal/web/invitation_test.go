package web_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/assessment"
)

// listed is what the list API and the dashboard API say of undelivered
// invitations, as a coordinator of Skåne reads them.
func listed(t *testing.T, b *browser, tok string) (ids []string, invitation string, count int) {
	t.Helper()
	p := b.api("GET", "/api/v1/assessments?undelivered=true", tok)
	var list struct {
		Items []struct {
			ID          string `json:"id"`
			Invitation  string `json:"invitation"`
			Undelivered bool   `json:"undelivered"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(p.body), &list); err != nil || p.status != 200 {
		t.Fatalf("list: %d %v\n%s", p.status, err, p.body)
	}
	for _, it := range list.Items {
		if !it.Undelivered {
			t.Errorf("%s is listed as undelivered but says it is not", it.ID)
		}
		ids, invitation = append(ids, it.ID), it.Invitation
	}
	d := b.api("GET", "/api/v1/dashboard", tok)
	var dash struct {
		UndeliveredCount int `json:"undeliveredCount"`
	}
	if err := json.Unmarshal([]byte(d.body), &dash); err != nil || d.status != 200 {
		t.Fatalf("dashboard: %d %v", d.status, err)
	}
	return ids, invitation, dash.UndeliveredCount
}

// A coordinator sees an invitation the mail server refused: on the
// follow-up's page with the server's reply and what to do, in the list's
// filter and on the dashboard. A new link clears it, and so does the
// supplier starting to answer.
func TestUndeliveredInvitationShown(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	csrf := b.signIn("coord@skane.se")
	tok := apiToken(t, s, "coord@skane.se")
	a, err := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if err != nil {
		t.Fatal(err)
	}
	if ids, _, count := listed(t, b, tok); len(ids) != 0 || count != 0 {
		t.Fatalf("undelivered before any mail: %v, %d", ids, count)
	}

	// The outbox reports, as it does after a 550.
	failed := assessment.Invitation{MessageID: assessment.InvitationID(a.ID, a.TokenHash), State: "failed", Attempts: 1,
		At: s.clock.t, Error: "550 5.1.1 mailbox unknown"}
	if err := s.assessments.TrackInvitation(t.Context(), a.ID, failed); err != nil {
		t.Fatal(err)
	}
	other := failed
	other.MessageID = assessment.InvitationID(a.ID, "an older link")
	if err := s.assessments.TrackInvitation(t.Context(), a.ID, other); !errors.Is(err, assessment.ErrReplacedInvitation) {
		t.Errorf("an invitation for another link: %v", err)
	}

	if ids, inv, count := listed(t, b, tok); len(ids) != 1 || ids[0] != a.ID || inv != "failed" || count != 1 {
		t.Errorf("after a 550: listed %v (%s), dashboard %d", ids, inv, count)
	}
	detail := b.do("GET", "/assessments/"+a.ID, nil)
	for _, want := range []string{`id="invitation"`, "could not be sent", "1 attempt", "550 5.1.1 mailbox unknown",
		"The recipient&#39;s mail server refused the message", "Check the e-mail address", "<details open><summary>Replace the link"} {
		if !strings.Contains(detail.body, want) {
			t.Errorf("the follow-up's page lacks %q", want)
		}
	}
	list := b.do("GET", "/assessments?undelivered=true", nil)
	if !strings.Contains(list.body, `name="undelivered" value="true" checked`) || !strings.Contains(list.body, "invitation not delivered") ||
		!strings.Contains(list.body, "1 follow-up") {
		t.Errorf("the list page:\n%s", trim(list.body))
	}
	dash := b.do("GET", "/dashboard", nil)
	if !strings.Contains(dash.body, "Invitation not delivered (1)") || !strings.Contains(dash.body, "undelivered=true") {
		t.Errorf("the dashboard:\n%s", trim(dash.body))
	}
	trail := b.api("GET", "/api/v1/assessments/"+a.ID, tok)
	if !strings.Contains(trail.body, `"invitation_failed"`) || !strings.Contains(trail.body, `"state":"failed"`) {
		t.Errorf("the detail API lacks the failure:\n%s", trail.body)
	}

	// A new link goes to the outbox (no mail server here): not undelivered.
	if p := b.do("POST", "/assessments/"+a.ID+"/link", url.Values{"_csrf": {csrf}}); p.status != 200 || !strings.Contains(p.body, "no mail server is configured") {
		t.Errorf("new link: %d\n%s", p.status, trim(p.body))
	}
	if ids, _, count := listed(t, b, tok); len(ids) != 0 || count != 0 {
		t.Errorf("after a new link: %v, %d", ids, count)
	}
}

// Once the supplier has started, the link evidently arrived: a failed
// invitation no longer asks the coordinator to act.
func TestStartedSupplierNotUndelivered(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	b.signIn("coord@skane.se")
	tok := apiToken(t, s, "coord@skane.se")
	a, err := s.assessments.ForSupplier(t.Context(), s.sampleToken)
	if err != nil {
		t.Fatal(err)
	}
	inv := assessment.Invitation{MessageID: assessment.InvitationID(a.ID, a.TokenHash), State: "retrying", Attempts: 2, At: s.clock.t, Error: "connection refused"}
	if err := s.assessments.TrackInvitation(t.Context(), a.ID, inv); err != nil {
		t.Fatal(err)
	}
	if ids, _, _ := listed(t, b, tok); len(ids) != 1 {
		t.Fatalf("retrying: %v", ids)
	}
	// The service's own mail server is down: the page says so, in words,
	// and does not send the coordinator to check the address.
	for lang, want := range map[string]string{"sv": "Tjänstens egen e-postserver svarade inte", "en": "The service&#39;s own mail server did not answer"} {
		p := b.do("GET", "/assessments/"+a.ID+"?lang="+lang, nil)
		if !strings.Contains(p.body, want) || strings.Contains(p.body, "Kontrollera e-postadressen") || strings.Contains(p.body, "Check the e-mail address") {
			t.Errorf("retrying page (%s) lacks %q or asks to check the address", lang, want)
		}
	}
	if _, err := s.assessments.SaveAnswers(t.Context(), s.sampleToken, a.Version, map[string]assessment.Input{"Q2.1": {Value: "yes", HasValue: true}}); err != nil {
		t.Fatal(err)
	}
	if ids, _, count := listed(t, b, tok); len(ids) != 0 || count != 0 {
		t.Errorf("after the supplier saved: %v, %d", ids, count)
	}
}
