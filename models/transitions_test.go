package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestDelegateMoves tries every delegate status against every target status, through the method
// that leads there (Confirm, Decide or Cancel): the legal moves change the status and stamp the
// time (and drop the waitlist position when leaving the waitlist), every other one is a
// TransitionError that leaves the delegate as it was. No method leads
// back to pending_confirmation, so that target has no column.
func TestDelegateMoves(t *testing.T) {
	all := []models.DelegateStatus{models.DelegatePending, models.DelegateSubmitted, models.DelegateApproved,
		models.DelegateWaitlist, models.DelegateRejected, models.DelegateCancelled}
	at := time.Date(2027, 9, 5, 10, 0, 0, 0, time.UTC)
	moves := map[models.DelegateStatus]func(d *models.Delegate) error{
		models.DelegateSubmitted: func(d *models.Delegate) error { return d.Confirm(at) },
		models.DelegateApproved:  func(d *models.Delegate) error { return d.Decide("approve", at) },
		models.DelegateWaitlist:  func(d *models.Delegate) error { return d.Decide("waitlist", at) },
		models.DelegateRejected:  func(d *models.Delegate) error { return d.Decide("reject", at) },
		models.DelegateCancelled: func(d *models.Delegate) error { return d.Cancel(at) },
	}
	legal := map[string]bool{
		"pending_confirmation>submitted": true, "pending_confirmation>cancelled": true,
		"submitted>approved": true, "submitted>waitlisted": true, "submitted>rejected": true, "submitted>cancelled": true,
		"approved>waitlisted": true, "approved>rejected": true, "approved>cancelled": true,
		"waitlisted>approved": true, "waitlisted>rejected": true, "waitlisted>cancelled": true,
		"rejected>approved": true, "rejected>waitlisted": true, "rejected>cancelled": true,
	}
	for _, from := range all {
		for to, move := range moves {
			d := &models.Delegate{Status: from}
			if from == models.DelegateWaitlist {
				seq := int64(3)
				d.WaitlistSeq = &seq
			}
			err := move(d)
			var te *models.TransitionError
			switch {
			case legal[string(from)+">"+string(to)] && err != nil:
				t.Errorf("%s → %s: got %v, want allowed", from, to, err)
			case !legal[string(from)+">"+string(to)] && !errors.As(err, &te):
				t.Errorf("%s → %s: got %v, want a TransitionError", from, to, err)
			case err != nil && (d.Status != from || (d.WaitlistSeq != nil) != (from == models.DelegateWaitlist) ||
				d.ConfirmedAt != nil || d.DecidedAt != nil || d.CancelledAt != nil):
				t.Errorf("%s → %s refused but changed the delegate: %+v", from, to, d)
			case err == nil && d.Status != to:
				t.Errorf("%s → %s: status is %s", from, to, d.Status)
			case err == nil && stamp(d, to) == nil:
				t.Errorf("%s → %s: the time of the move is not recorded", from, to)
			case err == nil && to != models.DelegateWaitlist && d.WaitlistSeq != nil:
				t.Errorf("%s → %s: kept waitlist position %d, want none off the waitlist", from, to, *d.WaitlistSeq)
			}
		}
	}
}

// stamp returns the time field a move to status records.
func stamp(d *models.Delegate, status models.DelegateStatus) *time.Time {
	switch status {
	case models.DelegateSubmitted:
		return d.ConfirmedAt
	case models.DelegateCancelled:
		return d.CancelledAt
	default:
		return d.DecidedAt
	}
}

// TestSessionMoves tries every session status against every target status (and an unknown one):
// the legal moves change the status, every other one is a TransitionError that leaves it.
func TestSessionMoves(t *testing.T) {
	all := []models.SessionStatus{models.SessionDraft, models.SessionPublished, models.SessionCancelled}
	legal := map[string]bool{
		"draft>published": true, "draft>cancelled": true,
		"published>draft": true, "published>cancelled": true,
		"cancelled>draft": true,
	}
	for _, from := range all {
		for _, to := range append(all, "archived") {
			s := &models.Session{Status: from}
			err := s.SetStatus(to)
			var te *models.TransitionError
			switch {
			case legal[string(from)+">"+string(to)] && err != nil:
				t.Errorf("%s → %s: got %v, want allowed", from, to, err)
			case !legal[string(from)+">"+string(to)] && !errors.As(err, &te):
				t.Errorf("%s → %s: got %v, want a TransitionError", from, to, err)
			case err != nil && s.Status != from:
				t.Errorf("%s → %s refused but the status is now %s", from, to, s.Status)
			case err == nil && s.Status != to:
				t.Errorf("%s → %s: status is %s", from, to, s.Status)
			}
		}
	}
}
