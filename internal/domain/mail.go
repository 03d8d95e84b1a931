package domain

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// Envelope says who a mail goes to: the delegate it concerns, their address and language. The
// mail's idempotency key starts with the delegate's ID (models.DelegateMailKey), so that their
// export lists it and erasing their data deletes it.
type Envelope struct {
	ConferenceID, DelegateID, To, Lang string
}

// EnvelopeOf addresses a mail to a delegate at their own address, in their language.
func EnvelopeOf(d *models.Delegate) Envelope {
	return Envelope{ConferenceID: d.ConferenceID, DelegateID: d.ID, To: d.Email, Lang: d.Lang()}
}

// NewMail builds one outbox row: data is the typed data struct of a mail template, which names
// its template (so the two cannot disagree), and event names what happened, so that the same
// event never mails the same delegate twice. Write it with Store.Enqueue inside the transaction
// of the change (Service.change wakes the worker after the commit).
func NewMail(to Envelope, event string, data mail.Data) (*models.OutboxMessage, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	m := &models.OutboxMessage{Template: string(data.Template()), Lang: to.Lang, To: to.To, Data: raw, IdempotencyKey: models.DelegateMailKey(to.DelegateID, event)}
	if to.ConferenceID != "" {
		m.ConferenceID = &to.ConferenceID
	}
	return m, nil
}

// langQuery is the "&lang=" of a mailed link: the page it opens speaks the mail's language, also
// on another device than the one that registered.
func langQuery(d *models.Delegate) string { return "&lang=" + url.QueryEscape(d.Lang()) }
