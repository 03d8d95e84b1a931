package smtptest

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"testing"
)

// send delivers one message over c and returns the server's answer code
// (250 on success).
func send(t *testing.T, c *smtp.Client, to string) int {
	t.Helper()
	if err := c.Mail("from@example.org"); err != nil {
		t.Fatalf("MAIL: %v", err)
	}
	if err := c.Rcpt(to); err != nil {
		return code(t, err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if _, err := w.Write([]byte("Subject: test\r\n\r\nbody\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		return code(t, err)
	}
	return 250
}

func code(t *testing.T, err error) int {
	t.Helper()
	var tp *textproto.Error
	if !errors.As(err, &tp) {
		t.Fatalf("got %v, want an SMTP answer", err)
	}
	return tp.Code
}

func dial(t *testing.T, s *Server) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestServerRecordsAndInjects(t *testing.T) {
	s := NewServer(t)
	if !strings.HasPrefix(s.URL(), "smtp://127.0.0.1:") {
		t.Errorf("URL: got %q", s.URL())
	}
	c := dial(t, s)
	var (
		mu     sync.Mutex
		hooked []string
	)
	s.AfterAccept(func(r Received) {
		mu.Lock()
		defer mu.Unlock()
		hooked = append(hooked, r.To[0])
	})
	s.FailNext(451, 1)
	s.FailNextRcpt(550, 1)

	if got := send(t, c, "a@example.net"); got != 550 {
		t.Errorf("first message: got %d, want 550 at RCPT", got)
	}
	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	if got := send(t, c, "b@example.net"); got != 451 {
		t.Errorf("second message: got %d, want 451 at DATA", got)
	}
	if got := send(t, c, "c@example.net"); got != 250 {
		t.Errorf("third message: got %d, want 250", got)
	}
	msgs := s.Messages()
	if len(msgs) != 1 || msgs[0].From != "from@example.org" || len(msgs[0].To) != 1 || msgs[0].To[0] != "c@example.net" {
		t.Fatalf("messages: got %+v, want only the one to c@example.net", msgs)
	}
	if !strings.Contains(string(msgs[0].Data), "Subject: test") {
		t.Errorf("data: got %q", msgs[0].Data)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hooked) != 1 || hooked[0] != "c@example.net" {
		t.Errorf("AfterAccept saw %v, want [c@example.net]", hooked)
	}
	if got := s.Connections(); got != 1 {
		t.Errorf("connections: got %d, want 1", got)
	}
	if got := s.Rcpts(); got != 2 {
		t.Errorf("accepted RCPTs: got %d, want 2", got)
	}
}

func TestFailRatioIsRepeatable(t *testing.T) {
	run := func() []int {
		s := NewServer(t)
		s.FailRatio(421, 0.3, 7)
		c := dial(t, s)
		var codes []int
		for range 40 {
			codes = append(codes, send(t, c, "a@example.net"))
		}
		return codes
	}
	a, b := run(), run()
	failed := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("answer %d: got %d and %d for the same seed", i, a[i], b[i])
		}
		if a[i] == 421 {
			failed++
		}
	}
	if failed == 0 || failed == len(a) {
		t.Errorf("failed %d of %d, want some but not all", failed, len(a))
	}
}
