package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// itemRequest is the body of POST /sessions/{id}/items (title required) and PATCH /items/{id}.
type itemRequest struct {
	Title               *string `json:"title" binding:"omitempty,max=300,nocrlf"`
	Kind                *string `json:"kind" binding:"omitempty,oneof=debate statement amendment election procedure"`
	StatementID         *string `json:"statement_id" binding:"omitempty,max=40"`
	SpeakingTimeSeconds *int    `json:"speaking_time_seconds"`
	Position            *int    `json:"position"`
}

// itemResponse is an agenda item.
type itemResponse struct {
	ID                  string    `json:"id"`
	SessionID           string    `json:"session_id"`
	Position            int       `json:"position"`
	Title               string    `json:"title"`
	Kind                string    `json:"kind"`
	StatementID         *string   `json:"statement_id"`
	SpeakingTimeSeconds int       `json:"speaking_time_seconds"`
	ListClosed          bool      `json:"list_closed"`
	UpdatedAt           time.Time `json:"updated_at"`
}

func itemJSON(it *models.AgendaItem) *itemResponse {
	if it == nil {
		return nil
	}
	return &itemResponse{ID: it.ID, SessionID: it.SessionID, Position: it.Position, Title: it.Title, Kind: string(it.Kind), StatementID: it.StatementID,
		SpeakingTimeSeconds: it.SpeakingTimeSeconds, ListClosed: it.ListClosed, UpdatedAt: it.UpdatedAt}
}

// speakerRequest asks for the floor; a point of order goes first.
type speakerRequest struct {
	PointOfOrder bool `json:"point_of_order"`
}

// extendRequest adds seconds to the current turn.
type extendRequest struct {
	Seconds int `json:"seconds" binding:"required,min=1,max=3600"`
}

// speakerResponse is one entry of a list of speakers. A delegate the reader may not name is
// "a delegate" (anonymous, no ID); the organisation is shown only when the reader may see it.
type speakerResponse struct {
	ID           string           `json:"id"`
	DelegateID   string           `json:"delegate_id,omitempty"`
	DisplayName  string           `json:"display_name"`
	Anonymous    bool             `json:"anonymous"`
	Organisation *organisationRef `json:"organisation"`
	Remote       bool             `json:"remote"`
	PointOfOrder bool             `json:"point_of_order"`
	Status       string           `json:"status"`
	RequestedAt  time.Time        `json:"requested_at"`
	StartedAt    *time.Time       `json:"started_at,omitempty"`
	EndsAt       *time.Time       `json:"ends_at,omitempty"`
	FinishedAt   *time.Time       `json:"finished_at,omitempty"`
}

// anonymousSpeaker is how a speaker the reader may not name is shown.
const anonymousSpeaker = "a delegate"

func speakerJSON(v *domain.SpeakerView, withIDs bool) *speakerResponse {
	if v == nil {
		return nil
	}
	out := &speakerResponse{ID: v.ID, DisplayName: anonymousSpeaker, Anonymous: true, Organisation: orgRefJSON(v.Organisation), Remote: v.Remote,
		PointOfOrder: v.PointOfOrder, Status: string(v.Status), RequestedAt: v.RequestedAt, StartedAt: v.StartedAt, EndsAt: v.EndsAt, FinishedAt: v.FinishedAt}
	if v.Delegate != nil {
		out.DisplayName, out.Anonymous = v.Delegate.DisplayName, false
		if withIDs {
			out.DelegateID = v.Delegate.ID
		}
	}
	return out
}

func speakersJSON(vs []domain.SpeakerView, withIDs bool) []*speakerResponse {
	out := make([]*speakerResponse, 0, len(vs))
	for i := range vs {
		out = append(out, speakerJSON(&vs[i], withIDs))
	}
	return out
}

// speakerListResponse is an item's list of speakers: the queue in the order the floor is given.
type speakerListResponse struct {
	ItemID     string             `json:"item_id"`
	ListClosed bool               `json:"list_closed"`
	Current    *speakerResponse   `json:"current"`
	Queue      []*speakerResponse `json:"queue"`
	Spoken     []*speakerResponse `json:"spoken"`
}

func speakerListJSON(l *domain.SpeakerListView) *speakerListResponse {
	return &speakerListResponse{ItemID: l.Item.ID, ListClosed: l.Item.ListClosed, Current: speakerJSON(l.Current, true),
		Queue: speakersJSON(l.Queue, true), Spoken: speakersJSON(l.Spoken, true)}
}

func (r *itemRequest) input() domain.ItemInput {
	return domain.ItemInput{Title: r.Title, Kind: r.Kind, StatementID: r.StatementID, SpeakingTimeSeconds: r.SpeakingTimeSeconds, Position: r.Position}
}

// listItems lists a session's agenda items (domain.Service.Items).
func (s *Server) listItems(c *gin.Context) error {
	items, err := s.dom.Items(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	out := make([]*itemResponse, 0, len(items))
	for i := range items {
		out = append(out, itemJSON(&items[i]))
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
	return nil
}

// createItem adds an agenda item to a session (domain.Service.CreateItem).
func (s *Server) createItem(c *gin.Context) error {
	var req itemRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	it, err := s.dom.CreateItem(c.Request.Context(), s.actor(c), c.Param("id"), req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, itemJSON(it))
	return nil
}

// updateItem changes an agenda item (domain.Service.UpdateItem).
func (s *Server) updateItem(c *gin.Context) error {
	var req itemRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	it, err := s.dom.UpdateItem(c.Request.Context(), s.actor(c), c.Param("id"), req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, itemJSON(it))
	return nil
}

// listSpeakers answers an item's list of speakers (domain.Service.SpeakerList).
func (s *Server) listSpeakers(c *gin.Context) error {
	l, err := s.dom.SpeakerList(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, speakerListJSON(l))
	return nil
}

// requestToSpeak puts the delegate on the list (domain.Service.RequestToSpeak).
func (s *Server) requestToSpeak(c *gin.Context) error {
	var req speakerRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return err
	}
	r, err := s.dom.RequestToSpeak(c.Request.Context(), s.actor(c), c.Param("id"), req.PointOfOrder)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"id": r.Request.ID, "position": r.Position, "point_of_order": r.Request.PointOfOrder})
	return nil
}

// withdrawRequest takes the delegate off the list (domain.Service.WithdrawRequest).
func (s *Server) withdrawRequest(c *gin.Context) error {
	if err := s.dom.WithdrawRequest(c.Request.Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// chair returns the handler of one chair's action (domain.Service.Chair).
func (s *Server) chair(action domain.ChairAction) handlerFunc {
	return func(c *gin.Context) error {
		seconds := 0
		if action == domain.ChairExtend {
			var req extendRequest
			if err := bindJSON(c, &req); err != nil {
				return err
			}
			seconds = req.Seconds
		}
		l, err := s.dom.Chair(c.Request.Context(), s.actor(c), c.Param("id"), action, seconds)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, speakerListJSON(l))
		return nil
	}
}
