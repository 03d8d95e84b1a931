package domain

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

var (
	slugPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)
	langPattern    = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// DateLayout is how conference days are written (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// ConferenceInput holds the fields of a conference to set; a nil field is left as it is. Dates
// are written YYYY-MM-DD.
type ConferenceInput struct {
	Slug, Title, Acronym, Timezone, StartsOn, EndsOn, Venue *string
	Languages                                               []string
	RegistrationOpensAt, RegistrationClosesAt               *time.Time
	QuotaPolicy, VoteRule                                   *string
	BlindReview                                             *bool
	RetentionDays                                           *int
	MailNamesConference                                     *bool // subjects may name the conference
}

// CreateConference creates a conference (admins). Slug, title, time zone and both days are
// required; a taken slug is a conflict on "slug". The creation is audited.
func (s *Service) CreateConference(ctx context.Context, a *Actor, in ConferenceInput) (*models.Conference, error) {
	if err := a.RequireStaff(AdminOnly...); err != nil {
		return nil, err
	}
	conf := &models.Conference{}
	if err := in.apply(conf, true); err != nil {
		return nil, err
	}
	if len(conf.Languages) == 0 {
		conf.Languages = models.StringList{"en"}
	}
	err := s.change(ctx, func(tx *models.Store) error {
		if err := tx.CreateConference(ctx, conf); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "conference.create", "conference", conf.ID)
	})
	if err != nil {
		return nil, conflictOn(err, "slug", "is already taken")
	}
	return conf, nil
}

// UpdateConference changes the set fields of the conference with slug (organisers) and drops
// the conferences held in memory. The change is audited.
func (s *Service) UpdateConference(ctx context.Context, a *Actor, slug string, in ConferenceInput) (*models.Conference, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, err := s.store.ConferenceBySlug(ctx, slug) // not the cache: the change starts from the stored row
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	if err := in.apply(conf, false); err != nil {
		return nil, err
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := tx.UpdateConference(ctx, conf); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "conference.update", "conference", conf.ID)
	})
	s.ForgetConferences()
	if err != nil {
		return nil, conflictOn(err, "slug", "is already taken")
	}
	return conf, nil
}

// apply copies the set fields of in onto conf and returns per-field errors for rule violations.
func (in *ConferenceInput) apply(conf *models.Conference, creating bool) error {
	fe := models.FieldErrors{}
	if creating {
		for name, v := range map[string]*string{"slug": in.Slug, "title": in.Title, "timezone": in.Timezone, "starts_on": in.StartsOn, "ends_on": in.EndsOn} {
			if v == nil || *v == "" {
				fe.Set(name, models.FieldRequired, "is required")
			}
		}
	}
	if in.Slug != nil {
		if !slugPattern.MatchString(*in.Slug) {
			fe.Set("slug", models.FieldInvalidSlug, "may contain only lower-case letters, digits and dashes (2 to 63)")
		}
		conf.Slug = *in.Slug
	}
	setStr(&conf.Title, in.Title)
	setStr(&conf.Acronym, in.Acronym)
	setStr(&conf.Venue, in.Venue)
	if in.Timezone != nil {
		if _, err := time.LoadLocation(*in.Timezone); err != nil || *in.Timezone == "" || *in.Timezone == "Local" {
			fe.Set("timezone", models.FieldInvalidTimezone, "must be an IANA time zone such as Europe/Zurich")
		}
		conf.Timezone = *in.Timezone
	}
	for name, pair := range map[string]struct {
		src *string
		dst *time.Time
	}{"starts_on": {in.StartsOn, &conf.StartsOn}, "ends_on": {in.EndsOn, &conf.EndsOn}} {
		if pair.src == nil || *pair.src == "" {
			continue
		}
		d, err := time.Parse(DateLayout, *pair.src)
		if err != nil {
			fe.Set(name, models.FieldInvalidDate, "must be a date YYYY-MM-DD")
			continue
		}
		*pair.dst = d
	}
	if !fe.Has("ends_on") && !conf.EndsOn.IsZero() && conf.EndsOn.Before(conf.StartsOn) {
		fe.Set("ends_on", models.FieldBadRange, "must not be before starts_on")
	}
	if in.Languages != nil {
		for _, l := range in.Languages {
			if !langPattern.MatchString(l) {
				fe.Set("languages", models.FieldInvalidLanguage, "must be language codes such as en, ru, uk")
			}
		}
		conf.Languages = models.StringList(in.Languages)
	}
	if in.RegistrationOpensAt != nil {
		t := in.RegistrationOpensAt.UTC()
		conf.RegistrationOpensAt = &t
	}
	if in.RegistrationClosesAt != nil {
		t := in.RegistrationClosesAt.UTC()
		conf.RegistrationClosesAt = &t
	}
	if conf.RegistrationOpensAt != nil && conf.RegistrationClosesAt != nil && !conf.RegistrationClosesAt.After(*conf.RegistrationOpensAt) {
		fe.Set("registration_closes_at", models.FieldBadRange, "must be after registration_opens_at")
	}
	setStr(&conf.QuotaPolicy, in.QuotaPolicy)
	setStr(&conf.VoteRule, in.VoteRule)
	if in.BlindReview != nil {
		conf.BlindReview = *in.BlindReview
	}
	if in.RetentionDays != nil {
		conf.RetentionDays = *in.RetentionDays
	}
	if in.MailNamesConference != nil {
		conf.MailNamesConference = *in.MailNamesConference
	}
	return fe.Err()
}

// RegistrationCounts is how many registrations of a conference are in each status, counted over
// the first Limit of them; More reports that there are more.
type RegistrationCounts struct {
	ByStatus map[string]int
	More     bool
}

// countLimit bounds the registrations RegistrationCounts reads.
const countLimit = 500

// StaffConferences lists the conferences the actor works on as staff: every one for an admin,
// those where the account holds a role for anyone else.
func (s *Service) StaffConferences(ctx context.Context, a *Actor) ([]models.Conference, error) {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return nil, err
	}
	cs, err := s.store.ListConferences(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(cs, func(c models.Conference) bool { return a.RoleIn(c.ID) == "" }), nil
}

// CountRegistrations counts the registrations of the conference with slug by status (staff).
func (s *Service) CountRegistrations(ctx context.Context, a *Actor, slug string) (*RegistrationCounts, error) {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, StaffAll...); err != nil {
		return nil, err
	}
	ds, err := s.store.ListDelegates(ctx, models.DelegateFilter{ConferenceID: conf.ID, Page: models.Page{Limit: countLimit}})
	if err != nil {
		return nil, err
	}
	out := &RegistrationCounts{ByStatus: map[string]int{}, More: len(ds) == countLimit}
	for _, d := range ds {
		out.ByStatus[string(d.Status)]++
	}
	return out, nil
}

// setStr sets *dst to *src when src is set.
func setStr[T ~string](dst *T, src *string) {
	if src != nil {
		*dst = T(*src)
	}
}

// conflictOn turns models.ErrConflict into a conflict that names the field at fault.
func conflictOn(err error, field, msg string) error {
	if errors.Is(err, models.ErrConflict) {
		return &models.Error{Kind: models.KindConflict, Code: models.CodeConflict, Detail: "this conflicts with an existing record",
			Fields: models.FieldProblem(field, models.FieldTaken, msg)}
	}
	return err
}
