package domain

import (
	"context"
	"errors"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// Refusals of the list of speakers.
var (
	errCannotSpeak   = models.Fail(models.KindForbidden, models.CodeNotApproved, "only approved delegates of this conference can ask to speak")
	errListClosed    = models.Conflictf(models.CodeSpeakersClosed, "the list of speakers is closed")
	errAlreadyQueued = models.Conflictf(models.CodeAlreadyQueued, "you are already on the list of speakers")
	errNoSpeaker     = models.Conflictf(models.CodeNoCurrentSpeaker, "nobody has the floor")
)

// SpeakerRequested is a new place on a list of speakers: Position 1 speaks next.
type SpeakerRequested struct {
	Request  *models.SpeakerRequest
	Position int
}

// mayAskToSpeak refuses a delegate who is not approved (or erased, or of another conference),
// and a delegate of an organisation that is not verified.
func (s *Service) mayAskToSpeak(ctx context.Context, d *models.Delegate, conferenceID string) error {
	if d.ConferenceID != conferenceID || d.Status != models.DelegateApproved || d.ErasedAt != nil {
		return errCannotSpeak
	}
	return s.RequireCredentialed(ctx, d)
}

// RequestToSpeak puts the delegate on an item's list of speakers, on site or remote alike. A
// point of order is taken even when the list is closed; a second request while one waits is
// already_on_list.
func (s *Service) RequestToSpeak(ctx context.Context, a *Actor, itemID string, pointOfOrder bool) (*SpeakerRequested, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	it, sess, err := s.visibleItem(ctx, a, itemID)
	if err != nil {
		return nil, err
	}
	if err := s.mayAskToSpeak(ctx, a.Delegate, sess.ConferenceID); err != nil {
		return nil, err
	}
	out := &SpeakerRequested{Request: &models.SpeakerRequest{DelegateID: a.Delegate.ID, PointOfOrder: pointOfOrder}}
	err = s.changeLive(ctx, a, sess, it.ID, "speaker.request", false, func(tx *models.Store) error {
		if it, err = tx.LockItem(ctx, it.ID); err != nil {
			return err
		}
		if it.ListClosed && !pointOfOrder {
			return errListClosed
		}
		out.Request.ItemID = it.ID
		if err := tx.AddSpeaker(ctx, out.Request); errors.Is(err, models.ErrConflict) {
			return errAlreadyQueued
		} else if err != nil {
			return err
		}
		list, err := tx.Speakers(ctx, it.ID)
		if err != nil {
			return err
		}
		for i, r := range list.Queue {
			if r.ID == out.Request.ID {
				out.Position = i + 1
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WithdrawRequest takes the delegate off an item's list of speakers (not_found when not on it).
// The request stays in the history as withdrawn.
func (s *Service) WithdrawRequest(ctx context.Context, a *Actor, itemID string) error {
	if err := a.RequireDelegate(); err != nil {
		return err
	}
	it, sess, err := s.visibleItem(ctx, a, itemID)
	if err != nil {
		return err
	}
	return s.changeLive(ctx, a, sess, it.ID, "speaker.withdraw", false, func(tx *models.Store) error {
		if _, err := tx.LockItem(ctx, it.ID); err != nil {
			return err
		}
		r, err := tx.WaitingRequest(ctx, it.ID, a.Delegate.ID)
		if err != nil {
			return err
		}
		now := tx.Now()
		r.Status, r.FinishedAt = models.SpeakerWithdrawn, &now
		return tx.SaveSpeaker(ctx, r)
	})
}

// ChairAction is what the chair does to an item's list of speakers.
type ChairAction string

// Chair actions: give the floor to the next speaker, extend or end the current turn, close or
// reopen the list.
const (
	ChairNext   ChairAction = "next"
	ChairExtend ChairAction = "extend"
	ChairEnd    ChairAction = "end"
	ChairClose  ChairAction = "close"
	ChairReopen ChairAction = "reopen"
)

// Chair runs a chair's action on an item's list of speakers (organisers) and puts the item on
// the conference's live view. next ends the current turn and gives the floor to the first in the
// queue for the item's speaking time (nobody when the queue is empty); extend adds seconds to the
// current turn. It returns the list afterwards, as the actor may see it.
func (s *Service) Chair(ctx context.Context, a *Actor, itemID string, action ChairAction, seconds int) (*SpeakerListView, error) {
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
	if action == ChairExtend && (seconds < 1 || seconds > maxSpeakingTime) {
		return nil, models.Invalid(models.FieldProblem("seconds", models.FieldBadRange, "must be between 1 and 3600"))
	}
	err = s.changeLive(ctx, a, sess, it.ID, "speaker."+string(action), true, func(tx *models.Store) error {
		if it, err = tx.LockItem(ctx, it.ID); err != nil {
			return err
		}
		list, err := tx.Speakers(ctx, it.ID)
		if err != nil {
			return err
		}
		return chairApply(ctx, tx, it, list, action, seconds)
	})
	if err != nil {
		return nil, err
	}
	return s.SpeakerList(ctx, a, it.ID)
}

// chairApply changes the list inside the chair's transaction.
func chairApply(ctx context.Context, tx *models.Store, it *models.AgendaItem, list *models.SpeakerList, action ChairAction, seconds int) error {
	now := tx.Now()
	cur := list.Current
	switch action {
	case ChairClose, ChairReopen:
		it.ListClosed = action == ChairClose
		return tx.UpdateItem(ctx, it)
	case ChairExtend:
		if cur == nil {
			return errNoSpeaker
		}
		ends := cur.EndsAt.Add(time.Duration(seconds) * time.Second)
		cur.EndsAt = &ends
		return tx.SaveSpeaker(ctx, cur)
	case ChairEnd, ChairNext:
		if cur == nil && action == ChairEnd {
			return errNoSpeaker
		}
		if cur != nil {
			cur.Status, cur.FinishedAt = models.SpeakerSpoken, &now
			if err := tx.SaveSpeaker(ctx, cur); err != nil {
				return err
			}
		}
		if action == ChairEnd || len(list.Queue) == 0 {
			return nil
		}
		next := list.Queue[0]
		ends := now.Add(time.Duration(it.SpeakingTimeSeconds) * time.Second)
		next.Status, next.StartedAt, next.EndsAt = models.SpeakerSpeaking, &now, &ends
		return tx.SaveSpeaker(ctx, &next)
	}
	return models.Invalid(models.FieldProblem("action", models.FieldOneOf, "must be one of: next, extend, end, close, reopen"))
}
