package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Announcement is a message organisers sent to an audience of a conference's delegates. Its
// subject and body are sealed and stored once; each recipient's outbox row refers to it by ID
// (see AnnouncementTexts), so a mail to 10,000 people does not copy the text 10,000 times.
type Announcement struct {
	ID            string
	ConferenceID  string
	SubjectSealed []byte
	BodySealed    []byte
	// TranslationsSealed holds Translations as sealed JSON (nil: none).
	TranslationsSealed []byte
	Audience           Audience
	Recipients         int
	CreatedBy          string // the account ID of the organiser who sent it
	CreatedAt          time.Time

	Subject      string                      `gorm:"-"`
	Body         string                      `gorm:"-"`
	Translations map[string]AnnouncementText `gorm:"-"` // by language: the text in that language
}

// AnnouncementText is the subject and body of an announcement, opened, with its translations.
type AnnouncementText struct {
	Subject      string                      `json:"subject"`
	Body         string                      `json:"body"`
	Translations map[string]AnnouncementText `json:"translations,omitempty"`
}

// In is the text for a reader of lang: its translation when there is one, else the text as
// written.
func (t AnnouncementText) In(lang string) AnnouncementText {
	if tr, ok := t.Translations[lang]; ok && tr.Subject != "" && tr.Body != "" {
		return AnnouncementText{Subject: tr.Subject, Body: tr.Body}
	}
	return AnnouncementText{Subject: t.Subject, Body: t.Body}
}

// NewAnnouncement returns an unsaved announcement with a fresh ID, so that its outbox rows can
// be built (and sealed) before the transaction that saves both.
func NewAnnouncement(conferenceID, createdBy, subject, body string, a Audience) *Announcement {
	return &Announcement{ID: NewID(), ConferenceID: conferenceID, CreatedBy: createdBy, Subject: subject, Body: body, Audience: a}
}

// CreateAnnouncement seals and inserts an announcement; call it in the transaction that enqueues
// its mail.
func (s *Store) CreateAnnouncement(ctx context.Context, a *Announcement) error {
	if a.ID == "" {
		a.ID = NewID()
	}
	a.CreatedAt = s.now()
	a.SubjectSealed = s.box.Seal("announcements", "subject", a.ID, a.Subject)
	a.BodySealed = s.box.Seal("announcements", "body", a.ID, a.Body)
	if len(a.Translations) > 0 {
		raw, err := json.Marshal(a.Translations)
		if err != nil {
			return fmt.Errorf("create announcement: %w", err)
		}
		a.TranslationsSealed = s.box.Seal("announcements", "translations", a.ID, string(raw))
	}
	if err := s.write(ctx).Create(a).Error; err != nil {
		return fmt.Errorf("create announcement: %w", notFound(err))
	}
	return nil
}

func (s *Store) openAnnouncement(a *Announcement) error {
	var err error
	if a.Subject, err = s.box.Open("announcements", "subject", a.ID, a.SubjectSealed); err != nil {
		return fmt.Errorf("announcement %s: %w", a.ID, err)
	}
	if a.Body, err = s.box.Open("announcements", "body", a.ID, a.BodySealed); err != nil {
		return fmt.Errorf("announcement %s: %w", a.ID, err)
	}
	if len(a.TranslationsSealed) > 0 {
		raw, err := s.box.Open("announcements", "translations", a.ID, a.TranslationsSealed)
		if err != nil {
			return fmt.Errorf("announcement %s: %w", a.ID, err)
		}
		if err := json.Unmarshal([]byte(raw), &a.Translations); err != nil {
			return fmt.Errorf("announcement %s: %w", a.ID, err)
		}
	}
	return nil
}

// ListAnnouncements returns one page of a conference's announcements, newest first, opened.
func (s *Store) ListAnnouncements(ctx context.Context, conferenceID string, p Page) ([]Announcement, error) {
	q := s.read(ctx).Where("conference_id = ?", conferenceID)
	if p.AfterID != "" {
		q = q.Where("(created_at < ?) OR (created_at = ? AND id < ?)", p.AfterTime, p.AfterTime, p.AfterID)
	}
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	var out []Announcement
	if err := q.Order("created_at DESC, id DESC").Limit(p.Limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list announcements: %w", err)
	}
	for i := range out {
		if err := s.openAnnouncement(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AnnouncementTexts returns the opened subject and body of the announcements with the given IDs.
// IDs that do not exist are absent from the map.
func (s *Store) AnnouncementTexts(ctx context.Context, ids []string) (map[string]AnnouncementText, error) {
	out := make(map[string]AnnouncementText, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Announcement
	if err := s.read(ctx).Select("id, subject_sealed, body_sealed, translations_sealed").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("announcement texts: %w", err)
	}
	for i := range rows {
		if err := s.openAnnouncement(&rows[i]); err != nil {
			return nil, err
		}
		out[rows[i].ID] = AnnouncementText{Subject: rows[i].Subject, Body: rows[i].Body, Translations: rows[i].Translations}
	}
	return out, nil
}

// Value stores an audience as JSON.
func (a Audience) Value() (driver.Value, error) {
	b, err := json.Marshal(a)
	return string(b), err
}

// Scan reads an audience stored as JSON.
func (a *Audience) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return json.Unmarshal([]byte(v), a)
	case []byte:
		return json.Unmarshal(v, a)
	case nil:
		*a = Audience{}
		return nil
	}
	return fmt.Errorf("audience: cannot scan %T", src)
}
