package api

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
)

// zurichAt is an instant on day (of September 2027) at hour:minute in Zurich (CEST, UTC+2), in RFC 3339.
func zurichAt(day, hour, minute int) string {
	return time.Date(2027, time.September, day, hour-2, minute, 0, 0, time.UTC).Format(time.RFC3339)
}

// sessionBody is a valid session request on day (of September 2027) at hour (Zurich), one hour long.
func sessionBody(title, room string, day, hour int, speakers ...*models.Delegate) map[string]any {
	ids := []string{}
	for _, d := range speakers {
		ids = append(ids, d.ID)
	}
	return map[string]any{"title": title, "kind": "workshop", "description": "About " + title, "room": room,
		"starts_at": zurichAt(day, hour, 0), "ends_at": zurichAt(day, hour+1, 0), "capacity": 0,
		"languages": []string{"en"}, "track": "Track", "speaker_ids": ids, "chair_ids": []string{}, "statement_ids": []string{}}
}

// addSession posts a session and returns its answer (with conflicts).
func (e *testEnv) addSession(t testing.TB, token string, c *models.Conference, body map[string]any) map[string]any {
	t.Helper()
	return e.do("POST", "/api/v1/conferences/"+c.Slug+"/sessions", token, body).want(t, 201).json(t)
}

// publishSession sets a session's status to published.
func (e *testEnv) publishSession(t testing.TB, token, id string) {
	t.Helper()
	e.do("PATCH", "/api/v1/sessions/"+id, token, map[string]any{"status": "published"}).want(t, 200)
}

// publishRelease publishes a release of the conference's agenda and returns its answer.
func (e *testEnv) publishRelease(t testing.TB, token string, c *models.Conference) map[string]any {
	t.Helper()
	return e.do("POST", "/api/v1/conferences/"+c.Slug+"/agenda/releases", token, nil).want(t, 201).json(t)
}

// mailCounts counts delivered messages per recipient and checks each has one recipient.
func mailCounts(t testing.TB, msgs []smtptest.Received) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range msgs {
		if len(m.To) != 1 {
			t.Fatalf("message with %d recipients, want 1", len(m.To))
		}
		out[strings.ToLower(m.To[0])]++
	}
	return out
}

// mailText returns the decoded subject and plain-text part of a delivered message.
func mailText(t testing.TB, m smtptest.Received) (subject, text string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	var find func(r io.Reader, contentType, encoding string) string
	find = func(r io.Reader, contentType, encoding string) string {
		mt, params, _ := mime.ParseMediaType(contentType)
		switch {
		case strings.HasPrefix(mt, "multipart/"):
			mr := multipart.NewReader(r, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err != nil {
					return ""
				}
				if s := find(p, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding")); s != "" {
					return s
				}
			}
		case mt == "text/plain":
			if strings.EqualFold(encoding, "quoted-printable") {
				r = quotedprintable.NewReader(r)
			}
			b, _ := io.ReadAll(r)
			return string(b)
		}
		return ""
	}
	return subject, find(msg.Body, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"))
}
