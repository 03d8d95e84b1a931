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
	confirmed, err := s.store.ConfirmedAttendees(ctx, sess.ID)
	if err != nil {
		return 0, err
	}
	signedUp := make(map[string]bool, len(confirmed))
	for _, id := range confirmed {
		signedUp[id] = true
	}
	ids := slices.Concat(sess.SpeakerIDs, sess.ChairIDs, confirmed)
	if sess.Kind == models.KindPlenary {
		remote, err := s.store.RemoteDelegateIDs(ctx, sess.ConferenceID)
		if err != nil {
			return 0, err
		}
		ids = append(ids, remote...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	event := onlineReminderEvent(sess)
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = models.DelegateMailKey(id, event)
	}
	taken, err := s.store.OutboxKeysTaken(ctx, keys)
	if err != nil {
		return 0, err
	}
	ids = slices.DeleteFunc(ids, func(id string) bool { return taken[models.DelegateMailKey(id, event)] })
	if len(ids) == 0 {
		return 0, nil
	}
	delegates, err := s.store.DelegatesByIDs(ctx, sess.ConferenceID, ids)
	if err != nil {
		return 0, err
	}
	conf, err := s.store.ConferenceByID(ctx, sess.ConferenceID)
	if err != nil {
		return 0, err
	}
	var msgs []*models.OutboxMessage
	for _, id := range ids { // sorted: two processes insert the same keys in the same order
		d := delegates[id]
		if d == nil || d.Email == "" || !joinsOnline(d, sess, signedUp[id]) {
			continue
		}
		data := &mail.OnlineReminderData{Conference: conf.Title, Name: d.DisplayName, Session: sess.Title,
			When: formatWhen(d.Lang(), conf.Location(), sess.StartsAt, sess.EndsAt), Room: sess.RoomName, Link: link}
		m, err := NewMail(EnvelopeOf(d), event, data)
		if err != nil {
			return 0, err
		}
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	s.store.SealOutbox(msgs...) // before the transaction: encryption does not hold the writer
	err = s.change(ctx, func(tx *models.Store) error {
		// Locked, so a cancellation or a move committing meanwhile is either seen here or waits.
		cur, err := tx.LockSession(ctx, sess.ID)
		if errors.Is(err, models.ErrNotFound) {
			msgs = nil
			return nil
		} else if err != nil {
			return err
		}
		if cur.Status != models.SessionPublished || !cur.StartsAt.Equal(sess.StartsAt) {
			msgs = nil
			return nil
		}
		// Another process reminding this session held the lock before: what it enqueued counts
		// as its own (Enqueue would skip the keys anyway).
		keys := make([]string, len(msgs))
		for i, m := range msgs {
			keys[i] = m.IdempotencyKey
		}
		taken, err := tx.OutboxKeysTaken(ctx, keys)
		if err != nil {
			return err
		}
		msgs = slices.DeleteFunc(msgs, func(m *models.OutboxMessage) bool { return taken[m.IdempotencyKey] })
		return tx.Enqueue(ctx, msgs...)
	})
	return len(msgs), err
}
