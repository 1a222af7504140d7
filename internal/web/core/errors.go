package core

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/i18n"
)

// StatusOf maps application error codes to HTTP statuses: the one place that does.
var StatusOf = map[apperr.Code]int{
	apperr.Invalid:      fiber.StatusUnprocessableEntity,
	apperr.Unauthorized: fiber.StatusUnauthorized,
	apperr.Forbidden:    fiber.StatusForbidden,
	apperr.NotFound:     fiber.StatusNotFound,
	apperr.Conflict:     fiber.StatusConflict,
	apperr.Gone:         fiber.StatusGone,
	apperr.TooMany:      fiber.StatusTooManyRequests,
	apperr.TooLarge:     fiber.StatusRequestEntityTooLarge,
	apperr.Unavailable:  fiber.StatusServiceUnavailable,
}

var errTooSlow = apperr.New(apperr.Unavailable,
	"Databasen svarade inte i tid. Försök igen om en stund. Det du skickade kan redan vara sparat: skickar du samma sak igen blir det inte dubbelt.",
	"The database did not answer in time. Try again in a moment. What you sent may already be saved: sending the same again does not save it twice.")

// ProblemKinds names each kind of problem by status: its type URI ends in the
// kind, and its title is the kind's name in the reader's language. The API
// documentation (/api/docs) describes each kind under that anchor.
var ProblemKinds = map[int]string{
	fiber.StatusBadRequest:            "invalid-input",
	fiber.StatusUnprocessableEntity:   "invalid-input",
	fiber.StatusUnauthorized:          "unauthorized",
	fiber.StatusForbidden:             "forbidden",
	fiber.StatusNotFound:              "not-found",
	fiber.StatusMethodNotAllowed:      "method-not-allowed",
	fiber.StatusConflict:              "conflict",
	fiber.StatusGone:                  "gone",
	fiber.StatusRequestEntityTooLarge: "too-large",
	fiber.StatusUnsupportedMediaType:  "unsupported-media-type",
	fiber.StatusTooManyRequests:       "too-many-requests",
	fiber.StatusServiceUnavailable:    "unavailable",
	fiber.StatusInternalServerError:   "internal",
}

// kindOf is the problem kind of a status; statuses not named are internal
// (5xx) or invalid input (4xx).
func kindOf(status int) string {
	if k, ok := ProblemKinds[status]; ok {
		return k
	}
	if status >= 500 {
		return "internal"
	}
	return "invalid-input"
}

// problemTypeBase is where the kinds of problem are described.
const problemTypeBase = "/api/docs#problem-"

// problem is an RFC 9457 problem details body.
type problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail"`
	RequestID string         `json:"requestId,omitempty"`
	Errors    []fieldProblem `json:"errors,omitempty"`
}

type fieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// handleError is Fiber's one error handler. Application errors show their
// message; Fiber's own errors (404, 405, 413 …) a standard one; anything else
// is logged in full and shown as an internal error, never with its text.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		// The database did not answer within the request's deadline: a
		// save may or may not have landed, and sent again it merges.
		s.Log.WarnContext(c.UserContext(), "request past its deadline", "route", c.Route().Path, "err", err)
		c.Set(fiber.HeaderRetryAfter, "2")
		err = errTooSlow
	}
	lang := Language(c)
	status := fiber.StatusInternalServerError
	detail := ""
	var fields []fieldProblem

	var fe *fiber.Error
	if ae, ok := apperr.As(err); ok {
		status = StatusOf[ae.Code]
		detail = ae.Message[lang]
		for _, f := range ae.Fields {
			fields = append(fields, fieldProblem{Field: f.Field, Message: f.Message[lang]})
		}
	} else if errors.As(err, &fe) {
		status = fe.Code
	}
	if status == 0 {
		status = fiber.StatusInternalServerError
	}
	if status >= 500 {
		s.Log.ErrorContext(c.UserContext(), "request failed", "err", err, "route", c.Route().Path, "request_id", requestID(c))
	}
	if detail == "" {
		detail = i18n.T(lang, "error."+strconv.Itoa(status))
		if strings.HasPrefix(detail, "error.") {
			detail = i18n.T(lang, "error.400")
		}
	}

	c.Set(fiber.HeaderContentLanguage, lang)
	title := i18n.T(lang, "problem."+kindOf(status))
	if strings.HasPrefix(c.Path(), "/api/") {
		c.Status(status)
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.JSON(problem{
			Type:      problemTypeBase + kindOf(status),
			Title:     title,
			Status:    status,
			Detail:    detail,
			RequestID: requestID(c),
			Errors:    fields,
		}, "application/problem+json")
	}
	data := fiber.Map{
		"Title":     title,
		"Detail":    detail,
		"RequestID": requestID(c),
	}
	// A supplier's link may be opened by someone reading either language:
	// its error pages say it in both.
	if strings.HasPrefix(c.Path(), "/s/") {
		other := i18n.SV
		if lang == i18n.SV {
			other = i18n.EN
		}
		if ae, ok := apperr.As(err); ok {
			data["Other"] = ae.Message[other]
		} else {
			data["Other"] = i18n.T(other, "error."+strconv.Itoa(status))
		}
		data["OtherLang"] = other
	}
	return s.Render(c, status, "error", data)
}
