package api

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
)

// stmtWorld is a conference with three organisations (A and B listed, C not) and their delegates.
type stmtWorld struct {
	e                    *testEnv
	conf                 *models.Conference
	orgA, orgB, orgC     *models.Organisation
	author, colleague    *models.Delegate // A: public; A: visible to organisers only
	signer, signer2      *models.Delegate // B
	hidden               *models.Delegate // C: visible to participants only
	tok                  map[string]string
	admin, org, rev      string
	tA, tA2, tB, tB2, tC string
}

func newStmtWorld(t *testing.T, e *testEnv) *stmtWorld {
	t.Helper()
	w := &stmtWorld{e: e, conf: e.conference()}
	w.orgA = e.organisation(w.conf, "Swiss Workers' Union", true, 10)
	w.orgB = e.organisation(w.conf, "Sotsialnyi Rukh", true, 10)
	w.orgC = e.organisation(w.conf, "Feminist Anti-War Resistance", false, 10)
	w.author = e.delegate(w.conf, w.orgA, "Anna Author", models.DelegateApproved, models.VisibilityPublic)
	w.colleague = e.delegate(w.conf, w.orgA, "Quiet Colleague", models.DelegateApproved, models.VisibilityOrganisers)
	w.signer = e.delegate(w.conf, w.orgB, "Mykola Signer", models.DelegateApproved, models.VisibilityPublic)
	w.signer2 = e.delegate(w.conf, w.orgB, "Second Signer", models.DelegateApproved, models.VisibilityPublic)
	w.hidden = e.delegate(w.conf, w.orgC, "Hidden Vera", models.DelegateApproved, models.VisibilityParticipants)
	w.admin, w.org, w.rev = e.staffToken("admin"), e.staffToken("organiser"), e.staffToken("reviewer")
	w.tA, w.tA2, w.tB, w.tB2, w.tC = e.delegateToken(w.author), e.delegateToken(w.colleague), e.delegateToken(w.signer), e.delegateToken(w.signer2), e.delegateToken(w.hidden)
	w.tok = map[string]string{"anonymous": "", "admin": w.admin, "organiser": w.org, "reviewer": w.rev, "member": w.tA, "other": w.tB}
	return w
}

// path is the statements path of the world's conference.
func (w *stmtWorld) path() string { return "/api/v1/conferences/" + w.conf.Slug + "/statements" }

const threeParagraphs = "We oppose the war.\n\nAll soldiers must go home.\n\nWe call for negotiations."

// draft creates a statement of organisation A through the API as its author.
func (w *stmtWorld) draft(t *testing.T, title string) string {
	t.Helper()
	r := w.e.do("POST", w.path(), w.tA, map[string]any{"title": title, "summary": "Short.", "body": threeParagraphs, "language": "en"}).want(t, 201)
	return r.json(t)["id"].(string)
}

// accepted drafts, submits and accepts a statement of organisation A through the API.
func (w *stmtWorld) accepted(t *testing.T, title string) string {
	t.Helper()
	id := w.draft(t, title)
	w.e.do("POST", "/api/v1/statements/"+id+"/submit", w.tA, nil).want(t, 200)
	w.e.do("POST", "/api/v1/statements/"+id+"/decision", w.rev, map[string]any{"decision": "accept"}).want(t, 200)
	return id
}

// fixture creates a statement of organisation A in status directly in the store.
func (w *stmtWorld) fixture(t *testing.T, status models.StatementStatus) *models.Statement {
	t.Helper()
	st := &models.Statement{ConferenceID: w.conf.ID, OrganisationID: w.orgA.ID, AuthorID: &w.author.ID, Title: "Fixture " + string(status),
		Body: threeParagraphs, Language: "en", Status: status}
	if err := w.e.st.CreateStatement(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

// stmtMail is one delivered message, decoded.
type stmtMail struct {
	To, Subject, Text string
}

// readStmtMail decodes the envelope recipient, subject and text part of a received message.
func readStmtMail(t *testing.T, r smtptest.Received) stmtMail {
	t.Helper()
	if len(r.To) != 1 {
		t.Fatalf("got %d envelope recipients, want exactly 1", len(r.To))
	}
	m, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("parse mail: %v", err)
	}
	if to, err := m.Header.AddressList("To"); err != nil || len(to) != 1 || m.Header.Get("Cc") != "" || m.Header.Get("Bcc") != "" {
		t.Fatalf("got To %v (%v), Cc %q, want exactly one recipient", to, err, m.Header.Get("Cc"))
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	return stmtMail{To: r.To[0], Subject: subject, Text: stmtTextPart(t, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)}
}

// stmtTextPart finds and decodes the text/plain part of a message body.
func stmtTextPart(t *testing.T, contentType, encoding string, body io.Reader) string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return ""
			}
			if s := stmtTextPart(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); s != "" {
				return s
			}
		}
	}
	if mt != "text/plain" {
		return ""
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read part: %v", err)
	}
	return string(b)
}

