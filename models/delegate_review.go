package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// QuotaError is returned when approving a delegate would exceed the approved-delegate quota of
// their organisation (under the conference's "organisation" quota policy). It wraps ErrConflict.
type QuotaError struct {
	Quota int
}

// Error describes the full quota.
func (e *QuotaError) Error() string {
	return fmt.Sprintf("the organisation's quota of %d approved delegates is full", e.Quota)
}

// Unwrap makes a QuotaError an ErrConflict.
func (e *QuotaError) Unwrap() error { return ErrConflict }

// ReviewOutcome is what a decision or a withdrawal changed: the delegate, and the waitlisted
// delegates approved, in waitlist order, because a place in their organisation freed.
type ReviewOutcome struct {
	Delegate   *Delegate
	Conference *Conference
	Promoted   []*Delegate
}

// DecideDelegate applies an organiser's decision ("approve", "waitlist" or "reject", with an
// optional reason) to a delegate. Call it inside Tx. Under the "organisation" quota policy,
// approving beyond the organisation's quota (0 = unlimited) gives a *QuotaError and changes
// nothing; a waitlisted delegate joins the end of the organisation's waiting list; and an approved
// delegate who is rejected or waitlisted frees a place for the next on the list.
func (s *Store) DecideDelegate(ctx context.Context, id, decision, reason string) (*ReviewOutcome, error) {
	d, conf, org, err := s.lockDelegate(ctx, id)
	if err != nil {
		return nil, err
	}
	was := d.Status
	if decision == "approve" && d.Status != DelegateApproved && org != nil && enforcesQuota(conf, org) {
		n, err := s.approvedIn(ctx, org.ID)
		if err != nil {
			return nil, err
		}
		if n >= int64(org.DelegateQuota) {
			return nil, &QuotaError{Quota: org.DelegateQuota}
		}
	}
	if err := d.Decide(decision, s.now()); err != nil {
		return nil, err
	}
	d.DecisionReason = reason
	if d.Status == DelegateWaitlist {
		seq, err := s.nextWaitlistSeq(ctx, d)
		if err != nil {
			return nil, err
		}
		d.WaitlistSeq = &seq
	}
	if err := s.UpdateDelegateState(ctx, d); err != nil {
		return nil, err
	}
	out := &ReviewOutcome{Delegate: d, Conference: conf}
	if was == DelegateApproved && org != nil {
		if out.Promoted, err = s.promote(ctx, conf, org); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EraseDelegate withdraws a delegate's registration and erases their personal data (see
// Delegate.Erase), revokes their sessions and links, and deletes the mail still queued for them
// under "delegate:<id>:" idempotency keys. Call it inside Tx. A place freed in the organisation
// goes to the next on its waiting list.
func (s *Store) EraseDelegate(ctx context.Context, id string) (*ReviewOutcome, error) {
	d, conf, org, err := s.lockDelegate(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.ErasedAt != nil {
		return nil, ErrNotFound
	}
	was := d.Status
	d.Erase(s.now())
	if err := s.UpdateDelegate(ctx, d); err != nil {
		return nil, err
	}
	if err := s.write(ctx).Where("delegate_id = ?", d.ID).Delete(&AuthToken{}).Error; err != nil {
		return nil, fmt.Errorf("erase delegate: tokens: %w", err)
	}
	prefix := DelegateMailKey(d.ID, "")
	if err := s.write(ctx).Where("idempotency_key >= ? AND idempotency_key < ?", prefix, prefix[:len(prefix)-1]+";").
		Delete(&OutboxMessage{}).Error; err != nil {
		return nil, fmt.Errorf("erase delegate: outbox: %w", err)
	}
	out := &ReviewOutcome{Delegate: d, Conference: conf}
	if was == DelegateApproved && org != nil {
		if out.Promoted, err = s.promote(ctx, conf, org); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DelegateMailKey is the idempotency key of a mail to a delegate about event: every key starts
// with "delegate:<id>:", so that erasure finds the delegate's queued mail.
func DelegateMailKey(delegateID, event string) string {
	return "delegate:" + delegateID + ":" + event
}

// lockDelegate loads a delegate with its conference and organisation, locking the organisation
// row, or the delegate's own row when it has none (PostgreSQL; SQLite's single writer already
// serialises), so that decisions, quota checks and promotions of one organisation never interleave.
func (s *Store) lockDelegate(ctx context.Context, id string) (*Delegate, *Conference, *Organisation, error) {
	d, err := s.Delegate(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	conf, err := s.ConferenceByID(ctx, d.ConferenceID)
	if err != nil {
		return nil, nil, nil, err
	}
	if d.OrganisationID == nil {
		if s.dialect == Postgres {
			var ids []string
			if err := s.locking(s.write(ctx).Model(&Delegate{})).Where("id = ?", id).Pluck("id", &ids).Error; err != nil {
				return nil, nil, nil, fmt.Errorf("lock delegate: %w", err)
			}
			if d, err = s.Delegate(ctx, id); err != nil {
				return nil, nil, nil, err
			}
		}
		return d, conf, nil, nil
	}
	var org Organisation
	err = s.locking(s.write(ctx)).Where("id = ?", *d.OrganisationID).Take(&org).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return d, conf, nil, nil
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("lock organisation: %w", err)
	}
	if err := s.openOrganisation(&org); err != nil {
		return nil, nil, nil, err
	}
	if s.dialect == Postgres { // re-read the delegate now that its organisation is locked
		if d, err = s.Delegate(ctx, id); err != nil {
			return nil, nil, nil, err
		}
	}
	return d, conf, &org, nil
}

func (s *Store) locking(q *gorm.DB) *gorm.DB {
	if s.dialect == Postgres {
		return q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

func enforcesQuota(conf *Conference, org *Organisation) bool {
	return conf.QuotaPolicy == QuotaPerOrganisation && org.DelegateQuota > 0
}

func (s *Store) approvedIn(ctx context.Context, orgID string) (int64, error) {
	var n int64
	err := s.write(ctx).Model(&Delegate{}).Where("organisation_id = ? AND status = ?", orgID, DelegateApproved).Count(&n).Error
	return n, err
}

// nextWaitlistSeq is one past the last waitlist position in the delegate's organisation (or
// among the conference's delegates without one).
func (s *Store) nextWaitlistSeq(ctx context.Context, d *Delegate) (int64, error) {
	q := s.write(ctx).Model(&Delegate{}).Where("conference_id = ?", d.ConferenceID)
	if d.OrganisationID != nil {
		q = q.Where("organisation_id = ?", *d.OrganisationID)
	} else {
		q = q.Where("organisation_id IS NULL")
	}
	var last sql.NullInt64
	if err := q.Select("MAX(waitlist_seq)").Row().Scan(&last); err != nil {
		return 0, fmt.Errorf("waitlist: %w", err)
	}
	return last.Int64 + 1, nil
}

// PromoteWaitlisted approves org's waitlisted delegates, in order, while its quota has room — after
// an organiser raised the quota, for example. Call it inside Tx.
func (s *Store) PromoteWaitlisted(ctx context.Context, conf *Conference, org *Organisation) ([]*Delegate, error) {
	return s.promote(ctx, conf, org)
}

// promote approves waitlisted delegates of org, in waitlist order, while its quota has room.
// Without an enforced quota nothing is promoted: the waiting list is then the organisers' choice.
func (s *Store) promote(ctx context.Context, conf *Conference, org *Organisation) ([]*Delegate, error) {
	if !enforcesQuota(conf, org) || org.Status != OrgVerified { // only a verified organisation's delegates are approved
		return nil, nil
	}
	n, err := s.approvedIn(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	free := int64(org.DelegateQuota) - n
	if free <= 0 {
		return nil, nil
	}
	var ids []string
	err = s.write(ctx).Model(&Delegate{}).Where("organisation_id = ? AND status = ?", org.ID, DelegateWaitlist).
		Order("waitlist_seq, created_at, id").Limit(int(free)).Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("promote: %w", err)
	}
	var out []*Delegate
	for _, id := range ids {
		d, err := s.Delegate(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := d.Decide("approve", s.now()); err != nil {
			return nil, err
		}
		if err := s.UpdateDelegateState(ctx, d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
