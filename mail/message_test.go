package mail

import (
	"bytes"
	"errors"
	netmail "net/mail"
	"strings"
	"testing"
)

var sampleRendered = Rendered{Subject: "Confirm your registration — IC 2026", Text: "Hello\n", HTML: "<p>Hello</p>"}

func TestComposeRefusesHeaderInjection(t *testing.T) {
	const from = "Conference secretariat <noreply@example.org>"
	tests := []struct {
		name            string
		from, to, msgID string
		subject         string
	}{
		{"to with CRLF Bcc", from, "a@b.c\r\nBcc: x@y.z", "<1@example.org>", "Hi"},
		{"to with LF", from, "a@b.c\nBcc: x@y.z", "<1@example.org>", "Hi"},
		{"subject with LF", from, "a@b.c", "<1@example.org>", "Hi\nBcc: x@y.z"},
		{"subject with CR", from, "a@b.c", "<1@example.org>", "Hi\rthere"},
		{"subject with NUL", from, "a@b.c", "<1@example.org>", "Hi\x00"},
		{"subject with U+2028", from, "a@b.c", "<1@example.org>", "Hi\u2028there"},
		{"from with CRLF", "noreply@example.org\r\nBcc: x@y.z", "a@b.c", "<1@example.org>", "Hi"},
		{"message-id with CRLF", from, "a@b.c", "<1@example.org>\r\nBcc: x@y.z", "Hi"},
		{"two recipients comma", from, "a@b.c, d@e.f", "<1@example.org>", "Hi"},
		{"two recipients named", from, "A <a@b.c>, D <d@e.f>", "<1@example.org>", "Hi"},
		{"group syntax", from, "friends: a@b.c, d@e.f;", "<1@example.org>", "Hi"},
		{"not an address", from, "nobody", "<1@example.org>", "Hi"},
		{"empty to", from, "", "<1@example.org>", "Hi"},
		{"bad from", "secretariat", "a@b.c", "<1@example.org>", "Hi"},
		{"bad message-id", from, "a@b.c", "<no-at-sign>", "Hi"},
		{"empty subject", from, "a@b.c", "<1@example.org>", "  "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleRendered
			r.Subject = tt.subject
			m, err := Compose(tt.from, tt.to, tt.msgID, r)
			if err == nil {
				t.Fatalf("Compose: got message %+v, want error", m)
			}
			if !errors.Is(err, ErrInvalidMessage) {
				t.Errorf("got error %v, want it to wrap ErrInvalidMessage", err)
			}
			if !IsPermanent(err) {
				t.Errorf("IsPermanent(%v) = false, want true", err)
			}
			if strings.Contains(err.Error(), "a@b.c") || strings.Contains(err.Error(), "x@y.z") {
				t.Errorf("error %q quotes an address", err)
			}
		})
	}
}

func TestComposeValid(t *testing.T) {
	m, err := Compose("Conference secretariat <noreply@example.org>", "Клара <clara@example.net>", "0190abcd-1@example.org", sampleRendered)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	if got, want := m.MessageID, "<0190abcd-1@example.org>"; got != want {
		t.Errorf("MessageID: got %q, want %q", got, want)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	parsed, err := netmail.ReadMessage(&buf)
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	to, err := parsed.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "clara@example.net" || to[0].Name != "Клара" {
		t.Errorf("To: got %v (%v), want one address clara@example.net named Клара", to, err)
	}
	for _, h := range []string{"Cc", "Bcc"} {
		if v := parsed.Header.Get(h); v != "" {
			t.Errorf("%s: got %q, want none", h, v)
		}
	}
	if got, want := parsed.Header.Get("Auto-Submitted"), "auto-generated"; got != want {
		t.Errorf("Auto-Submitted: got %q, want %q", got, want)
	}
}

func TestComposeGeneratesMessageID(t *testing.T) {
	a, err := Compose("noreply@example.org", "a@b.c", "", sampleRendered)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	b, _ := Compose("noreply@example.org", "a@b.c", "", sampleRendered)
	if !strings.HasSuffix(a.MessageID, "@example.org>") || a.MessageID == b.MessageID {
		t.Errorf("got IDs %q and %q, want two distinct <…@example.org>", a.MessageID, b.MessageID)
	}
}

func TestFileName(t *testing.T) {
	tests := []struct{ id, want string }{
		{"<0190abcd-ef@example.org>", "0190abcd-ef@example.org.eml"},
		{"0190abcd-ef@example.org", "0190abcd-ef@example.org.eml"},
	}
	for _, tt := range tests {
		if got := FileName(tt.id); got != tt.want {
			t.Errorf("FileName(%q): got %q, want %q", tt.id, got, tt.want)
		}
	}
	for _, id := range []string{"<../../etc/passwd@x>", "<a/b@c>", "<..@x>", "<" + strings.Repeat("a", 300) + "@x>"} {
		got := FileName(id)
		if strings.ContainsAny(got, `/\`) || strings.HasPrefix(got, ".") || len(got) > 150 {
			t.Errorf("FileName(%q) = %q, want a plain short name", id, got)
		}
	}
	if FileName("<a/b@c>") == FileName("<a_b@c>") {
		t.Errorf("FileName maps distinct IDs <a/b@c> and <a_b@c> to the same name")
	}
}

func TestRedact(t *testing.T) {
	got := redact("550 5.1.1 <bob@example.org>: Recipient address rejected; alice@example.net unknown")
	for _, leak := range []string{"bob@", "alice@", "example.org", "example.net"} {
		if strings.Contains(got, leak) {
			t.Errorf("redact: got %q, still contains %q", got, leak)
		}
	}
	if !strings.HasPrefix(got, "550 5.1.1") {
		t.Errorf("redact: got %q, want the code kept", got)
	}
	if long := redact(strings.Repeat("é", 500)); len(long) > maxReason+len("…") {
		t.Errorf("redact: got %d bytes, want at most %d", len(long), maxReason+len("…"))
	}
}
