package notify

import (
	"errors"
	"testing"
	"time"
)

// The backoff grows to six hours, and a message not delivered within three
// days has failed.
func TestOutcome(t *testing.T) {
	made := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	temp, perm := errors.New("dial: connection refused"), &PermanentError{errors.New("550 no such user")}
	for _, tt := range []struct {
		attempts int
		at       time.Time
		err      error
		state    string
		wait     time.Duration
	}{
		{0, made, nil, Sent, 0},
		{0, made, temp, Retrying, time.Minute},
		{1, made, temp, Retrying, 5 * time.Minute},
		{2, made, temp, Retrying, 30 * time.Minute},
		{3, made, temp, Retrying, 2 * time.Hour},
		{4, made, temp, Retrying, 6 * time.Hour},
		{9, made.Add(24 * time.Hour), temp, Retrying, 6 * time.Hour},
		{15, made.Add(67 * time.Hour), temp, Failed, 0},
		{0, made, perm, Failed, 0},
	} {
		d := outcome(Message{Attempts: tt.attempts, CreatedAt: made}, tt.err, tt.at)
		wait := time.Duration(0)
		if !d.NextAttempt.IsZero() {
			wait = d.NextAttempt.Sub(tt.at)
		}
		if d.State != tt.state || wait != tt.wait || d.Attempts != tt.attempts+1 {
			t.Errorf("attempt %d at %v, %v: %+v (wait %v), want %s after %v", tt.attempts+1, tt.at, tt.err, d, wait, tt.state, tt.wait)
		}
	}
}
