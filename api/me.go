package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// meRequest is the body of PATCH /me: the fields a delegate may change themself, all optional.
// status, role, organisation_id, email and id are not among them, so they change nothing.
type meRequest struct {
	DisplayName         *string  `json:"display_name" binding:"omitempty,max=100,nocrlf"`
	Country             *string  `json:"country" binding:"omitempty,max=2"`
	Languages           []string `json:"languages" binding:"omitempty,max=10,dive,max=12"`
	Attendance          *string  `json:"attendance" binding:"omitempty,oneof=in_person remote"`
	Visibility          *string  `json:"visibility" binding:"omitempty,oneof=public participants organisers"`
	InterpretationNeeds *string  `json:"interpretation_needs" binding:"omitempty,max=2000"`
	AccessibilityNeeds  *string  `json:"accessibility_needs" binding:"omitempty,max=2000"`
	LegalName           *string  `json:"legal_name" binding:"omitempty,max=200,nocrlf"`
	NeedsVisaLetter     *bool    `json:"needs_visa_letter"`
	NotifyAnnouncements *bool    `json:"notify_announcements"`
	NotifyAgenda        *bool    `json:"notify_agenda"`
}

// getMe shows the delegate their own registration, personal fields included (never cached).
func (s *Server) getMe(c *gin.Context) error {
	d, err := s.dom.GetMe(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, delegateView(d, true))
	return nil
}

// updateMe changes the delegate's own editable fields (domain.Service.UpdateMe).
func (s *Server) updateMe(c *gin.Context) error {
	var req meRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	d, err := s.dom.UpdateMe(c.Request.Context(), s.actor(c), domain.MeChange(req))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, delegateView(d, true))
	return nil
}

// deleteMe withdraws the delegate's registration and erases their personal data at once
// (domain.Service.DeleteMe).
func (s *Server) deleteMe(c *gin.Context) error {
	if err := s.dom.DeleteMe(c.Request.Context(), s.actor(c)); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// exportResponse is everything stored about a delegate, as JSON.
type exportResponse struct {
	ExportedAt   time.Time             `json:"exported_at"`
	Delegate     delegateResponse      `json:"delegate"`
	Notes        string                `json:"staff_notes"`
	ConsentAt    *time.Time            `json:"consent_at"`
	Organisation *organisationResponse `json:"organisation"`
	Tokens       []models.Record       `json:"sign_in_links_and_sessions"`
	Mail         []models.Record       `json:"mail"`
	Audit        []models.Record       `json:"audit_events"`
	Attendance   []models.Record       `json:"session_signups"`
	Speaking     []models.Record       `json:"session_roles"`
	Statements   []models.Record       `json:"statements"`
	Amendments   []models.Record       `json:"amendments"`
	Cosignatures []models.Record       `json:"cosignatures"`
}

// exportMe returns everything stored about the delegate as a JSON download.
func (s *Server) exportMe(c *gin.Context) error {
	x, err := s.dom.ExportMe(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	out := exportResponse{ExportedAt: s.dom.Now(), Delegate: delegateView(x.Delegate, true), Notes: x.Delegate.Notes,
		ConsentAt: x.Delegate.ConsentAt, Tokens: x.Tokens, Mail: x.Mail, Audit: x.Audit, Attendance: x.Attendance,
		Speaking: x.Speaking, Statements: x.Statements, Amendments: x.Amendments, Cosignatures: x.Cosignatures}
	if x.Organisation != nil {
		o := organisationView(x.Organisation, false)
		out.Organisation = &o
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="my-registration.json"`)
	c.JSON(http.StatusOK, out)
	return nil
}
