package domain

import (
	"context"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// Decision is an organiser's decision on one registration.
type Decision struct {
	DelegateID string
	Decision   string // approve, waitlist or reject
	Reason     string
}

// DecideDelegate approves, waitlists or rejects a confirmed registration (organisers). Approving
// beyond the organisation's quota is refused (quota_full: waitlist instead, or raise the quota);
// a place freed by rejecting or waitlisting an approved delegate goes to the next on the waiting
// list. The delegate, and each one promoted, is mailed in their language; the decision is audited.
func (s *Service) DecideDelegate(ctx context.Context, a *Actor, in Decision) (*models.Delegate, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	switch in.Decision {
	case "approve", "waitlist", "reject":
	default:
		return nil, models.Invalid(models.FieldProblem("decision", models.FieldOneOf, "must be one of: approve, waitlist, reject"))
	}
	if uuid.Validate(in.DelegateID) != nil {
		return nil, models.ErrNotFound
	}
	d, err := s.store.Delegate(ctx, in.DelegateID)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(d.ConferenceID, Organisers...); err != nil {
		return nil, err
	}
	if in.Decision == "approve" {
		if err := s.RequireCredentialed(ctx, d); err != nil {
			return nil, err
		}
	}
	var out *models.ReviewOutcome
	err = s.change(ctx, func(tx *models.Store) error {
		var err error
		if out, err = tx.DecideDelegate(ctx, in.DelegateID, in.Decision, strings.TrimSpace(in.Reason)); err != nil {
			return err
		}
		d := out.Delegate
		if err := s.audit(ctx, tx, a, d.ConferenceID, "delegate.decide", "delegate", d.ID); err != nil {
			return err
		}
		data := &mail.DecisionData{Conference: out.Conference.Title, Name: d.DisplayName, Decision: string(d.Status), Reason: d.DecisionReason}
		m, err := NewMail(EnvelopeOf(d), decisionEvent(d, string(d.Status)), data)
		if err != nil {
			return err
		}
		return s.EnqueuePromotions(ctx, tx, a, out, m)
	})
	if err != nil {
		return nil, err
	}
	return out.Delegate, nil
}

// EnqueuePromotions writes msgs plus a "waitlist_promoted" mail (and an audit event) for each
// delegate promoted by out, inside tx.
func (s *Service) EnqueuePromotions(ctx context.Context, tx *models.Store, a *Actor, out *models.ReviewOutcome, msgs ...*models.OutboxMessage) error {
	for _, p := range out.Promoted {
		if err := s.audit(ctx, tx, a, p.ConferenceID, "delegate.promote", "delegate", p.ID); err != nil {
			return err
		}
		m, err := NewMail(EnvelopeOf(p), decisionEvent(p, "promoted"),
			&mail.WaitlistPromotedData{Conference: out.Conference.Title, Name: p.DisplayName})
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
	}
	return tx.Enqueue(ctx, msgs...)
}

// decisionEvent names one decision on d, for the idempotency key of its mail.
func decisionEvent(d *models.Delegate, what string) string {
	at := ""
	if d.DecidedAt != nil {
		at = strconv.FormatInt(d.DecidedAt.UnixNano(), 10)
	}
	return "decision:" + what + ":" + at
}
