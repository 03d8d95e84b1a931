package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// badgeResponse is the delegate's badge: never the legal name or email.
type badgeResponse struct {
	CheckinCode  string  `json:"checkin_code"`
	DisplayName  string  `json:"display_name"`
	Organisation *string `json:"organisation"`
}

// getBadge answers the approved delegate's badge (domain.Service.MyBadge).
func (s *Server) getBadge(c *gin.Context) error {
	b, err := s.dom.MyBadge(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	out := badgeResponse{CheckinCode: b.CheckinCode, DisplayName: b.DisplayName}
	if b.Organisation != "" {
		out.Organisation = &b.Organisation
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
	return nil
}

// getBadgePDF answers the printable badge (domain.Service.MyBadgePDF).
func (s *Server) getBadgePDF(c *gin.Context) error {
	pdf, err := s.dom.MyBadgePDF(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `inline; filename="badge.pdf"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
	return nil
}

// checkinRequest is a typed or scanned check-in code.
type checkinRequest struct {
	Code string `json:"code" binding:"required"`
}

// checkIn checks a delegate in by code (domain.Service.CheckIn).
func (s *Server) checkIn(c *gin.Context) error {
	var req checkinRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	r, err := s.dom.CheckIn(c.Request.Context(), s.actor(c), c.Param("slug"), req.Code)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"delegate_id": r.DelegateID, "display_name": r.DisplayName, "first_time": r.FirstTime})
	return nil
}

// declarePresence records that a remote delegate is present (domain.Service.SetPresence).
func (s *Server) declarePresence(c *gin.Context) error {
	if err := s.dom.SetPresence(c.Request.Context(), s.actor(c), true); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"present": true})
	return nil
}

// leavePresence ends a remote delegate's presence.
func (s *Server) leavePresence(c *gin.Context) error {
	if err := s.dom.SetPresence(c.Request.Context(), s.actor(c), false); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// getPresence answers the presence counts (domain.Service.GetPresence).
func (s *Server) getPresence(c *gin.Context) error {
	p, err := s.dom.GetPresence(c.Request.Context(), s.actor(c), c.Param("slug"))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"delegates_present": p.DelegatesPresent, "organisations_present": p.OrganisationsPresent,
		"voting_mandates_present": p.VotingMandatesPresent})
	return nil
}
