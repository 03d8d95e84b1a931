package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// outboxItem is one mail as the delivery view shows it: never the address in full, never the
// template data. Recipient and To hold the same masked address ("o***@e***.org").
type outboxItem struct {
	ID            string             `json:"id"`
	Template      string             `json:"template"`
	Lang          string             `json:"lang"`
	State         models.OutboxState `json:"state"`
	Attempts      int                `json:"attempts"`
	LastError     string             `json:"last_error"`
	Recipient     string             `json:"recipient"`
	To            string             `json:"to"`
	CreatedAt     time.Time          `json:"created_at"`
	NextAttemptAt *time.Time         `json:"next_attempt_at,omitempty"`
	SentAt        *time.Time         `json:"sent_at"`
}

// outboxResponse is the delivery view: message counts per state and one page of messages.
type outboxResponse struct {
	Counts     map[models.OutboxState]int64 `json:"counts"`
	Items      []outboxItem                 `json:"items"`
	NextCursor string                       `json:"next_cursor"`
}

// listOutbox shows a conference's mail delivery (domain.Service.ListOutbox): counts by state and
// the messages, newest first, optionally of one ?state=, with masked recipients and the SMTP
// answer of the last failure. The read is audited.
func (s *Server) listOutbox(c *gin.Context) error {
	pg, err := page(c)
	if err != nil {
		return err
	}
	d, err := s.dom.ListOutbox(c.Request.Context(), s.actor(c), c.Param("slug"), models.OutboxState(c.Query("state")), pg)
	if err != nil {
		return err
	}
	out := outboxResponse{Counts: d.Counts, Items: make([]outboxItem, 0, len(d.Messages))}
	for i := range d.Messages {
		out.Items = append(out.Items, outboxView(&d.Messages[i]))
	}
	if n := len(d.Messages); n == pg.Limit {
		last := d.Messages[n-1]
		out.NextCursor = models.EncodeCursor(last.CreatedAt, last.ID)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
	return nil
}

// outboxView shows a message the domain has masked.
func outboxView(m *models.OutboxMessage) outboxItem {
	it := outboxItem{ID: m.ID, Template: m.Template, Lang: m.Lang, State: m.State, Attempts: m.Attempts,
		LastError: m.LastError, Recipient: m.To, To: m.To, CreatedAt: m.CreatedAt, SentAt: m.SentAt}
	if m.State == models.OutboxPending {
		next := m.NextAttemptAt
		it.NextAttemptAt = &next
	}
	return it
}

// retryOutbox puts a dead message back in the queue (domain.Service.RetryOutbox): 404 for a
// message of another conference, 409 for one that is not dead.
func (s *Server) retryOutbox(c *gin.Context) error {
	id := c.Param("id")
	if err := s.dom.RetryOutbox(c.Request.Context(), s.actor(c), c.Param("slug"), id); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"id": id, "state": models.OutboxPending})
	return nil
}
