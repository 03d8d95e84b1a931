package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// roomRequest is the body of POST …/rooms (name required) and PATCH /rooms/{id}.
type roomRequest struct {
	Name      *string `json:"name" binding:"omitempty,max=100,nocrlf"`
	Capacity  *int    `json:"capacity" binding:"omitempty,min=0,max=100000"`
	OnlineURL *string `json:"online_url" binding:"omitempty,max=500,nocrlf"`
}

// roomResponse is a room; its online link is shown to staff only.
type roomResponse struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Capacity  int    `json:"capacity"`
	OnlineURL string `json:"online_url,omitempty"`
}

func roomView(r *models.Room, staff bool) roomResponse {
	out := roomResponse{ID: r.ID, Name: r.Name, Capacity: r.Capacity}
	if staff {
		out.OnlineURL = r.OnlineURL
	}
	return out
}

// input is the request as the domain's RoomInput.
func (r *roomRequest) input() domain.RoomInput {
	return domain.RoomInput{Name: r.Name, Capacity: r.Capacity, OnlineURL: r.OnlineURL}
}

// listRooms lists a conference's rooms (public; online links for staff only).
func (s *Server) listRooms(c *gin.Context) error {
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	rooms, err := s.store.ListRooms(c.Request.Context(), conf.ID)
	if err != nil {
		return err
	}
	staff := isStaffIn(c, conf.ID, staffAll...)
	items := make([]roomResponse, 0, len(rooms))
	for i := range rooms {
		items = append(items, roomView(&rooms[i], staff))
	}
	c.JSON(http.StatusOK, listResponse[roomResponse]{Items: items})
	return nil
}

// createRoom adds a room (organisers); names are unique within a conference.
func (s *Server) createRoom(c *gin.Context) error {
	var req roomRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	room, err := s.dom.CreateRoom(c.Request.Context(), s.actor(c), c.Param("slug"), req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, roomView(room, true))
	return nil
}

// updateRoom renames a room or changes its capacity or link (organisers).
func (s *Server) updateRoom(c *gin.Context) error {
	var req roomRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	room, err := s.dom.UpdateRoom(c.Request.Context(), s.actor(c), c.Param("id"), req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, roomView(room, true))
	return nil
}

// deleteRoom removes a room no session uses (organisers); one in use is a 409.
func (s *Server) deleteRoom(c *gin.Context) error {
	if err := s.dom.DeleteRoom(c.Request.Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
