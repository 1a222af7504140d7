// Package review carries out what reviewers and auditors do with a
// submitted follow-up: the review, comments, findings, decisions on
// deviations, the desk audit's verdicts, the request for and agreement of
// the time and action plan, settling deviations, closing and withdrawing.
// Every operation is one conditional write with its trail (Records.Change).
package review

import "github.com/regionerna/saq/internal/assessment"

// Service carries out the reviewers' and auditors' operations on a
// submitted follow-up: the review, findings, decisions on deviations, the
// desk audit's verdicts, the time and action plan, closing.
type Service struct{ assessment.Records }

// New returns the reviewers' operations.
func New(cfg assessment.Config) *Service { return &Service{assessment.NewRecords(cfg)} }
