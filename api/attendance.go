package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// attendanceResponse is the caller's sign-up for a session.
type attendanceResponse struct {
	SessionID string `json:"session_id"`
	Status    string `json:"status"`
	// Position is the place on the waitlist (1 = next), 0 when confirmed.
	Position int `json:"position"`
}

// attendSession signs the calling delegate up for a published session of their conference: a
// confirmed place while there is room, else the waitlist (see domain.AttendSession). A new
// sign-up is a 201, one that existed a 200.
func (s *Server) attendSession(c *gin.Context) error {
	out, err := s.dom.AttendSession(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if out.Created {
		status = http.StatusCreated
	}
	c.JSON(status, attendanceResponse{SessionID: out.Attendance.SessionID, Status: string(out.Attendance.Status), Position: out.Position})
	return nil
}

// leaveSession cancels the calling delegate's sign-up; a confirmed place that frees up goes to
// the first on the waitlist, who gets a "session_promoted" mail.
func (s *Server) leaveSession(c *gin.Context) error {
	if err := s.dom.LeaveSession(c.Request.Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// feedResponse is the secret address of a delegate's personal calendar feed.
type feedResponse struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

// createFeed gives the calling delegate a new secret address for their personal agenda.ics,
// replacing any earlier one; the address is shown this once.
func (s *Server) createFeed(c *gin.Context) error {
	f, err := s.dom.CreateFeed(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, feedResponse{URL: f.URL, Token: f.Secret})
	return nil
}

// deleteFeed revokes the calling delegate's personal feed address.
func (s *Server) deleteFeed(c *gin.Context) error {
	if err := s.dom.DeleteFeed(c.Request.Context(), s.actor(c)); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
