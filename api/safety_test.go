package api

import (
	"bytes"
	"context"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/mail/pgptest"
	"github.com/zimmerwald/zimmerwald/mail/smtptest"
	"github.com/zimmerwald/zimmerwald/models"
)

// TestStaffListReadsAreAudited: every staff read of a conference's delegate list, by any staff
// role, is an audit event; so is the CSV export (TestDelegatesCSVExport).
func TestStaffListReadsAreAudited(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		e.delegate(c, nil, "Observer", "submitted", "organisers")
		path := "/api/v1/conferences/" + c.Slug + "/delegates"
		for i, role := range []models.StaffRole{"reviewer", "organiser", "admin"} {
			e.do("GET", path, e.staffToken(role), nil).want(t, 200)
			if n := e.auditCount("delegates.list", c.ID); n != i+1 {
				t.Errorf("after a %s's read: got %d delegates.list events, want %d", role, n, i+1)
			}
		}
		e.do("GET", path+"?status=boss", e.staffToken("reviewer"), nil).want(t, 400)
		if n := e.auditCount("delegates.list", c.ID); n != 3 {
			t.Errorf("a refused read was audited: %d events", n)
		}
	})
}

// TestMailIsDiscreetAndEncrypted: by default no mail subject names the conference; a conference
// opts in with mail_names_conference. A delegate who gives an OpenPGP key on PATCH /me (sealed at
// rest; an invalid one is 422) gets every later mail as PGP/MIME under a neutral subject, which
// their private key decrypts.
func TestMailIsDiscreetAndEncrypted(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		c := e.conference()
		d := e.delegate(c, nil, "Clara", models.DelegateApproved, models.VisibilityOrganisers)
		tok := e.delegateToken(d)
		link := map[string]any{"conference": c.Slug, "email": d.Email}
		subjectOf := func(m smtptest.Received) string {
			msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
			if err != nil {
				t.Fatal(err)
			}
			s, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			return s
		}
		e.do("POST", "/api/v1/auth/magic-link", "", link).want(t, 202)
		got := e.deliver()
		if len(got) != 1 || strings.Contains(subjectOf(got[0]), c.Title) || !strings.Contains(string(got[0].Data), "Content-Type: multipart/alternative") {
			t.Fatalf("default mail: got %d messages, subject %q, want one plain mail not naming %q", len(got), subjectOf(got[0]), c.Title)
		}
		e.do("PATCH", "/api/v1/conferences/"+c.Slug, e.staffToken("organiser"), map[string]any{"mail_names_conference": true}).want(t, 200)
		e.do("POST", "/api/v1/auth/magic-link", "", link).want(t, 202)
		if got = e.deliver(); len(got) != 2 || !strings.Contains(subjectOf(got[1]), c.Title) {
			t.Fatalf("opted in: subject %q, want it to name %q", subjectOf(got[len(got)-1]), c.Title)
		}

		key, public := pgptest.KeyPair(t)
		for _, bad := range []string{"not a key", strings.Replace(public, "PUBLIC KEY", "PRIVATE KEY", 2)} {
			r := e.do("PATCH", "/api/v1/me", tok, map[string]any{"openpgp_key": bad}).want(t, 422).json(t)
			if codes, _ := r["error_codes"].(map[string]any); codes["openpgp_key"] != string(models.FieldInvalidOpenPGPKey) {
				t.Errorf("invalid key: got %v", r)
			}
		}
		me := e.do("PATCH", "/api/v1/me", tok, map[string]any{"openpgp_key": public}).want(t, 200).json(t)
		if me["openpgp_key"] != strings.TrimSpace(public) {
			t.Errorf("PATCH /me: the key is not in the answer")
		}
		stored, err := e.st.Delegate(context.Background(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		sealed := stored.OpenPGPKeySealed
		if len(sealed) == 0 || bytes.Contains(sealed, []byte("PGP PUBLIC KEY")) {
			t.Errorf("the key is not sealed at rest (%d bytes)", len(sealed))
		}
		e.do("POST", "/api/v1/auth/magic-link", "", link).want(t, 202)
		got = e.deliver()
		last := got[len(got)-1]
		if subjectOf(last) != mail.NeutralSubject || strings.Contains(string(last.Data), c.Title) || strings.Contains(string(last.Data), "token=") {
			t.Fatalf("encrypted mail shows its subject or contents outside: %q", subjectOf(last))
		}
		_, inner := pgptest.Decrypt(t, last.Data, key)
		if !strings.Contains(inner, "token=") || !strings.Contains(inner, "Subject:") {
			t.Errorf("decrypted mail lacks the link or the protected subject:\n%s", inner)
		}
	})
}

// TestStaffSecondFactor: POST /auth/totp gives a secret, POST /auth/totp/confirm with a current
// code turns it on (204); then a login without totp is 401 totp_required, and with a valid RFC
// 6238 code 200.
func TestStaffSecondFactor(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		acc := e.account(models.StaffOrganiser)
		creds := map[string]string{"email": acc.Email, "password": testPassword}
		tok := e.do("POST", "/api/v1/auth/login", "", creds).want(t, 200).json(t)["token"].(string)
		r := e.do("POST", "/api/v1/auth/totp", tok, nil).want(t, 200).json(t)
		secret, _ := r["secret"].(string)
		if secret == "" || !strings.HasPrefix(r["otpauth_url"].(string), "otpauth://totp/") || len(r["recovery_codes"].([]any)) != 10 {
			t.Fatalf("enrolment: got %v", r)
		}
		e.do("POST", "/api/v1/auth/totp/confirm", tok, map[string]string{"code": "000000"}).want(t, 422)
		now, _ := totp.GenerateCode(secret, time.Now())
		e.do("POST", "/api/v1/auth/totp/confirm", tok, map[string]string{"code": now}).want(t, 204)
		e.do("POST", "/api/v1/auth/totp", tok, nil).want(t, 409)
		if p := e.do("POST", "/api/v1/auth/login", "", creds).want(t, 401).json(t); p["code"] != "totp_required" {
			t.Fatalf("login without totp: got %v, want code totp_required", p)
		}
		next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second)) // the confirmed code is spent
		creds["totp"] = next
		e.do("POST", "/api/v1/auth/login", "", creds).want(t, 200)
	})
}
