package api

import (
	"encoding/json"
	"fmt"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// newMail builds one outbox row for one recipient: template is a mail template name (mail.NewData
// knows it), data its typed data struct, key the idempotency key that keeps the same event from
// mailing twice. Write it with Store.Enqueue inside the transaction of the change, and call
// s.notify() after the commit.
func newMail(conferenceID, template, lang, to, key string, data any) (*models.OutboxMessage, error) {
	if _, ok := mail.NewData(template); !ok {
		return nil, fmt.Errorf("mail: unknown template %q", template)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	m := &models.OutboxMessage{Template: template, Lang: lang, To: to, Data: raw, IdempotencyKey: key}
	if conferenceID != "" {
		m.ConferenceID = &conferenceID
	}
	return m, nil
}

// link returns an absolute URL of the product for a path.
func (s *Server) link(path string) string { return s.cfg.BaseURL + path }