// stmtMailbox groups delivered mails by recipient.
func stmtMailbox(t *testing.T, rs []smtptest.Received) map[string][]stmtMail {
	out := map[string][]stmtMail{}
	for _, r := range rs {
		m := readStmtMail(t, r)
		out[m.To] = append(out[m.To], m)
	}
	return out
}

// stmtHas reports whether one of ms contains every part.
func stmtHas(ms []stmtMail, parts ...string) bool {
	for _, m := range ms {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(m.Text, p)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestStatementFullLife(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		const title = "For an immediate ceasefire"

		// Draft → edit → submit, invisible to the public meanwhile.
		id := w.draft(t, title)
		st := "/api/v1/statements/" + id
		e.do("GET", st, "", nil).want(t, 404)
		e.do("PATCH", st, w.tA, map[string]any{"summary": "Peace now.", "organisation_id": w.orgB.ID}).want(t, 200)
		e.do("POST", st+"/submit", w.tA, nil).want(t, 200)
		e.do("PATCH", st, w.tA, map[string]any{"summary": "too late"}).want(t, 409)

		// Reviewers send it back with a comment; the author fixes it and submits again.
		e.do("POST", st+"/decision", w.rev, map[string]any{"decision": "request_changes", "comment": "Please name the parties."}).want(t, 200)
		if got := e.do("GET", st, w.tA, nil).want(t, 200).json(t)["status"]; got != "draft" {
			t.Fatalf("after request_changes: got status %v, want draft", got)
		}
		comments := e.do("GET", st+"/comments", w.tA, nil).want(t, 200)
		if !strings.Contains(string(comments.Body), "Please name the parties.") {
			t.Errorf("comments: got %s, want the reviewer's comment", comments.Body)
		}
		e.do("PATCH", st, w.tA, map[string]any{"body": "We oppose the war.\n\nAll armies must go home.\n\nWe call for negotiations."}).want(t, 200)
		e.do("POST", st+"/submit", w.tA, nil).want(t, 200)

		// Co-signatures: B named, C counted only; B cannot sign twice, A cannot sign its own.
		e.do("POST", st+"/cosignatures", w.tB, map[string]any{"named": true}).want(t, 201)
		e.do("POST", st+"/cosignatures", w.tB2, map[string]any{"named": false}).want(t, 409)
		e.do("POST", st+"/cosignatures", w.tC, map[string]any{"named": false}).want(t, 201)
		e.do("POST", st+"/cosignatures", w.tA2, map[string]any{"named": true}).want(t, 403)

		// Accepted: now public, with the named co-signer and the count of the others.
		got := e.do("POST", st+"/decision", w.rev, map[string]any{"decision": "accept"}).want(t, 200).json(t)
		if got["status"] != "accepted" {
			t.Fatalf("after accept: got status %v", got["status"])
		}
		pub := e.do("GET", st, "", nil).want(t, 200)
		var view statementResponse
		pub.decode(t, &view)
		if len(view.Cosigners) != 1 || view.Cosigners[0].Name != w.orgB.Name || view.UnnamedCosigners != 1 {
			t.Errorf("public co-signers: got %+v and %d unnamed, want %s and 1", view.Cosigners, view.UnnamedCosigners, w.orgB.Name)
		}
		if view.Author == nil || view.Author.DisplayName != w.author.DisplayName || view.Organisation == nil || view.Organisation.Name != w.orgA.Name {
			t.Errorf("public author and organisation: got %+v %+v", view.Author, view.Organisation)
		}
		if strings.Contains(string(pub.Body), w.orgC.Name) || strings.Contains(string(pub.Body), w.orgC.ID) {
			t.Errorf("public view names the unlisted co-signer: %s", pub.Body)
		}
		if !strings.Contains(view.BodyHTML, "<p>All armies must go home.</p>") {
			t.Errorf("body_html: got %q", view.BodyHTML)
		}

		// A translation, served to readers who ask for it.
		e.do("POST", st+"/translations", w.tA, map[string]any{"language": "uk", "title": "За негайне припинення вогню", "body": "Ми проти війни."}).want(t, 201)
		uk := e.do("GET", st+"?lang=uk", "", nil).want(t, 200).json(t)
		if uk["title"] != "За негайне припинення вогню" || uk["language"] != "uk" || uk["original_language"] != "en" || uk["translated"] != true {
			t.Errorf("?lang=uk: got %v", uk)
		}
		if fr := e.do("GET", st+"?lang=fr", "", nil).want(t, 200).json(t); fr["title"] != title || fr["language"] != "en" {
			t.Errorf("?lang=fr without a translation: got %v, want the original", fr)
		}

		// An amendment from B replaces paragraph 2: version 2, all versions kept and diffable.
		am := e.do("POST", st+"/amendments", w.tB, map[string]any{"paragraph": 2, "text": "All armies must leave occupied land.", "rationale": "Precision."}).want(t, 201).json(t)
		dec := e.do("POST", "/api/v1/amendments/"+am["id"].(string)+"/decision", w.rev, map[string]any{"decision": "accept"}).want(t, 200).json(t)
		if dec["status"] != "accepted" || dec["statement_version"] != float64(2) {
			t.Fatalf("amendment decision: got %v", dec)
		}
		vs := e.do("GET", st+"/versions", "", nil).want(t, 200).json(t)["items"].([]any)
		if len(vs) != 2 {
			t.Fatalf("versions: got %d, want 2", len(vs))
		}
		diff := e.do("GET", st+"/versions?from=1&to=2", "", nil).want(t, 200).json(t)["diff"].(string)
		if !strings.Contains(diff, "\n-All armies must go home.\n") || !strings.Contains(diff, "\n+All armies must leave occupied land.\n") {
			t.Errorf("diff: got %q", diff)
		}
		now := e.do("GET", st, "", nil).want(t, 200).json(t)
		if now["version"] != float64(2) || !strings.Contains(now["body"].(string), "We oppose the war.\n\nAll armies must leave occupied land.\n\nWe call") {
			t.Errorf("after the amendment: got version %v body %q", now["version"], now["body"])
		}

		// The vote: one per organisation; signatures are frozen once it opens.
		e.do("POST", st+"/ballot", w.org, map[string]any{"secret": false}).want(t, 201)
		e.do("DELETE", st+"/cosignatures", w.tB, nil).want(t, 409)
		e.do("POST", st+"/votes", w.tA, map[string]any{"choice": "yes"}).want(t, 201)
		e.do("POST", st+"/votes", w.tB, map[string]any{"choice": "yes"}).want(t, 201)
		e.do("POST", st+"/votes", w.tB2, map[string]any{"choice": "no"}).want(t, 409)
		e.do("POST", st+"/votes", w.tC, map[string]any{"choice": "no"}).want(t, 201)
		res := e.do("POST", st+"/ballot/close", w.org, nil).want(t, 200).json(t)
		if res["result"] != "adopted" || res["yes"] != float64(2) || res["no"] != float64(1) || res["abstain"] != float64(0) {
			t.Errorf("ballot result: got %v", res)
		}
		if got := e.do("GET", st, "", nil).want(t, 200).json(t)["status"]; got != "adopted" {
			t.Errorf("after the vote: got status %v, want adopted", got)
		}
		e.do("POST", st+"/votes", w.tA2, map[string]any{"choice": "no"}).want(t, 409)

		// The mails, delivered through a real SMTP server, one recipient each.
		box := stmtMailbox(t, e.deliver())
		a, a2, b, c := box[w.author.Email], box[w.colleague.Email], box[w.signer.Email], box[w.hidden.Email]
		checks := []struct {
			name string
			ms   []stmtMail
			want []string
		}{
			{"changes requested to the author", a, []string{"ask for changes", title, "Please name the parties."}},
			{"accepted to the author", a, []string{"has been accepted", title}},
			{"named co-signature to the author", a, []string{"co-signed", w.orgB.Name}},
			{"counted co-signature to the author", a, []string{"co-signed", "name withheld"}},
			{"result to the author", a, []string{"has been adopted", "In favour: 2"}},
			{"result to the author's colleague", a2, []string{"has been adopted"}},
			{"amendment decision to its author", b, []string{"Your amendment", "has been accepted"}},
		}
		for _, ch := range checks {
			if !stmtHas(ch.ms, ch.want...) {
				t.Errorf("%s: no mail contains %q; got %+v", ch.name, ch.want, ch.ms)
			}
		}
		if len(a) != 5 || len(a2) != 1 || len(b) != 1 || len(c) != 0 {
			t.Errorf("got %d, %d, %d, %d mails for author, colleague, signer, C; want 5, 1, 1, 0", len(a), len(a2), len(b), len(c))
		}
		for to, ms := range box {
			for _, m := range ms {
				for _, other := range []*models.Delegate{w.author, w.colleague, w.signer, w.signer2, w.hidden} {
					if other.Email != to && (strings.Contains(m.Text, other.DisplayName) || strings.Contains(m.Text, other.Email)) {
						t.Errorf("mail to %s names %s: %q", to, other.DisplayName, m.Text)
					}
				}
				if strings.Contains(m.Text, w.orgC.Name) || strings.Contains(m.Subject, title) {
					t.Errorf("mail to %s gives away too much: subject %q text %q", to, m.Subject, m.Text)
				}
			}
		}
	})
}
