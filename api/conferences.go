package api

import (
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// conferenceRequest is the body of POST /conferences; PATCH uses the same fields, all optional.
type conferenceRequest struct {
	Slug                 *string    `json:"slug" binding:"omitempty,max=63"`
	Title                *string    `json:"title" binding:"omitempty,min=1,max=200,nocrlf"`
	Acronym              *string    `json:"acronym" binding:"omitempty,max=32,nocrlf"`
	Timezone             *string    `json:"timezone" binding:"omitempty,max=64"`
	StartsOn             *string    `json:"starts_on" binding:"omitempty,max=10"`
	EndsOn               *string    `json:"ends_on" binding:"omitempty,max=10"`
	Languages            []string   `json:"languages" binding:"omitempty,max=20,dive,min=2,max=8"`
	Venue                *string    `json:"venue" binding:"omitempty,max=300,nocrlf"`
	RegistrationOpensAt  *time.Time `json:"registration_opens_at"`
	RegistrationClosesAt *time.Time `json:"registration_closes_at"`
	QuotaPolicy          *string    `json:"quota_policy" binding:"omitempty,oneof=organisation none"`
	VoteRule             *string    `json:"vote_rule" binding:"omitempty,oneof=organisation delegate"`
	BlindReview          *bool      `json:"blind_review"`
	RetentionDays        *int       `json:"retention_days" binding:"omitempty,min=1,max=3650"`
}

// conferenceResponse is the public view of a conference.
type conferenceResponse struct {
	ID                   string             `json:"id"`
	Slug                 string             `json:"slug"`
	Title                string             `json:"title"`
	Acronym              string             `json:"acronym"`
	Timezone             string             `json:"timezone"`
	StartsOn             string             `json:"starts_on"`
	EndsOn               string             `json:"ends_on"`
	Languages            []string           `json:"languages"`
	Venue                string             `json:"venue"`
	RegistrationOpensAt  *time.Time         `json:"registration_opens_at"`
	RegistrationClosesAt *time.Time         `json:"registration_closes_at"`
	RegistrationOpen     bool               `json:"registration_open"`
	QuotaPolicy          models.QuotaPolicy `json:"quota_policy"`
	VoteRule             models.VoteRule    `json:"vote_rule"`
	BlindReview          bool               `json:"blind_review"`
	RetentionDays        int                `json:"retention_days"`
}

const dateLayout = "2006-01-02"

func (s *Server) conferenceView(c *models.Conference) conferenceResponse {
	langs := []string(c.Languages)
	if langs == nil {
		langs = []string{}
	}
	return conferenceResponse{
		ID: c.ID, Slug: c.Slug, Title: c.Title, Acronym: c.Acronym, Timezone: c.Timezone,
		StartsOn: c.StartsOn.Format(dateLayout), EndsOn: c.EndsOn.Format(dateLayout), Languages: langs, Venue: c.Venue,
		RegistrationOpensAt: c.RegistrationOpensAt, RegistrationClosesAt: c.RegistrationClosesAt,
		RegistrationOpen: c.RegistrationOpen(s.store.Now()), QuotaPolicy: c.QuotaPolicy, VoteRule: c.VoteRule,
		BlindReview: c.BlindReview, RetentionDays: c.RetentionDays,
	}
}

// apply copies the set fields of r onto conf and returns per-field errors for rule violations.
func (r *conferenceRequest) apply(conf *models.Conference, creating bool) models.FieldErrors {
	fe := models.FieldErrors{}
	if creating {
		for name, v := range map[string]*string{"slug": r.Slug, "title": r.Title, "timezone": r.Timezone, "starts_on": r.StartsOn, "ends_on": r.EndsOn} {
			if v == nil || *v == "" {
				fe.Set(name, models.FieldRequired, "is required")
			}
		}
	}
	if r.Slug != nil {
		if !slugPattern.MatchString(*r.Slug) {
			fe.Set("slug", models.FieldInvalidSlug, "may contain only lower-case letters, digits and dashes (2 to 63)")
		}
		conf.Slug = *r.Slug
	}
	setStr(&conf.Title, r.Title)
	setStr(&conf.Acronym, r.Acronym)
	setStr(&conf.Venue, r.Venue)
	if r.Timezone != nil {
		if _, err := time.LoadLocation(*r.Timezone); err != nil || *r.Timezone == "" || *r.Timezone == "Local" {
			fe.Set("timezone", models.FieldInvalidTimezone, "must be an IANA time zone such as Europe/Zurich")
		}
		conf.Timezone = *r.Timezone
	}
	for name, pair := range map[string]struct {
		src *string
		dst *time.Time
	}{"starts_on": {r.StartsOn, &conf.StartsOn}, "ends_on": {r.EndsOn, &conf.EndsOn}} {
		if pair.src == nil || *pair.src == "" {
			continue
		}
		d, err := time.Parse(dateLayout, *pair.src)
		if err != nil {
			fe.Set(name, models.FieldInvalidDate, "must be a date YYYY-MM-DD")
			continue
		}
		*pair.dst = d
	}
	if _, bad := fe["ends_on"]; !bad && !conf.EndsOn.IsZero() && conf.EndsOn.Before(conf.StartsOn) {
		fe.Set("ends_on", models.FieldBadRange, "must not be before starts_on")
	}
	if r.Languages != nil {
		for _, l := range r.Languages {
			if !langPattern.MatchString(l) {
				fe.Set("languages", models.FieldInvalidLanguage, "must be language codes such as en, ru, uk")
			}
		}
		conf.Languages = models.StringList(r.Languages)
	}
	if r.RegistrationOpensAt != nil {
		t := r.RegistrationOpensAt.UTC()
		conf.RegistrationOpensAt = &t
	}
	if r.RegistrationClosesAt != nil {
		t := r.RegistrationClosesAt.UTC()
		conf.RegistrationClosesAt = &t
	}
	if conf.RegistrationOpensAt != nil && conf.RegistrationClosesAt != nil && !conf.RegistrationClosesAt.After(*conf.RegistrationOpensAt) {
		fe.Set("registration_closes_at", models.FieldBadRange, "must be after registration_opens_at")
	}
	setStr(&conf.QuotaPolicy, r.QuotaPolicy)
	setStr(&conf.VoteRule, r.VoteRule)
	if r.BlindReview != nil {
		conf.BlindReview = *r.BlindReview
	}
	if r.RetentionDays != nil {
		conf.RetentionDays = *r.RetentionDays
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

var langPattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// setStr sets *dst to *src when src is given; dst may be a string or a named string type.
func setStr[T ~string](dst *T, src *string) {
	if src != nil {
		*dst = T(*src)
	}
}

// createConference creates a conference (admin).
func (s *Server) createConference(c *gin.Context) error {
	var req conferenceRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	conf := &models.Conference{}
	if fe := req.apply(conf, true); fe != nil {
		return fe
	}
	if len(conf.Languages) == 0 {
		conf.Languages = models.StringList{"en"}
	}
	err := s.store.Tx(c.Request.Context(), func(tx *models.Store) error {
		if err := tx.CreateConference(c.Request.Context(), conf); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "conference.create", "conference", conf.ID)
	})
	if err != nil {
		return conflictField(err, "slug", "is already taken")
	}
	c.JSON(http.StatusCreated, s.conferenceView(conf))
	return nil
}

// updateConference changes the given fields of a conference (organisers).
func (s *Server) updateConference(c *gin.Context) error {
	var req conferenceRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	conf, err := s.store.ConferenceBySlug(c.Request.Context(), c.Param("slug")) // not the cache: the change starts from the stored row
	if err != nil {
		return err
	}
	if fe := req.apply(conf, false); fe != nil {
		return fe
	}
	err = s.store.Tx(c.Request.Context(), func(tx *models.Store) error {
		if err := tx.UpdateConference(c.Request.Context(), conf); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "conference.update", "conference", conf.ID)
	})
	s.dom.ForgetConferences()
	if err != nil {
		return conflictField(err, "slug", "is already taken")
	}
	c.JSON(http.StatusOK, s.conferenceView(conf))
	return nil
}

// getConference shows one conference (public).
func (s *Server) getConference(c *gin.Context) error {
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.conferenceView(conf))
	return nil
}

// listConferences lists every conference (public).
func (s *Server) listConferences(c *gin.Context) error {
	cs, err := s.store.ListConferences(c.Request.Context())
	if err != nil {
		return err
	}
	items := make([]conferenceResponse, 0, len(cs))
	for i := range cs {
		items = append(items, s.conferenceView(&cs[i]))
	}
	c.JSON(http.StatusOK, listResponse[conferenceResponse]{Items: items})
	return nil
}

// conference loads the conference named by the :slug parameter.
func (s *Server) conference(c *gin.Context) (*models.Conference, error) {
	return s.dom.Conference(c.Request.Context(), c.Param("slug"))
}

var countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
