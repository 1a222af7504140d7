package store_test

import (
	"testing"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
)

// TestPurge: what is past its time goes, what is not stays; and one
// instance, not two, claims each period's run.
func TestPurge(t *testing.T) {
	s := storetest.New(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	acc, out := s.Accounts(), s.Outbox()
	for id, expires := range map[string]time.Time{"expired": now.Add(-time.Minute), "live": now.Add(time.Hour)} {
		if err := acc.InsertSession(ctx, account.Session{ID: id, UserID: "u", ExpiresAt: expires}); err != nil {
			t.Fatal(err)
		}
	}
	for _, window := range []time.Time{now.Add(-25 * time.Hour), now.Add(-15 * time.Minute)} {
		if err := acc.ClaimAttempt(ctx, "ip:192.0.2.1", window, 1, window); err != nil {
			t.Fatal(err)
		}
	}
	day := 24 * time.Hour
	for _, m := range []notify.Message{
		{ID: "sent-long-ago", SentAt: now.Add(-91 * day)},
		{ID: "failed-long-ago", SentAt: now.Add(-91 * day), Error: "550 no such user"},
		{ID: "sent-lately", SentAt: now.Add(-89 * day)},
		{ID: "never-sent", CreatedAt: now.Add(-400 * day)}, // kept in the outbox only (no mail server)
	} {
		m.Kind, m.Region = "invitation", "skane"
		if err := out.Add(ctx, m); err != nil {
			t.Fatal(err)
		}
		if !m.SentAt.IsZero() {
			if err := out.Record(ctx, m.ID, notify.Delivery{State: notify.Sent, Attempts: 1, SentAt: m.SentAt, Error: m.Error}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, period := range []time.Time{now.Add(-8 * day), now} {
		if ok, err := s.Claim(ctx, "purge", period); err != nil || !ok {
			t.Fatalf("claim %v: %v, %v", period, ok, err)
		}
	}
	if ok, err := storetest.Instance(t, s).Claim(ctx, "purge", now); err != nil || ok {
		t.Errorf("a second instance claimed the same period: %v, %v", ok, err)
	}

	got, err := s.Purge(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Purged{"sessions": 1, "sign-in failures": 1, "sent mail": 1, "job claims": 1}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("purged %d %s, want %d (all: %v)", got[k], k, n, got)
		}
	}
	if _, err := acc.Session(ctx, "live"); err != nil {
		t.Errorf("live session: %v", err)
	}
	if n, _, err := acc.Attempts(ctx, "ip:192.0.2.1", now.Add(-15*time.Minute)); err != nil || n != 1 {
		t.Errorf("this window's failures: %d, %v", n, err)
	}
	msgs, err := out.List(ctx, "", nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, m := range msgs {
		kept = append(kept, m.ID)
	}
	if len(kept) != 3 {
		t.Errorf("outbox keeps %v, want failed-long-ago, sent-lately and never-sent", kept)
	}
	if ok, err := s.Claim(ctx, "purge", now.Add(-8*day)); err != nil || !ok {
		t.Errorf("a purged claim's period: %v, %v; want claimable again", ok, err)
	}
}
