package store

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
	"github.com/regionerna/saq/internal/report/sample"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from today's encoding")

// golden holds v's stored form to testdata/golden/<name>.json, a document
// as the service writes it today (canonical Extended JSON): the encoding of
// v must be that document, and the document must decode to a value that
// encodes back to it. A field renamed in Go, whose stored name follows it,
// fails here before it orphans stored data.
func golden[T any](t *testing.T, name string, v T, back func(T) T) {
	t.Helper()
	enc := func(v T) []byte {
		raw, err := bson.Marshal(v)
		if err != nil {
			t.Fatalf("%s: encode: %v", name, err)
		}
		js, err := bson.MarshalExtJSON(bson.Raw(raw), true, false)
		if err != nil {
			t.Fatalf("%s: to Extended JSON: %v", name, err)
		}
		// Maps (a score's areas) encode in no set order: keys sorted, for comparing.
		var doc any
		if err := json.Unmarshal(js, &doc); err != nil {
			t.Fatal(err)
		}
		js, err = json.MarshalIndent(doc, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return append(js, '\n')
	}
	file := filepath.Join("testdata", "golden", name+".json")
	got := enc(v)
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%s: %v (write it with -update-golden)", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: today's encoding differs from the stored document %s: a renamed or retyped field would orphan stored data", name, file)
	}
	var decoded T
	if err := bson.UnmarshalExtJSON(want, true, &decoded); err != nil {
		t.Fatalf("%s: decode the stored document: %v", name, err)
	}
	if again := enc(back(decoded)); !bytes.Equal(again, want) {
		t.Errorf("%s: the stored document does not decode to the same value", name)
	}
}

func same[T any](v T) T { return v }

// TestGoldenDocuments holds every stored type to its document.
func TestGoldenDocuments(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 30, 15, 123_000_000, time.UTC)
	q := questionnairetest.CodeOfConduct(t).For(sample.RiskArea)
	a := sample.Followup(q, sample.Options{Deviations: 10, Issued: at})
	// What the sample leaves out: an invitation, a carried answer, a plan
	// due, a move and an action covering another deviation.
	a.Invitation = &assessment.Invitation{MessageID: "invitation:sample-0001:1", State: "sent", Attempts: 1, At: at}
	ans := a.Answers["Q1.2"]
	ans.Carry = &questionnaire.Carry{From: "sample-0000", Submitted: at, State: "confirmed"}
	a.Answers["Q1.2"] = ans
	a.PlanState, a.PlanRequestedAt, a.PlanDueDate = assessment.PlanRequested, at, "2026-04-01"
	a.Deviations[0].MovedFrom, a.Deviations[0].MoveReason = "DD-FOLLOW-UP", "Intervjuerna visade tvångsarbete."
	a.Deviations[1].CoveredBy = a.Deviations[0].ID
	golden(t, "assessment", toAssessmentDoc(a), func(d assessmentDoc) assessmentDoc { return toAssessmentDoc(d.assessment()) })

	u := account.User{ID: "u1", Email: "kim@skane.se", Name: "Kim Berg", Role: account.Coordinator, Region: "skane",
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", CreatedAt: at, PasswordChangedAt: at}
	golden(t, "user", toUserDoc(u), func(d userDoc) userDoc { return toUserDoc(d.user()) })
	golden(t, "session", sessionDoc(account.Session{ID: "s1", UserID: "u1", CSRF: "c1", CreatedAt: at, ExpiresAt: at.Add(8 * time.Hour)}), same[sessionDoc])
	golden(t, "token", tokenDoc(account.Token{ID: "t1", UserID: "u1", Hint: "saq_ab…", CreatedAt: at}), same[tokenDoc])
	golden(t, "event", eventDoc(account.Event{ID: "e1", At: at, Actor: "kim@skane.se", IP: "127.0.0.1", Action: "assessment_issued", Subject: "sample-0001", Detail: "RS-2026-0417"}), same[eventDoc])
	golden(t, "attempt", attemptDoc{ID: "login|1772443815#0", Since: at, At: at}, same[attemptDoc])
	golden(t, "link", linkDoc{ID: "hash", AssessmentID: "sample-0001", CreatedAt: at}, same[linkDoc])
	golden(t, "file", fileDoc{ID: "ev-1", Size: 48000, Chunks: 1}, same[fileDoc])
	golden(t, "chunk", chunkDoc{ID: "ev-1:0", Data: []byte("%PDF-1.4\n%%EOF\n")}, same[chunkDoc])
	golden(t, "message", messageDoc(notify.Message{ID: "m1", Kind: notify.PlanRequested, AssessmentID: "sample-0001", Region: "skane",
		To: "lucja@handskfabriken.se", ReplyTo: "kim@skane.se", Lang: "sv", Subject: "Föreslå en tid- och åtgärdsplan", Body: "Hej Łucja,",
		CreatedAt: at, State: "sent", Attempts: 1, SentAt: at}), same[messageDoc])
	golden(t, "publication", publicationDoc{ID: "code-of-conduct@4", Publication: Publication{QuestionnaireID: "code-of-conduct", Version: 4,
		Hash: "sha256:00", Definition: `{"id":"code-of-conduct"}`, PublishedAt: at}}, same[publicationDoc])
	golden(t, "day", dayDoc{ID: "2026-03-02/skane", Day: "2026-03-02", Region: "skane", Overdue: 3, Undelivered: 1}, same[dayDoc])
}
