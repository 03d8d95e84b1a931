package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
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
	MailLanguage        string                  `json:"mail_language" binding:"max=12"`
}

// registrationAccepted is the one answer to every well-formed registration and sign-in request,
// whether the address is new or known (SECURITY 3).
var registrationAccepted = gin.H{"status": "accepted", "message": "If this address can register, a confirmation mail is on its way."}

// loginAccepted is the one answer to every well-formed sign-in link request.
var loginAccepted = gin.H{"status": "accepted", "message": "If this address is registered, a sign-in link is on its way."}

// registerDelegate is the public registration (domain.Service.Register). Every well-formed
// request for an open conference is answered 202 with the same body, new and known addresses
// alike.
func (s *Server) registerDelegate(c *gin.Context) error {
	var req registrationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := domain.Registration{Email: req.Email, DisplayName: req.DisplayName, OrganisationID: req.OrganisationID,
		Role: req.Role, Country: req.Country, Languages: req.Languages, Attendance: req.Attendance, Visibility: req.Visibility,
		InterpretationNeeds: req.InterpretationNeeds, AccessibilityNeeds: req.AccessibilityNeeds, LegalName: req.LegalName,
		NeedsVisaLetter: req.NeedsVisaLetter, Consent: req.Consent, MailLanguage: req.MailLanguage}
	if o := req.NewOrganisation; o != nil {
		in.NewOrganisation = &domain.NewOrganisation{Name: o.Name, Country: o.Country, Kind: o.Kind}
	}
	if err := s.dom.Register(c.Request.Context(), s.actor(c), c.Param("slug"), in); err != nil {
		return err
	}
	c.JSON(http.StatusAccepted, registrationAccepted)
	return nil
}

// linkRequest is the body of POST /delegates/confirm and /auth/magic-link/verify.
type linkRequest struct {
	Token string `json:"token" binding:"required,max=128"`
}

// confirmDelegate redeems the one-time confirmation link for a delegate session
// (domain.Service.ConfirmRegistration). The link works once.
func (s *Server) confirmDelegate(c *gin.Context) error {
	return s.redeem(c, s.dom.ConfirmRegistration)
}

// redeem exchanges the one-time link of the body for a delegate session through the operation.
func (s *Server) redeem(c *gin.Context, op func(context.Context, *domain.Actor, string) (*domain.Session, error)) error {
	var req linkRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sess, err := op(c.Request.Context(), s.actor(c), req.Token)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, tokenResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt})
	return nil
}
