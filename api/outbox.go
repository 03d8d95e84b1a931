package api

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

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

// outboxStates are the values ?state= accepts.
var outboxStates = []models.OutboxState{models.OutboxPending, models.OutboxSending, models.OutboxSent, models.OutboxDead}

// listOutbox shows a conference's mail delivery (organisers): counts by state and the messages,
// newest first, optionally of one ?state=, with masked recipients and the SMTP answer of the
// last failure. The read is audited.
func (s *Server) listOutbox(c *gin.Context) error {
	state := models.OutboxState(c.Query("state"))
	if state != "" && !slices.Contains(outboxStates, state) {
		return malformed("invalid state", models.FieldProblem("state", models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(outboxStates), ", ")))
	}
	pg, err := page(c)
	if err != nil {
		return err
	}
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	counts, err := s.store.OutboxCounts(ctx, conf.ID)
	if err != nil {
		return err
	}
	rows, err := s.store.ListOutbox(ctx, models.OutboxFilter{ConferenceID: conf.ID, State: state, Page: pg})
	if err != nil {
		return err
	}
	out := outboxResponse{Counts: counts, Items: make([]outboxItem, 0, len(rows))}
	for i := range rows {
		out.Items = append(out.Items, outboxView(&rows[i]))
	}
	if len(rows) == pg.Limit {
		last := rows[len(rows)-1]
		out.NextCursor = models.EncodeCursor(last.CreatedAt, last.ID)
	}
	if err := s.audit(c, s.store, conf.ID, "outbox.read", "conference", conf.ID); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
	return nil
}

// outboxView builds the masked view of a message.
func outboxView(m *models.OutboxMessage) outboxItem {
	masked := maskEmail(m.To)
	it := outboxItem{ID: m.ID, Template: m.Template, Lang: m.Lang, State: m.State, Attempts: m.Attempts,
		LastError: scrubReason(m.LastError, m.To), Recipient: masked, To: masked, CreatedAt: m.CreatedAt, SentAt: m.SentAt}
	if m.State == models.OutboxPending {
		next := m.NextAttemptAt
		it.NextAttemptAt = &next
	}
	return it
}

// retryOutbox puts a dead message back in the queue (organisers): 404 for a message of another
// conference, 409 for one that is not dead.
func (s *Server) retryOutbox(c *gin.Context) error {
	id := c.Param("id")
	if uuid.Validate(id) != nil {
		return errNotFound
	}
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.RetryOutbox(ctx, conf.ID, id); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "outbox.retry", "outbox_message", id)
	})
	if err != nil {
		return err
	}
	s.notify()
	c.JSON(http.StatusOK, gin.H{"id": id, "state": models.OutboxPending})
	return nil
}

// maskEmail keeps the first character of the local part and of the domain, and the top-level
// domain: "olga@example.org" becomes "o***@e***.org". Anything else becomes "***".
func maskEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return "***"
	}
	local, domain := addr[:at], addr[at+1:]
	first := func(s string) string {
		r, _ := utf8.DecodeRuneInString(s)
		return string(r)
	}
	out := first(local) + "***@" + first(domain) + "***"
	if dot := strings.LastIndexByte(domain, '.'); dot > 0 && dot < len(domain)-1 {
		out += domain[dot:]
	}
	return out
}

// addressInText matches anything shaped like an email address.
var addressInText = regexp.MustCompile(`[^\s<>@"',;:()]+@[^\s<>@"',;:()]+`)

// scrubReason removes the recipient's and any other address from a stored failure reason. The
// worker stores none; this guards the view against rows written by anything else.
func scrubReason(reason, to string) string {
	if to != "" {
		reason = strings.ReplaceAll(reason, to, "<redacted>")
	}
	return addressInText.ReplaceAllString(reason, "<redacted>")
}
