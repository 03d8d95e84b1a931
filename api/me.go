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
	DisplayName         *string                `json:"display_name" binding:"omitempty,max=100,nocrlf"`
	Country             *string                `json:"country" binding:"omitempty,max=2"`
	Languages           []string               `json:"languages" binding:"omitempty,max=10,dive,max=12"`
	Attendance          *models.AttendanceMode `json:"attendance" binding:"omitempty,oneof=in_person remote"`
	Visibility          *models.Visibility     `json:"visibility" binding:"omitempty,oneof=public participants organisers"`
	InterpretationNeeds *string                `json:"interpretation_needs" binding:"omitempty,max=2000"`
	AccessibilityNeeds  *string                `json:"accessibility_needs" binding:"omitempty,max=2000"`
	LegalName           *string                `json:"legal_name" binding:"omitempty,max=200,nocrlf"`
	NeedsVisaLetter     *bool                  `json:"needs_visa_letter"`
	NotifyAnnouncements *bool                  `json:"notify_announcements"`
	NotifyAgenda        *bool                  `json:"notify_agenda"`
	MailLanguage        *string                `json:"mail_language" binding:"omitempty,max=12"`
	OpenPGPKey          *string                `json:"openpgp_key" binding:"omitempty,max=65536"`
}

// getMe shows the delegate their own registration, personal fields included (never cached).
func (s *Server) getMe(c *gin.Context) error {
	d, err := s.dom.GetMe(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	online, err := s.dom.MyOnlineSessions(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	out := meResponse{delegateResponse: domain.OwnRecordOf(d), OnlineSessions: []onlineSession{}}
	for _, o := range online {
		out.OnlineSessions = append(out.OnlineSessions, onlineSession{SessionID: o.Session.ID, Title: o.Session.Title, StartsAt: o.Session.StartsAt, EndsAt: o.Session.EndsAt, OnlineURL: o.OnlineURL})
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
	return nil
}

// meResponse is the delegate's own record and the sessions they may join online, with the links.
type meResponse struct {
	delegateResponse
	OnlineSessions []onlineSession `json:"online_sessions"`
}

// onlineSession is a session the delegate may join online.
type onlineSession struct {
	SessionID string    `json:"session_id"`
	Title     string    `json:"title"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	OnlineURL string    `json:"online_url"`
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
	c.JSON(http.StatusOK, domain.OwnRecordOf(d))
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

// exportMe returns everything stored about the delegate as a JSON download
// (domain.Service.ExportMe).
func (s *Server) exportMe(c *gin.Context) error {
	out, err := s.dom.ExportMe(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="my-registration.json"`)
	c.JSON(http.StatusOK, out)
	return nil
}
