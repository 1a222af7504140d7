package assessment

import (
	"context"
	"strings"
)

// ContactErased tells whether the contact's name and address are pseudonyms.
func (s Supplier) ContactErased() bool { return strings.HasSuffix(s.ContactEmail, PseudonymDomain) }

// Eraser replaces personal data that other parts of the service keep about
// the follow-ups ids (the outbox, the audit log) by its pseudonyms.
type Eraser func(ctx context.Context, ids []string, p Pseudonyms) error

// PseudonymDomain ends every pseudonymised address: a reserved domain
// (RFC 2606), so no message can reach it.
const PseudonymDomain = "@pseudonym.invalid"

// Pseudonyms maps what is erased (a name or an address) to what replaces it.
type Pseudonyms map[string]string
