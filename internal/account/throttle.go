package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/regionerna/saq/internal/apperr"
)

// Limits on sign-in attempts within one window. An attempt is claimed
// before the passphrase is judged, so parallel requests cannot pass a limit
// together, and released again when it succeeds: only failures count.
const (
	FailureWindow = 15 * time.Minute
	// MaxAccountAddressFailures: wrong passphrases for one account from one
	// address before that address waits for the next window.
	MaxAccountAddressFailures = 5
	// MaxIPFailures: wrong passphrases from one address, over all accounts.
	MaxIPFailures = 20
	// FreeAccountFailures: wrong passphrases for one account from all
	// addresses together before each further try waits, twice as long each
	// time (1 s, 2 s, 4 s …). No stranger can lock an account: at worst he
	// slows it.
	FreeAccountFailures = 10
	// MaxAttemptSlots caps what one counter counts.
	MaxAttemptSlots = 64
)

// throttle is one limit on one counter.
type throttle struct {
	key  string
	max  int           // attempts in a window; the next waits for the window's end
	free int           // attempts before delays begin; max when zero
	step time.Duration // the first delay, doubled for each attempt after it
}

// claim takes the next attempt of t in window, or says when to try again.
// It returns the slot it took, for release.
func (s *Service) claim(ctx context.Context, t throttle, window, now time.Time) (int, error) {
	n, last, err := s.repo.Attempts(ctx, t.key, window)
	if err != nil {
		return 0, fmt.Errorf("read attempts: %w", err)
	}
	for {
		if at, ok := t.allows(n+1, last, now, window); !ok {
			return 0, tooMany(at, now)
		}
		err := s.repo.ClaimAttempt(ctx, t.key, window, n+1, now)
		if err == nil {
			return n + 1, nil
		}
		if !errors.Is(err, apperr.ErrDuplicate) {
			return 0, fmt.Errorf("claim attempt: %w", err)
		}
		n, last = n+1, now // another request took it just now
	}
}

// allows tells whether attempt n may go ahead now, the last having been
// claimed at last; if not, when it may.
func (t throttle) allows(n int, last, now, window time.Time) (time.Time, bool) {
	end := window.Add(FailureWindow)
	if n > t.max || n > MaxAttemptSlots {
		return end, false
	}
	if t.free == 0 || n <= t.free {
		return time.Time{}, true
	}
	wait := t.step << min(n-t.free-1, 20)
	if at := last.Add(wait); now.Before(at) {
		if at.After(end) {
			at = end
		}
		return at, false
	}
	return time.Time{}, true
}

// tooMany says when to try again: in seconds when it is soon, else by the
// clock in Swedish time.
func tooMany(at, now time.Time) error {
	var e *apperr.Error
	if secs := int(at.Sub(now).Seconds()) + 1; secs < 120 {
		e = apperr.New(apperr.TooMany,
			fmt.Sprintf("För många misslyckade försök. Försök igen om %d sekunder.", secs),
			fmt.Sprintf("Too many failed attempts. Try again in %d seconds.", secs))
	} else {
		local := at.In(stockholm)
		e = apperr.New(apperr.TooMany,
			fmt.Sprintf("För många misslyckade försök. Försök igen kl. %s.", local.Format("15:04")),
			fmt.Sprintf("Too many failed attempts. Try again at %s (Swedish time).", local.Format("15:04")))
	}
	e.RetryAt = at
	return e
}

var stockholm = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return l
	}
	return time.UTC
}()

// Guard refuses with a TooMany error once key has had limit failures in the
// current window. Other parts of the service use it, with Fail, to slow
// down guessing.
func (s *Service) Guard(ctx context.Context, key string, limit int) error {
	now := s.now().UTC()
	window := now.Truncate(FailureWindow)
	// Fail claims the slots in order and nothing releases one, so the
	// limit is reached exactly when its slot is taken: one read.
	full, err := s.repo.AttemptTaken(ctx, key, window, limit)
	if err != nil {
		return fmt.Errorf("read attempts: %w", err)
	}
	if full {
		return tooMany(window.Add(FailureWindow), now)
	}
	return nil
}

// Fail counts one failure against key in the current window. Past limit it
// returns a TooMany error, so that however many requests fail at once, no
// more than limit of them are answered as failures.
func (s *Service) Fail(ctx context.Context, key string, limit int) error {
	now := s.now().UTC()
	_, err := s.claim(ctx, throttle{key: key, max: limit}, now.Truncate(FailureWindow), now)
	return err
}

// signInThrottles are the limits one sign-in attempt is held to.
func signInThrottles(email, ip string) []throttle {
	return []throttle{
		{key: "account-ip:" + email + "|" + ip, max: MaxAccountAddressFailures},
		{key: "ip:" + ip, max: MaxIPFailures},
		{key: "account:" + email, max: MaxAttemptSlots, free: FreeAccountFailures, step: time.Second},
	}
}
