// Package apperr defines the errors the service shows its users: a code that
// decides the HTTP status, and a message in Swedish and English. Any other
// error is an internal one, logged in full and shown only as "internal error".
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an application error.
type Code string

const (
	Invalid      Code = "invalid"      // the input is wrong; Fields say where
	Unauthorized Code = "unauthorized" // who you are is not known
	Forbidden    Code = "forbidden"    // you may not do this
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"    // stale version, illegal transition, duplicate
	Gone         Code = "gone"        // revoked or expired
	TooMany      Code = "too_many"    // rate-limited
	TooLarge     Code = "too_large"   // the body is longer than its route takes
	Unavailable  Code = "unavailable" // the service cannot store now (disk full, read-only); try later
)

// Field is one problem with one input field.
type Field struct {
	Field   string            `json:"field"`
	Message map[string]string `json:"-"` // by language
}

// Error is an error whose message the user may read.
type Error struct {
	Code    Code
	Message map[string]string // by language: sv, en
	Fields  []Field
	RetryAt time.Time // TooMany: when to try again
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message["en"]) }

// New makes an application error with a message in Swedish and English.
func New(code Code, sv, en string) *Error {
	return &Error{Code: code, Message: map[string]string{"sv": sv, "en": en}}
}

// As returns the application error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Errors the storage layer returns, so that domain packages can tell them
// apart without knowing the database. Neither is shown to users as such.
var (
	ErrNotFound  = errors.New("not found")
	ErrDuplicate = errors.New("duplicate key")
)
