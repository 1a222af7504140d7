package notify

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Delivery states of a message in the outbox.
const (
	Queued   = "queued"   // to be sent now
	Retrying = "retrying" // the server could not take it; tried again at NextAttempt
	Sent     = "sent"
	Failed   = "failed" // refused for good, or not delivered within GiveUpAfter
	Kept     = "kept"   // no mail server is configured: the outbox is the channel
)

const invitationKind = "invitation"

// replaced is the reason a retry of an invitation is not made.
const replaced = "not sent: a newer link replaced this one, or the follow-up no longer takes answers"

// Delivery is what the outbox records of a message's sending.
type Delivery struct {
	State       string
	Attempts    int
	NextAttempt time.Time // when a queued or retrying message is due
	SentAt      time.Time
	Error       string // the server's last reply or the connection's failure
}

// Backoff is how long after each failed attempt the next one comes; after
// the last, every Backoff[len-1] until GiveUpAfter has passed since the
// message was made.
var Backoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

// GiveUpAfter is how long a message is retried before it counts as failed.
const GiveUpAfter = 3 * 24 * time.Hour

// Lease is how long an attempt holds its message: another instance tries
// again only after it, which is a resend if the first instance sent the
// message and stopped before recording it, and never a loss.
const Lease = 5 * time.Minute

// Claimer claims key for the period that starts at at, once across every
// instance; it reports whether this call won.
type Claimer func(ctx context.Context, key string, at time.Time) (bool, error)

// PermanentError is a refusal that trying again cannot mend (an SMTP 5xx).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// ClaimWith makes every attempt claim its message first, so that instances
// sharing one outbox send each message once. Retry needs it.
func (n *Notifier) ClaimWith(c Claimer) { n.claim = c }

// Retry sends the messages that are due: queued ones nobody has sent, and
// retrying ones whose time has come. Every instance may call it; each
// message is attempted by one. It returns how many it sent.
func (n *Notifier) Retry(ctx context.Context) (int, error) {
	if n.sender == nil || n.claim == nil {
		return 0, nil
	}
	due, err := n.outbox.Due(ctx, n.now().UTC(), 100)
	if err != nil {
		return 0, fmt.Errorf("read due mail: %w", err)
	}
	sent := 0
	for _, m := range due {
		ok, err := n.attempt(ctx, m)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// attempt sends m once, unless another instance holds it, and records the
// outcome; it reports whether the message went out.
func (n *Notifier) attempt(ctx context.Context, m Message) (bool, error) {
	now := n.now().UTC()
	next := Delivery{State: m.State, Attempts: m.Attempts, NextAttempt: now.Add(Lease), Error: m.Error}
	if n.claim != nil {
		key := fmt.Sprintf("mail:%s:%d", m.ID, m.Attempts+1)
		if ok, err := n.claim(ctx, key, now.Truncate(Lease)); err != nil || !ok {
			return false, err
		}
		// Held for the lease: other instances leave it until then.
		if err := n.outbox.Record(ctx, m.ID, next); err != nil {
			return false, fmt.Errorf("hold %s: %w", m.ID, err)
		}
	}
	if m.Kind == invitationKind && m.Attempts > 0 && n.tracker != nil {
		if ok, err := n.tracker.InvitationCurrent(ctx, m.AssessmentID, m.ID); err != nil {
			return false, fmt.Errorf("check %s: %w", m.ID, err)
		} else if !ok {
			// Never send a revoked link; the outbox says why.
			return false, n.outbox.Record(ctx, m.ID, Delivery{State: Failed, Attempts: m.Attempts, Error: replaced})
		}
	}
	out, err := n.withLink(m)
	if err == nil {
		err = n.sender.Send(ctx, out)
	}
	if n.observe != nil {
		n.observe(m.Kind, err != nil)
	}
	d := outcome(m, err, n.now().UTC())
	if err != nil {
		n.log.WarnContext(ctx, "mail not delivered", "kind", m.Kind, "assessment", m.AssessmentID, "state", d.State,
			"attempt", d.Attempts, "next", d.NextAttempt, "err", err)
	}
	if err := n.outbox.Record(ctx, m.ID, d); err != nil {
		return d.State == Sent, fmt.Errorf("record %s: %w", m.ID, err)
	}
	n.track(ctx, m, d)
	return d.State == Sent, nil
}

// outcome is the delivery after an attempt at m that ended in err.
func outcome(m Message, err error, now time.Time) Delivery {
	d := Delivery{Attempts: m.Attempts + 1}
	var perm *PermanentError
	switch {
	case err == nil:
		d.State, d.SentAt = Sent, now
	case errors.As(err, &perm):
		d.State, d.Error = Failed, err.Error()
	default:
		wait := Backoff[min(d.Attempts, len(Backoff))-1]
		d.State, d.Error, d.NextAttempt = Retrying, err.Error(), now.Add(wait)
		if d.NextAttempt.Sub(m.CreatedAt) > GiveUpAfter {
			d.State, d.NextAttempt = Failed, time.Time{}
		}
	}
	return d
}
