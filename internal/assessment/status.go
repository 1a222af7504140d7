package assessment

import (
	"fmt"
	"slices"

	"github.com/regionerna/saq/internal/apperr"
)

// Status is where an assessment is in the follow-up.
type Status string

const (
	Issued            Status = "issued"      // link sent, nothing answered yet
	InProgress        Status = "in_progress" // the supplier is answering
	Submitted         Status = "submitted"
	InReview          Status = "in_review"
	Returned          Status = "returned" // sent back to the supplier for clarification
	CorrectiveActions Status = "corrective_actions"
	Closed            Status = "closed"
	Expired           Status = "expired" // past due without a submission
	Withdrawn         Status = "withdrawn"
)

// transitions is the one table of which status may follow which.
var transitions = map[Status][]Status{
	Issued:            {InProgress, Submitted, Expired, Withdrawn},
	InProgress:        {Submitted, Expired, Withdrawn},
	Submitted:         {InReview, Returned, Withdrawn},
	InReview:          {Returned, CorrectiveActions, Closed, Withdrawn},
	Returned:          {InProgress, Submitted, Expired, Withdrawn},
	CorrectiveActions: {Closed, Withdrawn},
	Expired:           {InProgress, Withdrawn}, // a coordinator extends the due date
	Closed:            {},
	Withdrawn:         {},
}

// Statuses lists every status in follow-up order.
var Statuses = []Status{Issued, InProgress, Submitted, InReview, Returned, CorrectiveActions, Closed, Expired, Withdrawn}

// CanBecome tells whether the table allows s → to.
func (s Status) CanBecome(to Status) bool { return slices.Contains(transitions[s], to) }

// MoveTo returns a Conflict error when the table does not allow s → to.
func (s Status) MoveTo(to Status) error {
	if s.CanBecome(to) {
		return nil
	}
	return apperr.New(apperr.Conflict,
		fmt.Sprintf("Självutvärderingen kan inte gå från %s till %s.", statusSV[s], statusSV[to]),
		fmt.Sprintf("The self-assessment cannot go from %s to %s.", statusEN[s], statusEN[to]))
}

// ReviewedStatuses are those in which a review has begun: under review,
// with actions, or closed. Before that no deviation is confirmed and a
// traffic light means nothing.
var ReviewedStatuses = []Status{InReview, CorrectiveActions, Closed}

// Reviewed tells whether s is one of ReviewedStatuses.
func (s Status) Reviewed() bool { return slices.Contains(ReviewedStatuses, s) }

// SupplierMayAnswer tells whether the supplier may change answers in status s.
func (s Status) SupplierMayAnswer() bool { return s == Issued || s == InProgress || s == Returned }

var statusSV = map[Status]string{
	Issued: "utskickad", InProgress: "påbörjad", Submitted: "inskickad", InReview: "under granskning",
	Returned: "återsänd för komplettering", CorrectiveActions: "åtgärder pågår", Closed: "avslutad",
	Expired: "förfallen", Withdrawn: "återkallad",
}

var statusEN = map[Status]string{
	Issued: "issued", InProgress: "in progress", Submitted: "submitted", InReview: "in review",
	Returned: "returned for clarification", CorrectiveActions: "corrective actions", Closed: "closed",
	Expired: "expired", Withdrawn: "withdrawn",
}

// SupplierLabel is the status as the supplier's own page says it: what
// it means for them, not the region's word for it ("utskickad").
func (s Status) SupplierLabel(lang string) string {
	words := map[Status][2]string{
		Issued:     {"inte påbörjad", "not started"},
		InProgress: {"påbörjad, inte inskickad", "started, not sent in"},
		Returned:   {"tillbaka hos er för komplettering", "back with you for clarification"},
	}[s]
	switch {
	case words[0] == "":
		return s.Label(lang)
	case lang == "en":
		return words[1]
	}
	return words[0]
}

// Label is the status in words, in lang.
func (s Status) Label(lang string) string {
	if lang == "en" {
		return statusEN[s]
	}
	return statusSV[s]
}
