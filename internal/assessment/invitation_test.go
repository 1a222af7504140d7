package assessment_test

import (
	"testing"

	"github.com/regionerna/saq/internal/assessment"
)

// Trouble puts the mail server's reply into the word the pages explain.
func TestInvitationTrouble(t *testing.T) {
	for _, tt := range []struct{ reply, want string }{
		{"", ""},
		{"dial tcp 127.0.0.1:2599: connect: connection refused", "unreachable"},
		{"lookup mail.region.se: no such host", "unreachable"},
		{"i/o timeout", "unreachable"},
		{"tls: failed to verify certificate", "unreachable"},
		{"550 5.1.1 mailbox unknown", "rejected"},
		{"smtp error: 553 relaying denied", "rejected"},
		{"451 4.7.1 greylisted, try again later", "delayed"},
		{"something odd", "other"},
	} {
		if got := (assessment.Invitation{Error: tt.reply}).Trouble(); got != tt.want {
			t.Errorf("Trouble(%q) = %q, want %q", tt.reply, got, tt.want)
		}
	}
}
