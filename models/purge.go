package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RetentionOver reports whether the conference's retention period has ended at now: it ends
// RetentionDays after the conference's last day.
func (c *Conference) RetentionOver(now time.Time) bool {
	return now.After(c.EndsOn.AddDate(0, 0, c.RetentionDays+1))
}

// PurgeResult counts what a purge erased.
type PurgeResult struct {
	Delegates int64 // delegates whose personal data was erased
	Mails     int64 // outbox messages deleted
	Tokens    int64 // login and session tokens deleted
}

// PurgeConference erases the personal data of every delegate of a conference in one transaction:
// sealed fields, blind index and feed token are cleared, the display name replaced, sessions and
// one-time links deleted, and the conference's outbox (recipients and template data) deleted.
// Organisations, the agenda and statements stay; they name no one who was not public.
func (s *Store) PurgeConference(ctx context.Context, conferenceID string) (PurgeResult, error) {
	var res PurgeResult
	now := s.now()
	err := s.Tx(ctx, func(tx *Store) error {
		sub := tx.write(ctx).Model(&Delegate{}).Select("id").Where("conference_id = ?", conferenceID)
		t := tx.write(ctx).Where("delegate_id IN (?)", sub).Delete(&AuthToken{})
		if t.Error != nil {
			return t.Error
		}
		res.Tokens = t.RowsAffected
		d := tx.write(ctx).Model(&Delegate{}).Where("conference_id = ? AND erased_at IS NULL", conferenceID).Updates(map[string]any{
			"email_sealed": nil, "email_index": nil, "legal_name_sealed": nil, "interpretation_needs_sealed": nil,
			"accessibility_needs_sealed": nil, "notes_sealed": nil, "decision_reason_sealed": nil, "feed_token_hash": nil, "openpgp_key_sealed": nil,
			"display_name": ErasedName, "country": "", "languages": StringList{}, "needs_visa_letter": false,
			"notify_announcements": false, "notify_agenda": false, "waitlist_seq": nil, "erased_at": now, "updated_at": now,
		})
		if d.Error != nil {
			return d.Error
		}
		res.Delegates = d.RowsAffected
		m := tx.write(ctx).Where("conference_id = ?", conferenceID).Delete(&OutboxMessage{})
		if m.Error != nil {
			return m.Error
		}
		res.Mails = m.RowsAffected
		return tx.Audit(ctx, &AuditEvent{ConferenceID: &conferenceID, ActorKind: "system", Action: "conference.purge", TargetKind: "conference", TargetID: conferenceID})
	})
	if err != nil {
		return res, fmt.Errorf("purge: %w", err)
	}
	return res, nil
}

// Compact makes erased data unrecoverable from the database files: on SQLite (secure_delete is
// on) it checkpoints and truncates the WAL and rebuilds the file with VACUUM; on PostgreSQL it
// runs VACUUM on the tables that held personal data.
func (s *Store) Compact(ctx context.Context) error {
	if s.dialect == SQLite {
		return s.onWriterConn(ctx, func(conn *sql.Conn) error {
			if err := checkpointTruncate(ctx, conn); err != nil {
				return fmt.Errorf("compact: %w", err)
			}
			if _, err := conn.ExecContext(ctx, "VACUUM"); err != nil {
				return fmt.Errorf("compact: %w", err)
			}
			return checkpointTruncate(ctx, conn)
		})
	}
	for _, t := range []string{"delegates", "outbox_messages", "auth_tokens"} {
		if err := s.write(ctx).Exec("VACUUM " + t).Error; err != nil {
			return fmt.Errorf("compact: %w", err)
		}
	}
	return nil
}

// ForgetHistory removes the record of the order in which recent changes happened: on SQLite it
// copies the WAL into the database and truncates it (freed pages are zeroed by secure_delete), on
// PostgreSQL it vacuums the given tables. Run it after a secret ballot closes, so that the files
// no longer show which counter moved with which voter's row.
func (s *Store) ForgetHistory(ctx context.Context, tables ...string) error {
	if s.dialect == SQLite {
		return s.onWriterConn(ctx, func(conn *sql.Conn) error { return checkpointTruncate(ctx, conn) })
	}
	for _, t := range tables {
		if err := s.write(ctx).Exec("VACUUM " + t).Error; err != nil {
			return fmt.Errorf("forget history: %w", err)
		}
	}
	return nil
}

// onWriterConn runs fn on the single SQLite writer connection, outside GORM's statement cache.
func (s *Store) onWriterConn(ctx context.Context, fn func(conn *sql.Conn) error) error {
	sqlDB, err := s.w.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(conn)
}

// checkpointTruncate copies every WAL frame into the database file and truncates the WAL to
// zero bytes. A checkpoint that readers kept from completing (after the busy timeout) is an
// error: the WAL may still hold old versions of rows.
func checkpointTruncate(ctx context.Context, conn *sql.Conn) error {
	var busy, logFrames, done int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil {
		return err
	}
	if busy != 0 {
		return errors.New("wal checkpoint did not complete: readers still hold old pages")
	}
	return nil
}
