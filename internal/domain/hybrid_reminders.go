package domain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// onlineReminderEvent names the reminder of sess in a mail's idempotency key. It holds the start
// time, so a session moved to another time is reminded again for its new time, and only then: a
// new title, room or link alone sends nothing new (/me and the personal feed show the current link).
func onlineReminderEvent(sess *models.Session) string {
	return "online-reminder:" + sess.ID + ":" + sess.StartsAt.UTC().Format("20060102T150405Z")
}

// RemindOnline enqueues an "online_reminder" mail, carrying the session's online link, to every
// delegate who may join online (joinsOnline, as the session answer, /me and the personal feed
// decide) a published session with an online link that starts within lead of now. It is meant to
// run every minute in every process: each (delegate, session, start time) is mailed once, however
// often and in however many processes it runs, because the mail's idempotency key names all three
// and the outbox skips a key it holds; the reminders of one session are enqueued under its row
// lock, so processes running at once take turns on it. It returns how many mails it enqueued.
func (s *Service) RemindOnline(ctx context.Context, lead time.Duration) (int, error) {
	now := s.Now()
	sessions, err := s.store.SessionsStartingBetween(ctx, now, now.Add(lead))
	if err != nil {
		return 0, err
	}
	total, errs := 0, []error(nil)
	for i := range sessions {
		n, err := s.remindSession(ctx, &sessions[i])
		total += n
		if err != nil {
			errs = append(errs, fmt.Errorf("session %s: %w", sessions[i].ID, err))
		}
	}
	return total, errors.Join(errs...)
}

// remindSession enqueues the reminders of one session not enqueued yet.
func (s *Service) remindSession(ctx context.Context, sess *models.Session) (int, error) {
	link, err := s.onlineURL(ctx, sess)
	if err != nil || link == "" {
		return 0, err
	}
	event := onlineReminderEvent(sess)
	ids, signedUp, err := s.reminderCandidates(ctx, sess, event)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	msgs, err := s.reminderMails(ctx, sess, link, event, ids, signedUp)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	return s.enqueueReminders(ctx, sess, msgs)
}

// reminderCandidates lists, sorted, the delegates who may join sess online and have no reminder
// of event yet: its speakers, chairs and confirmed attendees (signedUp), and for a plenary the
// approved remote delegates. joinsOnline decides on each.
func (s *Service) reminderCandidates(ctx context.Context, sess *models.Session, event string) ([]string, map[string]bool, error) {
	confirmed, err := s.store.ConfirmedAttendees(ctx, sess.ID)
	if err != nil {
		return nil, nil, err
	}
	signedUp := make(map[string]bool, len(confirmed))
	for _, id := range confirmed {
		signedUp[id] = true
	}
	ids := slices.Concat(sess.SpeakerIDs, sess.ChairIDs, confirmed)
	if sess.Kind == models.KindPlenary {
		remote, err := s.store.RemoteDelegateIDs(ctx, sess.ConferenceID)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, remote...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = models.DelegateMailKey(id, event)
	}
	taken, err := s.store.OutboxKeysTaken(ctx, keys)
	if err != nil {
		return nil, nil, err
	}
	return slices.DeleteFunc(ids, func(id string) bool { return taken[models.DelegateMailKey(id, event)] }), signedUp, nil
}

// reminderMails builds (and seals) the reminder of sess for each of ids whom joinsOnline lets in.
func (s *Service) reminderMails(ctx context.Context, sess *models.Session, link, event string, ids []string, signedUp map[string]bool) ([]*models.OutboxMessage, error) {
	delegates, err := s.store.DelegatesByIDs(ctx, sess.ConferenceID, ids)
	if err != nil {
		return nil, err
	}
	conf, err := s.store.ConferenceByID(ctx, sess.ConferenceID)
	if err != nil {
		return nil, err
	}
	var msgs []*models.OutboxMessage
	for _, id := range ids { // sorted: processes write the same keys in the same order
		d := delegates[id]
		if d == nil || d.Email == "" || !joinsOnline(d, sess, signedUp[id]) {
			continue
		}
		data := &mail.OnlineReminderData{Conference: conf.Title, Name: d.DisplayName, Session: sess.Title,
			When: formatWhen(d.Lang(), conf.Location(), sess.StartsAt, sess.EndsAt), Room: sess.RoomName, Link: link}
		m, err := NewMail(EnvelopeOf(d), event, data)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	s.store.SealOutbox(msgs...) // before the transaction: encryption does not hold the writer
	return msgs, nil
}

// enqueueReminders writes msgs in one transaction under the session's row lock, so processes
// reminding the same session take turns and each counts only what it wrote. It writes nothing if
// the session was cancelled, moved or deleted meanwhile, and leaves out delegates no longer
// approved or erased meanwhile: their rows are locked (FOR SHARE) until the commit, so an erasure
// either commits first and is seen, or waits and then deletes the reminder with their other mail.
func (s *Service) enqueueReminders(ctx context.Context, sess *models.Session, msgs []*models.OutboxMessage) (int, error) {
	err := s.change(ctx, func(tx *models.Store) error {
		cur, err := tx.LockSession(ctx, sess.ID)
		if errors.Is(err, models.ErrNotFound) || (err == nil && (cur.Status != models.SessionPublished || !cur.StartsAt.Equal(sess.StartsAt))) {
			msgs = nil
			return nil
		} else if err != nil {
			return err
		}
		keys, ids := make([]string, len(msgs)), make([]string, len(msgs))
		for i, m := range msgs {
			keys[i], ids[i] = m.IdempotencyKey, models.DelegateOfMailKey(m.IdempotencyKey)
		}
		taken, err := tx.OutboxKeysTaken(ctx, keys)
		if err != nil {
			return err
		}
		approved, err := tx.LockApprovedDelegates(ctx, ids)
		if err != nil {
			return err
		}
		msgs = slices.DeleteFunc(msgs, func(m *models.OutboxMessage) bool {
			return taken[m.IdempotencyKey] || !approved[models.DelegateOfMailKey(m.IdempotencyKey)]
		})
		return tx.Enqueue(ctx, msgs...)
	})
	if err != nil {
		return 0, err
	}
	return len(msgs), nil
}
