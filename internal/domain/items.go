package domain

import (
	"context"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// ItemInput is an agenda item's fields as sent (nil leaves a field as it is). A new item needs a
// title; its kind defaults to debate and its speaking time to DefaultSpeakingTime.
type ItemInput struct {
	Title               *string
	Kind                *string
	StatementID         *string // "" unlinks
	SpeakingTimeSeconds *int
	Position            *int
}

// DefaultSpeakingTime is the speaking time of an item created without one, in seconds.
const DefaultSpeakingTime = 180

// Bounds of an item's speaking time, in seconds.
const (
	minSpeakingTime = 10
	maxSpeakingTime = 3600
)

// apply copies in onto it and returns the fields that break a rule; the statement is checked
// against the conference by the caller.
func (in *ItemInput) apply(it *models.AgendaItem, creating bool) error {
	fe := models.FieldErrors{}
	if creating && (in.Title == nil || strings.TrimSpace(*in.Title) == "") {
		fe.Set("title", models.FieldRequired, "is required")
	}
	if in.Title != nil {
		switch t := strings.TrimSpace(*in.Title); {
		case t == "":
			fe.Set("title", models.FieldRequired, "is required")
		case hasControlText(t, false):
			fe.Set("title", models.FieldControlCharacters, "must not contain control characters")
		case len(t) > 300:
			fe.Set("title", models.FieldTooLong, "must be at most 300 characters")
		default:
			it.Title = t
		}
	}
	if in.Kind != nil {
		if !slices.Contains(models.ItemKinds, models.ItemKind(*in.Kind)) {
			fe.Set("kind", models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(models.ItemKinds), ", "))
		}
		it.Kind = models.ItemKind(*in.Kind)
	}
	if in.SpeakingTimeSeconds != nil {
		if n := *in.SpeakingTimeSeconds; n < minSpeakingTime || n > maxSpeakingTime {
			fe.Set("speaking_time_seconds", models.FieldBadRange, "must be between 10 and 3600 seconds")
		}
		it.SpeakingTimeSeconds = *in.SpeakingTimeSeconds
	}
	if in.StatementID != nil {
		switch id := *in.StatementID; {
		case id == "":
			it.StatementID = nil
		case uuid.Validate(id) != nil:
			fe.Set("statement_id", models.FieldInvalidID, "must be an ID")
		default:
			it.StatementID = &id
		}
	}
	if in.Position != nil {
		if *in.Position < 1 {
			fe.Set("position", models.FieldBadRange, "must be at least 1")
		}
		it.Position = *in.Position
	}
	return fe.Err()
}

// checkStatement refuses a statement that is not of the conference.
func checkStatement(ctx context.Context, tx *models.Store, conferenceID string, it *models.AgendaItem) error {
	if it.StatementID == nil {
		return nil
	}
	found, err := tx.StatementsOfConference(ctx, conferenceID, []string{*it.StatementID})
	if err != nil {
		return err
	}
	if !found[*it.StatementID] {
		return models.Invalid(models.FieldProblem("statement_id", models.FieldUnknownReference, "names a statement that is not part of this conference"))
	}
	return nil
}

// CreateItem adds an agenda item at the end of a session (organisers).
func (s *Service) CreateItem(ctx context.Context, a *Actor, sessionID string, in ItemInput) (*models.AgendaItem, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	sess, err := s.VisibleSession(ctx, a, sessionID)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(sess.ConferenceID, Organisers...); err != nil {
		return nil, err
	}
	it := &models.AgendaItem{SessionID: sess.ID, Kind: models.ItemDebate, SpeakingTimeSeconds: DefaultSpeakingTime}
	in.Position = nil
	if err := in.apply(it, true); err != nil {
		return nil, err
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := checkStatement(ctx, tx, sess.ConferenceID, it); err != nil {
			return err
		}
		if err := tx.CreateItem(ctx, it); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, sess.ConferenceID, "item.create", "agenda_item", it.ID)
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// UpdateItem changes an agenda item (organisers); the live view follows.
func (s *Service) UpdateItem(ctx context.Context, a *Actor, itemID string, in ItemInput) (*models.AgendaItem, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	it, sess, err := s.visibleItem(ctx, a, itemID)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(sess.ConferenceID, Organisers...); err != nil {
		return nil, err
	}
	err = s.changeLive(ctx, a, sess, it.ID, "item.update", false, func(tx *models.Store) error {
		if it, err = tx.LockItem(ctx, it.ID); err != nil {
			return err
		}
		if err := in.apply(it, false); err != nil {
			return err
		}
		if err := checkStatement(ctx, tx, sess.ConferenceID, it); err != nil {
			return err
		}
		return tx.UpdateItem(ctx, it)
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// Items lists the agenda items of a session the actor may see.
func (s *Service) Items(ctx context.Context, a *Actor, sessionID string) ([]models.AgendaItem, error) {
	sess, err := s.VisibleSession(ctx, a, sessionID)
	if err != nil {
		return nil, err
	}
	return s.store.Items(ctx, sess.ID)
}

// visibleItem returns an item and its session if the actor may see the session.
func (s *Service) visibleItem(ctx context.Context, a *Actor, itemID string) (*models.AgendaItem, *models.Session, error) {
	if uuid.Validate(itemID) != nil {
		return nil, nil, models.ErrNotFound
	}
	it, err := s.store.Item(ctx, itemID)
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.VisibleSession(ctx, a, it.SessionID)
	if err != nil {
		return nil, nil, err
	}
	return it, sess, nil
}
