package listing

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/assessment"
)

// Cursor is a place in a sorted list: the values of the row it stands on
// that any order compares (Sorts). A page after it (or before it) is read
// from there, so a page deep in a long list costs what the first does and
// a row added or changed meanwhile neither repeats nor skips one.
type Cursor struct {
	Due       string    `json:"d,omitempty"`
	Name      string    `json:"n,omitempty"` // lower-cased
	Score     float64   `json:"s"`           // -1 when not scored
	Submitted time.Time `json:"u"`
	Issued    time.Time `json:"i"`
	ID        string    `json:"id"`
}

// CursorOf is the cursor standing on s.
func CursorOf(s *assessment.Summary) Cursor {
	return Cursor{Due: s.DueDate, Name: strings.ToLower(s.SupplierName), Score: scoreKey(s.Total),
		Submitted: s.SubmittedAt, Issued: s.IssuedAt, ID: s.ID}
}

// String is the cursor as a link carries it.
func (c Cursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor reads a cursor from a link; false for anything else.
func ParseCursor(s string) (Cursor, bool) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 1024 || json.Unmarshal(b, &c) != nil || c.ID == "" {
		return Cursor{}, false
	}
	return c, true
}

// summary is a summary with the cursor's values, to compare rows with.
func (c Cursor) summary() *assessment.Summary {
	score := c.Score
	s := &assessment.Summary{DueDate: c.Due, SupplierName: c.Name, SubmittedAt: c.Submitted, IssuedAt: c.Issued, ID: c.ID}
	if score >= 0 {
		s.Total = &score
	}
	return s
}

// window keeps the rows of a page from hits, sorted by compare: after
// q.After, or the last ones before q.Before, or page q.Page.
func window[T any](hits []T, q Query, compare func(a T, b *assessment.Summary) int) []T {
	switch {
	case q.After != nil:
		i := 0
		for i < len(hits) && compare(hits[i], q.After.summary()) <= 0 {
			i++
		}
		return hits[i:min(i+q.PerPage, len(hits))]
	case q.Before != nil:
		i := 0
		for i < len(hits) && compare(hits[i], q.Before.summary()) < 0 {
			i++
		}
		return hits[max(0, i-q.PerPage):i]
	}
	from := min((q.Page-1)*q.PerPage, len(hits))
	return hits[from:min(from+q.PerPage, len(hits))]
}
