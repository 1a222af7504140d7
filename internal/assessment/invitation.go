package assessment

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Invitation is how the mail with the follow-up's current link fared, as
// the outbox reports it. Its states are the outbox's: queued, retrying,
// sent, failed, or kept (no mail server: the coordinator sends the link).
type Invitation struct {
	MessageID   string
	State       string
	Attempts    int
	At          time.Time // when the state was reached
	NextAttempt time.Time // while retrying
	Error       string    // the mail server's last reply
}

// The invitation states that mean the supplier has not been reached.
const (
	InvitationRetrying = "retrying"
	InvitationFailed   = "failed"
)

// undelivered tells whether an invitation in state has not reached the
// supplier's mail server yet, and may never.
// Trouble says, from the mail server's last reply, why the invitation has
// not arrived, in a word the pages put into sentences: "unreachable" (the
// service's own mail server did not answer: nothing is wrong with the
// address), "rejected" (a server refused it for good, most often the
// address), "delayed" (a server asked to try later) or "other"; "" with
// no reply.
func (i Invitation) Trouble() string {
	e := strings.ToLower(strings.TrimSpace(i.Error))
	switch {
	case e == "":
		return ""
	case strings.Contains(e, "connection refused") || strings.Contains(e, "no such host") || strings.Contains(e, "timeout") ||
		strings.Contains(e, "network is unreachable") || strings.Contains(e, "dial tcp") || strings.Contains(e, "eof") ||
		strings.Contains(e, "tls") || strings.Contains(e, "certificate"):
		return "unreachable"
	case strings.HasPrefix(e, "5") || strings.Contains(e, " 5.") || strings.Contains(e, "smtp error: 5"):
		return "rejected"
	case strings.HasPrefix(e, "4") || strings.Contains(e, " 4.") || strings.Contains(e, "smtp error: 4"):
		return "delayed"
	}
	return "other"
}

func undelivered(state string) bool { return state == InvitationRetrying || state == InvitationFailed }

// InvitationID is the outbox id of the invitation that carries the link
// whose hash is tokenHash: one message per link, so an invitation is kept
// once, and a follow-up knows which invitation is its current one.
func InvitationID(id, tokenHash string) string {
	return fmt.Sprintf("invitation:%s:%.12s", id, tokenHash)
}

// Undelivered tells whether the supplier has not started and the mail
// with its link was not delivered: the coordinator has to act. Once the
// supplier answers, the link evidently arrived.
func (s *Summary) Undelivered() bool { return s.Status == Issued && undelivered(s.Invitation) }

// Undelivered is Summary.Undelivered for the whole follow-up.
func (a *Assessment) Undelivered() bool {
	return a.Status == Issued && a.Invitation != nil && undelivered(a.Invitation.State)
}

// ErrReplacedInvitation is returned by TrackInvitation for an invitation
// whose link was replaced, or whose follow-up is gone.
var ErrReplacedInvitation = errors.New("a newer link replaced this invitation's")
