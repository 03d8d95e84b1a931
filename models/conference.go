package models

import (
	"context"
	"time"
)

// Conference is one event hosted by this instance (a preparatory meeting, the conference, a follow-up).
type Conference struct {
	ID                   string
	Slug                 string
	Title                string
	Acronym              string
	Timezone             string
	StartsOn             time.Time `gorm:"type:date"`
	EndsOn               time.Time `gorm:"type:date"`
	Venue                string
	Languages            StringList
	RegistrationOpensAt  *time.Time
	RegistrationClosesAt *time.Time
	QuotaPolicy          QuotaPolicy // "organisation" (quotas enforced) or "none"
	VoteRule             VoteRule    // "organisation" or "delegate"
	BlindReview          bool
	RetentionDays        int
	// MailNamesConference lets mail subjects and first lines name the conference (default: they
	// do not, so that mail providers do not learn who takes part).
	MailNamesConference bool
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// VoteRule says who holds a vote: each organisation or each delegate.
type VoteRule string

// QuotaPolicy says whether organisations' delegate quotas are enforced.
type QuotaPolicy string

// Vote rules and quota policies.
const (
	VotePerOrganisation  VoteRule    = "organisation"
	VotePerDelegate      VoteRule    = "delegate"
	QuotaPerOrganisation QuotaPolicy = "organisation"
	QuotaNone            QuotaPolicy = "none"
)

// Location returns the conference's time zone (UTC if it cannot be loaded).
func (c *Conference) Location() *time.Location {
	if loc, err := time.LoadLocation(c.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// RegistrationOpen reports whether registration is open at t.
func (c *Conference) RegistrationOpen(t time.Time) bool {
	if c.RegistrationOpensAt != nil && t.Before(*c.RegistrationOpensAt) {
		return false
	}
	if c.RegistrationClosesAt != nil && !t.Before(*c.RegistrationClosesAt) {
		return false
	}
	return true
}

// CreateConference inserts a conference; a taken slug gives ErrConflict.
func (s *Store) CreateConference(ctx context.Context, c *Conference) error {
	if c.ID == "" {
		c.ID = NewID()
	}
	if c.QuotaPolicy == "" {
		c.QuotaPolicy = QuotaPerOrganisation
	}
	if c.VoteRule == "" {
		c.VoteRule = VotePerOrganisation
	}
	if c.RetentionDays == 0 {
		c.RetentionDays = 180
	}
	return notFound(s.write(ctx).Create(c).Error)
}

// UpdateConference saves every field of c.
func (s *Store) UpdateConference(ctx context.Context, c *Conference) error {
	return notFound(s.write(ctx).Save(c).Error)
}

// ConferenceBySlug finds a conference by its slug.
func (s *Store) ConferenceBySlug(ctx context.Context, slug string) (*Conference, error) {
	var c Conference
	if err := s.read(ctx).Where("slug = ?", slug).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// ConferenceByID finds a conference by ID.
func (s *Store) ConferenceByID(ctx context.Context, id string) (*Conference, error) {
	var c Conference
	if err := s.read(ctx).Where("id = ?", id).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// ListConferences returns every conference, newest first.
func (s *Store) ListConferences(ctx context.Context) ([]Conference, error) {
	var cs []Conference
	err := s.read(ctx).Order("starts_on DESC, slug").Find(&cs).Error
	return cs, err
}
