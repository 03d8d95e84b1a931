package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// newOrganisationRequest is an organisation proposed with a registration.
type newOrganisationRequest struct {
	Name    string                  `json:"name" binding:"required,max=200"`
	Country string                  `json:"country" binding:"max=2"`
	Kind    models.OrganisationKind `json:"kind" binding:"omitempty,oneof=party union movement collective media other"`
}

// registrationRequest is the body of the public registration. status, id and anything else a
// client adds are not fields here, so they change nothing.
type registrationRequest struct {
	Email               string                  `json:"email" binding:"required,email_addr"`
	DisplayName         string                  `json:"display_name" binding:"required,max=100,nocrlf"`
	OrganisationID      *string                 `json:"organisation_id" binding:"omitempty,max=36"`
	NewOrganisation     *newOrganisationRequest `json:"new_organisation"`
	Role                models.DelegateRole     `json:"role" binding:"omitempty,oneof=delegate observer press guest"`
	Country             string                  `json:"country" binding:"max=2"`
	Languages           []string                `json:"languages" binding:"max=10,dive,max=12"`
	Attendance          models.AttendanceMode   `json:"attendance" binding:"omitempty,oneof=in_person remote"`
	Visibility          models.Visibility       `json:"visibility" binding:"omitempty,oneof=public participants organisers"`
	InterpretationNeeds string                  `json:"interpretation_needs" binding:"max=2000"`
	AccessibilityNeeds  string                  `json:"accessibility_needs" binding:"max=2000"`
	LegalName           string                  `json:"legal_name" binding:"max=200,nocrlf"`
	NeedsVisaLetter     bool                    `json:"needs_visa_letter"`
	Consent             bool                    `json:"consent"`
}

// registrationAccepted is the one answer to every well-formed registration and sign-in request,
// whether the address is new or known (SECURITY 3).
var registrationAccepted = gin.H{"status": "accepted", "message": "If this address can register, a confirmation mail is on its way."}

// loginAccepted is the one answer to every well-formed sign-in link request.
var loginAccepted = gin.H{"status": "accepted", "message": "If this address is registered, a sign-in link is on its way."}

