package mail

import (
	"crypto/rand"
	"fmt"
	"io"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/go-mail/mail/v2"
)

// Message is one rendered mail for exactly one recipient.
type Message struct {
	From, To, Subject, Text, HTML, MessageID string // MessageID like "<uuid@domain>"

	encrypted, boundary string   // the multipart/encrypted body after Encrypt, and its boundary
	checked             *checked // what envelope last validated, to skip validating it again
	// ListUnsubscribe is a one-click unsubscribe link (RFC 8058): when set, the message carries
	// List-Unsubscribe: <link> and List-Unsubscribe-Post: List-Unsubscribe=One-Click.
	ListUnsubscribe string
}

// Rendered is the output of a template: a one-line subject, a plain-text
// body and an HTML body.
type Rendered struct{ Subject, Text, HTML string }

// Compose builds a Message for one recipient from a rendered template. It
// refuses CR, LF and other control characters in From, To, Subject and
// messageID, more than one address in to, unparsable addresses and an empty
// text body; every such error wraps ErrInvalidMessage. A messageID without
// angle brackets gets them; an empty one is replaced by a random ID in the
// sender's domain. Errors never quote the addresses.
func Compose(from, to, messageID string, r Rendered) (*Message, error) {
	m := &Message{
		From:      from,
		To:        to,
		Subject:   r.Subject,
		Text:      r.Text,
		HTML:      r.HTML,
		MessageID: normaliseMessageID(messageID),
	}
	if m.MessageID == "" {
		m.MessageID = randomMessageID(from)
	}
	if _, err := m.envelope(); err != nil {
		return nil, err
	}
	return m, nil
}

// randomMessageID returns "<random@domain>" with the domain of from, or
// "localhost" if from has none.
func randomMessageID(from string) string {
	domain := "localhost"
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return "<" + rand.Text() + "@" + domain + ">"
}

// envelope holds a validated message's parsed addresses.
type envelope struct {
	from, to *netmail.Address
}

// checked is a message's fields as envelope validated them, and its result.
type checked struct {
	from, to, subject, messageID string
	body                         bool // the text or the encrypted body was not blank
	env                          envelope
}

// envelope validates m and returns its parsed sender and recipient. The fields are exported
// and may change after Compose, so every use validates them — unless they are the very values
// validated last time.
func (m *Message) envelope() (envelope, error) {
	if c := m.checked; c != nil && c.from == m.From && c.to == m.To && c.subject == m.Subject && c.messageID == m.MessageID &&
		c.body == (strings.TrimSpace(m.Text) != "" || m.encrypted != "") {
		return c.env, nil
	}
	env, err := m.validate()
	if err != nil {
		return envelope{}, err
	}
	m.checked = &checked{from: m.From, to: m.To, subject: m.Subject, messageID: m.MessageID, body: true, env: env}
	return env, nil
}

// validate does the work of envelope.
func (m *Message) validate() (envelope, error) {
	for _, h := range []struct{ name, value string }{
		{"from", m.From}, {"to", m.To}, {"subject", m.Subject}, {"message-id", m.MessageID},
	} {
		if err := checkHeader(h.name, h.value); err != nil {
			return envelope{}, err
		}
	}
	from, err := netmail.ParseAddress(m.From)
	if err != nil {
		return envelope{}, fmt.Errorf("%w: from is not one valid address", ErrInvalidMessage)
	}
	list, err := netmail.ParseAddressList(m.To)
	if err != nil {
		return envelope{}, fmt.Errorf("%w: to is not a valid address", ErrInvalidMessage)
	}
	if len(list) != 1 {
		return envelope{}, fmt.Errorf("%w: to must hold exactly one address, got %d", ErrInvalidMessage, len(list))
	}
	if strings.TrimSpace(m.Subject) == "" {
		return envelope{}, fmt.Errorf("%w: subject is empty", ErrInvalidMessage)
	}
	if strings.TrimSpace(m.Text) == "" && m.encrypted == "" {
		return envelope{}, fmt.Errorf("%w: text body is empty", ErrInvalidMessage)
	}
	if !validMessageID(m.MessageID) {
		return envelope{}, fmt.Errorf("%w: message-id must look like <id@domain>", ErrInvalidMessage)
	}
	return envelope{from: from, to: list[0]}, nil
}

// checkHeader refuses line breaks and other control characters in a value
// that will become a header.
func checkHeader(name, value string) error {
	for _, r := range value {
		switch {
		case r == '\r' || r == '\n':
			return fmt.Errorf("%w: %s contains a line break", ErrInvalidMessage, name)
		case r < 0x20 && r != '\t', r == 0x7f, r == '\u2028', r == '\u2029', r == '\u0085':
			return fmt.Errorf("%w: %s contains a control character", ErrInvalidMessage, name)
		}
	}
	return nil
}

// normaliseMessageID trims id and wraps it in angle brackets if it has none.
func normaliseMessageID(id string) string {
	id = strings.TrimSpace(id)
	if id != "" && !strings.HasPrefix(id, "<") && !strings.HasSuffix(id, ">") {
		id = "<" + id + ">"
	}
	return id
}

// validMessageID reports whether id has the shape <left@right> with no
// spaces or brackets inside.
func validMessageID(id string) bool {
	if len(id) < 5 || len(id) > 250 || id[0] != '<' || id[len(id)-1] != '>' {
		return false
	}
	inner := id[1 : len(id)-1]
	left, right, ok := strings.Cut(inner, "@")
	if !ok || left == "" || right == "" {
		return false
	}
	return !strings.ContainsAny(inner, " \t<>\"\\,;") && !strings.Contains(right, "@")
}

// build validates m and turns it into a go-mail message plus its SMTP
// envelope (sender and the single recipient).
func (m *Message) build() (*gomail.Message, envelope, error) {
	env, err := m.envelope()
	if err != nil {
		return nil, envelope{}, err
	}
	g := gomail.NewMessage()
	g.SetAddressHeader("From", env.from.Address, env.from.Name)
	g.SetAddressHeader("To", env.to.Address, env.to.Name)
	g.SetHeader("Subject", m.Subject)
	g.SetHeader("Message-ID", m.MessageID)
	g.SetDateHeader("Date", time.Now().UTC())
	g.SetHeader("Auto-Submitted", "auto-generated")
	if m.ListUnsubscribe != "" {
		g.SetHeader("List-Unsubscribe", "<"+m.ListUnsubscribe+">")
		g.SetHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	if m.encrypted != "" {
		g.SetBody(`multipart/encrypted; protocol="application/pgp-encrypted"; boundary="`+m.boundary+`"`, m.encrypted,
			gomail.SetPartEncoding(gomail.Unencoded))
		return g, env, nil
	}
	g.SetBody("text/plain", m.Text)
	if m.HTML != "" {
		g.AddAlternative("text/html", m.HTML)
	}
	return g, env, nil
}

// WriteTo writes m as an RFC 5322 message (multipart/alternative when it
// has an HTML part) to w. It validates m first, like Send does.
func (m *Message) WriteTo(w io.Writer) (int64, error) {
	g, _, err := m.build()
	if err != nil {
		return 0, err
	}
	n, err := g.WriteTo(w)
	if err != nil {
		return n, fmt.Errorf("mail: write message: %w", err)
	}
	return n, nil
}
