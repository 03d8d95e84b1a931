package models

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// DelegateFilter selects the delegates of a conference for staff review. Query is a
// case-insensitive substring of the display name (pseudonyms only: personal fields are sealed and
// cannot be searched). On SQLite the case folding covers ASCII letters only.
type DelegateFilter struct {
	ConferenceID   string
	Status         DelegateStatus
	OrganisationID string
	Role           DelegateRole
	Attendance     AttendanceMode
	Query          string
	Page           Page
}

func (s *Store) delegateQuery(ctx context.Context, f DelegateFilter) *gorm.DB {
	q := s.read(ctx).Model(&Delegate{}).Where("conference_id = ?", f.ConferenceID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.OrganisationID != "" {
		q = q.Where("organisation_id = ?", f.OrganisationID)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.Attendance != "" {
		q = q.Where("attendance = ?", f.Attendance)
	}
	if f.Query != "" {
		q = q.Where(`LOWER(display_name) LIKE ? ESCAPE '\'`, "%"+escapeLike(strings.ToLower(f.Query))+"%")
	}
	return q
}

// ListDelegates returns one page of a conference's delegates, oldest first, WITHOUT opening their
// personal fields (staff lists never show them; GetDelegate does, and is audited).
func (s *Store) ListDelegates(ctx context.Context, f DelegateFilter) ([]Delegate, error) {
	q := s.delegateQuery(ctx, f)
	if f.Page.AfterID != "" {
		q = q.Where("(created_at > ?) OR (created_at = ? AND id > ?)", f.Page.AfterTime, f.Page.AfterTime, f.Page.AfterID)
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	var ds []Delegate
	if err := q.Order("created_at, id").Limit(limit).Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("list delegates: %w", err)
	}
	return ds, nil
}

// CountDelegates returns how many delegates match f (its Page is ignored).
func (s *Store) CountDelegates(ctx context.Context, f DelegateFilter) (int64, error) {
	var n int64
	err := s.delegateQuery(ctx, f).Count(&n).Error
	return n, err
}

// EachDelegate calls fn for every delegate of a conference, oldest first, with personal fields
// opened (exports). It reads in pages, so memory stays flat.
func (s *Store) EachDelegate(ctx context.Context, conferenceID string, fn func(*Delegate) error) error {
	f := DelegateFilter{ConferenceID: conferenceID, Page: Page{Limit: MaxLimit}}
	for {
		ds, err := s.ListDelegates(ctx, f)
		if err != nil {
			return err
		}
		for i := range ds {
			if err := s.openDelegate(&ds[i]); err != nil {
				return err
			}
			if err := fn(&ds[i]); err != nil {
				return err
			}
		}
		if len(ds) < f.Page.Limit {
			return nil
		}
		last := ds[len(ds)-1]
		f.Page.AfterTime, f.Page.AfterID = last.CreatedAt, last.ID
	}
}

// Participant is one line of the public participants list: only what a public delegate chose to
// show. Organisation is empty unless the organisation is verified and listed.
type Participant struct {
	ID           string `gorm:"column:id"`
	DisplayName  string `gorm:"column:display_name"`
	Country      string `gorm:"column:country"`
	Organisation string `gorm:"column:organisation"`
	// Visibility is public, or participants in a list for approved delegates (ParticipantPage.Participants).
	Visibility Visibility `gorm:"column:visibility"`
}

// ParticipantPage is the keyset position in the participants list, ordered by display name.
type ParticipantPage struct {
	Limit     int
	AfterName string
	AfterID   string
	// Participants adds the delegates who show themselves to participants only: set it for an
	// approved delegate of the conference, never for the public.
	Participants bool
}

// ListParticipants returns the public participants of a conference: approved, visibility public,
// not erased. Nothing about any other delegate influences the answer.
func (s *Store) ListParticipants(ctx context.Context, conferenceID string, p ParticipantPage) ([]Participant, error) {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	q := s.read(ctx).Table("delegates AS d").
		Select(`d.id AS id, d.display_name AS display_name, d.country AS country, d.visibility AS visibility,
			CASE WHEN o.listed = ? AND o.status = ? THEN o.name ELSE '' END AS organisation`, true, OrgVerified).
		Joins("LEFT JOIN organisations AS o ON o.id = d.organisation_id").
		Where("d.conference_id = ? AND d.status = ? AND d.erased_at IS NULL", conferenceID, DelegateApproved)
	if p.Participants {
		q = q.Where("d.visibility IN ?", []Visibility{VisibilityPublic, VisibilityParticipants})
	} else {
		q = q.Where("d.visibility = ?", VisibilityPublic)
	}
	if p.AfterID != "" {
		q = q.Where("(d.display_name > ?) OR (d.display_name = ? AND d.id > ?)", p.AfterName, p.AfterName, p.AfterID)
	}
	var out []Participant
	if err := q.Order("d.display_name, d.id").Limit(p.Limit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list participants: %w", err)
	}
	return out, nil
}

// EncodeParticipantCursor returns the opaque cursor that continues after a participant.
func EncodeParticipantCursor(p Participant) string {
	return base64.RawURLEncoding.EncodeToString([]byte(p.ID + "|" + p.DisplayName))
}

// ParseParticipantPage builds a ParticipantPage from a limit and an optional cursor.
func ParseParticipantPage(limit int, cursor string) (ParticipantPage, error) {
	p := ParticipantPage{Limit: clampLimit(limit)}
	if cursor == "" {
		return p, nil
	}
	id, name, err := splitCursor(cursor)
	if err != nil || uuid.Validate(id) != nil {
		return p, ErrBadCursor
	}
	p.AfterID, p.AfterName = id, name
	return p, nil
}

// UpdateDelegateState saves the state of a delegate after a transition (status, waitlist
// position, timestamps and the sealed decision reason) without touching the other fields.
func (s *Store) UpdateDelegateState(ctx context.Context, d *Delegate) error {
	d.DecisionReasonSealed = s.box.Seal("delegates", "decision_reason", d.ID, d.DecisionReason)
	d.UpdatedAt = s.now()
	res := s.write(ctx).Model(&Delegate{}).Where("id = ?", d.ID).Updates(map[string]any{
		"status": d.Status, "waitlist_seq": d.WaitlistSeq, "confirmed_at": d.ConfirmedAt, "decided_at": d.DecidedAt,
		"cancelled_at": d.CancelledAt, "decision_reason_sealed": d.DecisionReasonSealed, "updated_at": d.UpdatedAt,
	})
	if res.Error != nil {
		return fmt.Errorf("update delegate %s: %w", d.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// escapeLike escapes the LIKE wildcards of a user's search text (with '\' as the escape).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
