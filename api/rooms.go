package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

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

func (r *roomRequest) apply(room *models.Room, creating bool) models.FieldErrors {
	fe := models.FieldErrors{}
	if r.Name != nil {
		room.Name = strings.TrimSpace(*r.Name)
		if hasControlChars(room.Name, false) {
			fe.Set("name", models.FieldControlCharacters, "must not contain control characters")
		}
	}
	if (creating || r.Name != nil) && room.Name == "" {
		fe.Set("name", models.FieldRequired, "is required")
	}
	if r.Capacity != nil {
		room.Capacity = *r.Capacity
	}
	if r.OnlineURL != nil {
		room.OnlineURL = strings.TrimSpace(*r.OnlineURL)
		if u, err := url.Parse(room.OnlineURL); room.OnlineURL != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
			fe.Set("online_url", models.FieldInvalidURL, "must be an http(s) link")
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
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
	staff := isStaff(c, staffAll...)
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
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	room := &models.Room{ConferenceID: conf.ID}
	if fe := req.apply(room, true); fe != nil {
		return fe
	}
	err = s.store.Tx(c.Request.Context(), func(tx *models.Store) error {
		if err := tx.CreateRoom(c.Request.Context(), room); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "room.create", "room", room.ID)
	})
	if err != nil {
		return conflictField(err, "name", "a room of this name exists already")
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
	if uuid.Validate(c.Param("id")) != nil {
		return errNotFound
	}
	ctx := c.Request.Context()
	var room *models.Room
	err := s.store.Tx(ctx, func(tx *models.Store) error {
		var err error
		if room, err = tx.Room(ctx, c.Param("id")); err != nil {
			return err
		}
		if fe := req.apply(room, false); fe != nil {
			return fe
		}
		if err := tx.UpdateRoom(ctx, room); err != nil {
			return err
		}
		return s.audit(c, tx, room.ConferenceID, "room.update", "room", room.ID)
	})
	if err != nil {
		return conflictField(err, "name", "a room of this name exists already")
	}
	c.JSON(http.StatusOK, roomView(room, true))
	return nil
}

// deleteRoom removes a room no session uses (organisers); one in use is a 409.
func (s *Server) deleteRoom(c *gin.Context) error {
	if uuid.Validate(c.Param("id")) != nil {
		return errNotFound
	}
	ctx := c.Request.Context()
	err := s.store.Tx(ctx, func(tx *models.Store) error {
		room, err := tx.Room(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		if err := tx.DeleteRoom(ctx, room.ID); err != nil {
			return err
		}
		return s.audit(c, tx, room.ConferenceID, "room.delete", "room", room.ID)
	})
	if err != nil {
		return conflictField(err, "id", "sessions use this room: move them first")
	}
	c.Status(http.StatusNoContent)
	return nil
}

// roomNames maps a conference's room IDs to their names.
func (s *Server) roomNames(ctx context.Context, conferenceID string) (map[string]string, error) {
	rooms, err := s.store.ListRooms(ctx, conferenceID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rooms))
	for _, r := range rooms {
		out[r.ID] = r.Name
	}
	return out, nil
}
