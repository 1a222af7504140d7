package followup

import (
	"context"
	"errors"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
)

// TrackInvitation records on follow-up id how its invitation fared. An
// invitation for a link that was since replaced changes nothing and gets
// ErrReplacedInvitation. Reaching sent or failed is written in the trail.
func (s *Service) TrackInvitation(ctx context.Context, id string, inv assessment.Invitation) error {
	_, err := s.Repo.Update(ctx, id, func(a *assessment.Assessment) error {
		if inv.MessageID != assessment.InvitationID(a.ID, a.TokenHash) {
			return assessment.ErrReplacedInvitation
		}
		if a.Invitation != nil && *a.Invitation == inv {
			return assessment.ErrUnchanged
		}
		var action string
		var changes []assessment.Change
		switch {
		case inv.State == "sent" && (a.Invitation == nil || a.Invitation.State != "sent"):
			action, changes = assessment.ActInvitationSent, []assessment.Change{{Field: "to", Before: "", After: a.Supplier.ContactEmail}}
		case inv.State == assessment.InvitationFailed && (a.Invitation == nil || a.Invitation.State != assessment.InvitationFailed):
			action, changes = assessment.ActInvitationFailed, []assessment.Change{{Field: "error", Before: "", After: inv.Error}}
		}
		if action != "" {
			a.Trail = append(a.Trail, assessment.TrailEntry{At: inv.At, By: "system", Action: action, Changes: changes})
		}
		a.Invitation = &inv
		return nil
	})
	switch {
	case errors.Is(err, assessment.ErrUnchanged):
		return nil
	case errors.Is(err, apperr.ErrNotFound):
		return assessment.ErrReplacedInvitation // the follow-up is gone; so is the need to send
	}
	return err
}

// InvitationCurrent tells whether the invitation messageID still carries
// follow-up id's link and the supplier may still answer, so that a retry
// never sends a revoked link.
func (s *Service) InvitationCurrent(ctx context.Context, id, messageID string) (bool, error) {
	a, err := s.Repo.Get(ctx, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return messageID == assessment.InvitationID(a.ID, a.TokenHash) && a.Status.SupplierMayAnswer(), nil
}
