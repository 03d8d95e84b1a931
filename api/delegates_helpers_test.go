package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
)

// regBody is a complete, valid registration body for email in org (nil: an observer).
func regBody(email, name string, org *models.Organisation) map[string]any {
	b := map[string]any{"email": email, "display_name": name, "role": "delegate", "country": "UA", "languages": []string{"uk", "en"},
		"attendance": "in_person", "visibility": "public", "interpretation_needs": "", "accessibility_needs": "",
		"legal_name": "", "needs_visa_letter": false, "consent": true}
	if org != nil {
		b["organisation_id"] = org.ID
	} else {
		b["role"] = "observer"
	}
	return b
}

// register posts a registration to conference c.
func (e *testEnv) register(c *models.Conference, body any) *response {
	return e.do("POST", "/api/v1/conferences/"+c.Slug+"/delegates", "", body)
}

// allOutbox returns every outbox row of a conference (all pages), opened.
func (e *testEnv) allOutbox(c *models.Conference) []models.OutboxMessage {
	e.t.Helper()
	var all []models.OutboxMessage
	f := models.OutboxFilter{ConferenceID: c.ID, Page: models.Page{Limit: models.MaxLimit}}
	for {
		rows, err := e.st.ListOutbox(context.Background(), f)
		if err != nil {
			e.t.Fatal(err)
		}
		all = append(all, rows...)
		if len(rows) < f.Page.Limit {
			return all
		}
		last := rows[len(rows)-1]
		f.Page.AfterTime, f.Page.AfterID = last.CreatedAt, last.ID
	}
}

// outboxTo returns the outbox rows addressed to addr with template tmpl ("" for any).
func (e *testEnv) outboxTo(c *models.Conference, addr, tmpl string) []models.OutboxMessage {
	var out []models.OutboxMessage
	for _, m := range e.allOutbox(c) {
		if strings.EqualFold(m.To, addr) && (tmpl == "" || m.Template == tmpl) {
			out = append(out, m)
		}
	}
	return out
}

var linkToken = regexp.MustCompile(`/(confirm|login)\?token=([A-Za-z0-9_-]{43})`)

// outboxToken returns the one-time token in the link of an outbox row's data.
func outboxToken(t testing.TB, m models.OutboxMessage) string {
	t.Helper()
	var data struct{ Link string }
	if err := json.Unmarshal(m.Data, &data); err != nil {
		t.Fatalf("outbox data: %v", err)
	}
	got := linkToken.FindStringSubmatch(data.Link)
	if got == nil {
		t.Fatalf("no token link in outbox data %q", data.Link)
	}
	return got[2]
}

// countDelegates counts a conference's delegates matching status ("" for all).
func (e *testEnv) countDelegates(c *models.Conference, status models.DelegateStatus) int64 {
	e.t.Helper()
	n, err := e.st.CountDelegates(context.Background(), models.DelegateFilter{ConferenceID: c.ID, Status: status})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// exporterToken logs in a staff account of role that has the export permission.
func (e *testEnv) exporterToken(role models.StaffRole) string {
	e.t.Helper()
	hash, err := password.Hash(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	a := &models.Account{Email: "exp-" + models.NewID()[:8] + "@staff.test", PasswordHash: hash, Role: role, CanExport: true}
	if err := e.st.CreateAccount(context.Background(), a); err != nil {
		e.t.Fatal(err)
	}
	e.grantEverywhere()
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": a.Email, "password": testPassword}).want(e.t, 200)
	return r.json(e.t)["token"].(string)
}

// auditCount counts audit events of action on target.
func (e *testEnv) auditCount(action, target string) int {
	e.t.Helper()
	es, err := e.st.ListAudit(context.Background(), models.AuditFilter{Action: action, TargetID: target, Page: models.Page{Limit: models.MaxLimit}})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(es)
}

// parsedMail is a received message decoded for assertions.
type parsedMail struct {
	To, Subject, Text string
	Header            mail.Header
}

// parseMail decodes a raw message: the subject's encoded words and every text part's transfer
// encoding, so that links and words can be searched in Text.
func parseMail(t testing.TB, raw []byte) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read mail: %v", err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	var text strings.Builder
	decodePart(t, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body, &text)
	return parsedMail{To: m.Header.Get("To"), Subject: subject, Text: text.String(), Header: m.Header}
}

func decodePart(t testing.TB, ctype, cte string, body io.Reader, out *strings.Builder) {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			decodePart(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, out)
		}
	}
	switch strings.ToLower(cte) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("mail part: %v", err)
	}
	out.Write(b)
	out.WriteString("\n")
}

// mailsTo returns the received messages whose envelope is addressed to addr only.
func mailsTo(t testing.TB, got []smtptest.Received, addr string) []parsedMail {
	t.Helper()
	var out []parsedMail
	for _, r := range got {
		for _, to := range r.To {
			if strings.EqualFold(to, addr) {
				if len(r.To) != 1 {
					t.Errorf("a message to %s has %d recipients, want 1", addr, len(r.To))
				}
				out = append(out, parseMail(t, r.Data))
			}
		}
	}
	return out
}