// check applies the rules binding tags cannot express. Defaults: role delegate, attendance
// in_person, visibility organisers (the most private), languages the conference's first.
func (r *registrationRequest) check(conf *models.Conference) models.FieldErrors {
	fe := models.FieldErrors{}
	r.Email, r.DisplayName, r.LegalName = strings.TrimSpace(r.Email), strings.TrimSpace(r.DisplayName), strings.TrimSpace(r.LegalName)
	r.Country = strings.ToUpper(r.Country)
	if !r.Consent {
		fe.Set("consent", models.FieldConsentRequired, "must be true: we store your registration only with your consent")
	}
	checkName(fe, "display_name", r.DisplayName, 100, true)
	checkName(fe, "legal_name", r.LegalName, 200, false)
	if r.NeedsVisaLetter && r.LegalName == "" {
		fe.Set("legal_name", models.FieldRequired, "is required for a visa letter")
	}
	if r.Country != "" && !countryPattern.MatchString(r.Country) {
		fe.Set("country", models.FieldInvalidCountry, "must be a two-letter country code such as UA")
	}
	checkLanguages(fe, r.Languages)
	if len(r.Languages) == 0 {
		r.Languages = []string{"en"}
		if len(conf.Languages) > 0 {
			r.Languages = []string{conf.Languages[0]}
		}
	}
	r.Role = orDefault(r.Role, models.RoleDelegate)
	r.Attendance = orDefault(r.Attendance, models.AttendInPerson)
	r.Visibility = orDefault(r.Visibility, models.VisibilityOrganisers)
	switch {
	case r.OrganisationID != nil && r.NewOrganisation != nil:
		fe.Set("new_organisation", models.FieldExclusive, "give either organisation_id or new_organisation, not both")
	case r.OrganisationID == nil && r.NewOrganisation == nil && r.Role == models.RoleDelegate:
		fe.Set("organisation_id", models.FieldRequired, "is required for delegates (or propose a new_organisation)")
	}
	if o := r.NewOrganisation; o != nil {
		o.Name, o.Country = strings.TrimSpace(o.Name), strings.ToUpper(o.Country)
		checkName(fe, "new_organisation.name", o.Name, 200, true)
		if o.Country != "" && !countryPattern.MatchString(o.Country) {
			fe.Set("new_organisation.country", models.FieldInvalidCountry, "must be a two-letter country code such as UA")
		}
		o.Kind = orDefault(o.Kind, models.OrgOther)
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

func checkName(fe models.FieldErrors, field, v string, max int, required bool) {
	if p := models.CheckName(v, max, required); p.Code != "" {
		fe.Set(field, p.Code, p.Message)
	}
}

func checkLanguages(fe models.FieldErrors, langs []string) {
	for _, l := range langs {
		if !langPattern.MatchString(l) {
			fe.Set("languages", models.FieldInvalidLanguage, "must be language codes such as en, ru, uk")
		}
	}
}

func orDefault[T ~string](v, def T) T {
	if v == "" {
		return def
	}
	return v
}

// registerDelegate is the public registration. Every well-formed request for an open conference
// is answered 202 with the same body: a new address gets a pending registration and a
// confirmation mail; a known one gets a mail to its holder with a sign-in link and no second
// record. Both do the same work (sealing, token, one transaction, one mail).
func (s *Server) registerDelegate(c *gin.Context) error {
	if !s.dom.AllowPublic("ip:" + c.ClientIP()) {
		return errTooMany
	}
	var req registrationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	if fe := req.check(conf); fe != nil {
		return fe
	}
	if !conf.RegistrationOpen(s.store.Now()) {
		return problem(http.StatusConflict, "registration for this conference is not open")
	}
	ctx := c.Request.Context()
	now := s.store.Now()
	d := &models.Delegate{ConferenceID: conf.ID, Role: req.Role, DisplayName: req.DisplayName, Email: req.Email,
		Country: req.Country, Languages: models.StringList(req.Languages), Attendance: req.Attendance, Visibility: req.Visibility,
		InterpretationNeeds: req.InterpretationNeeds, AccessibilityNeeds: req.AccessibilityNeeds, LegalName: req.LegalName,
		NeedsVisaLetter: req.NeedsVisaLetter, NotifyAnnouncements: true, NotifyAgenda: true, ConsentAt: &now}
	reg := &models.Registration{Delegate: d, Mail: s.registrationMail(conf, req.Email)}
	if req.OrganisationID != nil {
		o, err := s.store.Organisation(ctx, conf.ID, *req.OrganisationID)
		if errors.Is(err, models.ErrNotFound) || err == nil && o.Status == models.OrgRejected {
			return invalid(models.FieldProblem("organisation_id", models.FieldUnknownReference, "is not an organisation of this conference"))
		}
		if err != nil {
			return err
		}
		d.OrganisationID = &o.ID
	}
	if no := req.NewOrganisation; no != nil {
		reg.NewOrganisation = &models.Organisation{ConferenceID: conf.ID, Name: no.Name, Country: no.Country, Kind: no.Kind}
	}
	if _, err := s.store.Register(ctx, reg); err != nil {
		return err
	}
	s.notify()
	c.JSON(http.StatusAccepted, registrationAccepted)
	return nil
}

// registrationMail builds the mail of a registration's outcome, addressed to the address given.
func (s *Server) registrationMail(conf *models.Conference, to string) func(*models.Delegate, bool, string) (*models.OutboxMessage, error) {
	return func(d *models.Delegate, known bool, secret string) (*models.OutboxMessage, error) {
		env := domain.Envelope{ConferenceID: conf.ID, DelegateID: d.ID, To: to, Lang: d.Lang()}
		if known {
			data := &mail.AlreadyRegisteredData{Conference: conf.Title, Name: d.DisplayName, Link: s.link("/login?token=" + secret),
				ExpiresMinutes: int(models.LoginTTL / time.Minute)}
			return domain.NewMail(env, "known:"+models.NewID(), data)
		}
		data := &mail.ConfirmData{Conference: conf.Title, Name: d.DisplayName, Link: s.link("/confirm?token=" + secret),
			ExpiresMinutes: int(models.ConfirmTTL / time.Minute)}
		return domain.NewMail(env, "confirm", data)
	}
}

// linkRequest is the body of POST /delegates/confirm and /auth/magic-link/verify.
type linkRequest struct {
	Token string `json:"token" binding:"required,max=128"`
}

// errBadLink answers every link that cannot be used: unknown, used, expired or erased. It is a 404
// (the link names nothing that exists), never a hint about which.
var errBadLink = problem(http.StatusNotFound, "this link is invalid, used or expired")

// confirmDelegate redeems the one-time confirmation link: pending_confirmation → submitted, and a
// delegate session is returned. The link works once.
func (s *Server) confirmDelegate(c *gin.Context) error {
	return s.redeem(c, models.TokenConfirm)
}

// redeem exchanges a one-time link of kind for a delegate session.
func (s *Server) redeem(c *gin.Context, kind models.TokenKind) error {
	if !s.dom.AllowPublic("ip:" + c.ClientIP()) {
		return errTooMany
	}
	var req linkRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sess, err := s.store.RedeemLink(c.Request.Context(), req.Token, kind, s.cfg.SessionMaxAge, s.cfg.SessionIdleTimeout)
	if errors.Is(err, models.ErrNotFound) {
		return errBadLink
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, tokenResponse{Token: sess.Secret, ExpiresAt: sess.ExpiresAt})
	return nil
}
