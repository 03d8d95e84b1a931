package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

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
	MailNamesConference  *bool      `json:"mail_names_conference"`
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
	MailNamesConference  bool               `json:"mail_names_conference"`
}

// dateLayout is how conference days are written.
const dateLayout = domain.DateLayout

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
		BlindReview: c.BlindReview, RetentionDays: c.RetentionDays, MailNamesConference: c.MailNamesConference,
	}
}

// input is the request as the domain's conference input.
func (r *conferenceRequest) input() domain.ConferenceInput {
	return domain.ConferenceInput{Slug: r.Slug, Title: r.Title, Acronym: r.Acronym, Timezone: r.Timezone, StartsOn: r.StartsOn,
		EndsOn: r.EndsOn, Venue: r.Venue, Languages: r.Languages, RegistrationOpensAt: r.RegistrationOpensAt,
		RegistrationClosesAt: r.RegistrationClosesAt, QuotaPolicy: r.QuotaPolicy, VoteRule: r.VoteRule,
		BlindReview: r.BlindReview, RetentionDays: r.RetentionDays, MailNamesConference: r.MailNamesConference}
}

// createConference creates a conference (domain.Service.CreateConference).
func (s *Server) createConference(c *gin.Context) error {
	var req conferenceRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	conf, err := s.dom.CreateConference(c.Request.Context(), s.actor(c), req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, s.conferenceView(conf))
	return nil
}

// updateConference changes the given fields of a conference (domain.Service.UpdateConference).
func (s *Server) updateConference(c *gin.Context) error {
	var req conferenceRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	conf, err := s.dom.UpdateConference(c.Request.Context(), s.actor(c), c.Param("slug"), req.input())
	if err != nil {
		return err
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
