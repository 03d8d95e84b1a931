package mail

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/go-mail/mail/v2"
	"github.com/zimmerwald/zimmerwald/mail/smtptest"
)

func testMessage(t testing.TB, i int) *Message {
	t.Helper()
	m, err := Compose("Secretariat <noreply@example.org>", fmt.Sprintf("delegate%d@example.net", i),
		fmt.Sprintf("<msg-%d@example.org>", i), Rendered{Subject: "Programme update — IC", Text: "Hello\n", HTML: "<p>Hello</p>"})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	return m
}

func newTestSMTP(t *testing.T, srv *smtptest.Server, opts string) *SMTPSender {
	t.Helper()
	s, err := NewSMTPSender(srv.URL()+opts, nil)
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestSMTPSenderReusesOneConnection(t *testing.T) {
	srv := smtptest.NewServer(t)
	s := newTestSMTP(t, srv, "")
	const n = 25
	for i := range n {
		if err := s.Send(context.Background(), testMessage(t, i)); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
	}
	msgs := srv.Messages()
	if len(msgs) != n {
		t.Fatalf("messages: got %d, want %d", len(msgs), n)
	}
	if got := srv.Connections(); got != 1 {
		t.Errorf("connections: got %d, want 1 for %d messages", got, n)
	}
	for i, m := range msgs {
		want := fmt.Sprintf("delegate%d@example.net", i)
		if len(m.To) != 1 || m.To[0] != want {
			t.Errorf("message %d RCPT: got %v, want exactly [%s]", i, m.To, want)
		}
		if m.From != "noreply@example.org" {
			t.Errorf("message %d MAIL FROM: got %q, want noreply@example.org", i, m.From)
		}
		parsed, err := netmail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if got, want := parsed.Header.Get("Message-ID"), fmt.Sprintf("<msg-%d@example.org>", i); got != want {
			t.Errorf("message %d Message-ID: got %q, want %q", i, got, want)
		}
	}
	if got := srv.Rcpts(); got != n {
		t.Errorf("RCPT commands: got %d, want %d", got, n)
	}
}

func TestSMTPSenderConcurrentSends(t *testing.T) {
	for _, tt := range []struct {
		opts     string
		maxConns int
	}{{"&conns=1", 1}, {"", DefaultSMTPConns}, {"&conns=2", 2}} {
		srv := smtptest.NewServer(t)
		s := newTestSMTP(t, srv, tt.opts)
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				if err := s.Send(context.Background(), testMessage(t, i)); err != nil {
					t.Errorf("%q: Send %d: %v", tt.opts, i, err)
				}
			})
		}
		wg.Wait()
		if got := len(srv.Messages()); got != 40 {
			t.Errorf("%q: messages: got %d, want 40", tt.opts, got)
		}
		if got := srv.Connections(); got < 1 || got > tt.maxConns {
			t.Errorf("%q: connections: got %d, want 1 to %d", tt.opts, got, tt.maxConns)
		}
	}
}

// TestSMTPSenderPoolSendsInParallel holds every accepted message at the server until conns of
// them are held at once: that happens only if the sender uses conns connections concurrently.
func TestSMTPSenderPoolSendsInParallel(t *testing.T) {
	const conns = 3
	srv := smtptest.NewServer(t)
	s := newTestSMTP(t, srv, fmt.Sprintf("&conns=%d", conns))
	var (
		mu      sync.Mutex
		inside  int
		allIn   = make(chan struct{})
		timeout = time.After(20 * time.Second) // a bound on failure only
	)
	srv.AfterAccept(func(smtptest.Received) {
		mu.Lock()
		inside++
		if inside == conns {
			close(allIn)
		}
		mu.Unlock()
		select {
		case <-allIn:
		case <-timeout:
		}
	})
	var wg sync.WaitGroup
	for i := range 2 * conns {
		wg.Go(func() {
			if err := s.Send(context.Background(), testMessage(t, i)); err != nil {
				t.Errorf("Send %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	select {
	case <-allIn:
	default:
		t.Fatalf("the server never held %d messages at once: the sends did not run in parallel", conns)
	}
	if got := srv.Connections(); got != conns {
		t.Errorf("connections: got %d, want %d", got, conns)
	}
}

func TestSMTPSenderClassifiesAnswers(t *testing.T) {
	tests := []struct {
		name      string
		inject    func(*smtptest.Server)
		code      int
		permanent bool
	}{
		{"4xx at DATA", func(s *smtptest.Server) { s.FailNext(451, 1) }, 451, false},
		{"5xx at DATA", func(s *smtptest.Server) { s.FailNext(554, 1) }, 554, true},
		{"4xx at RCPT", func(s *smtptest.Server) { s.FailNextRcpt(450, 1) }, 450, false},
		{"5xx at RCPT", func(s *smtptest.Server) { s.FailNextRcpt(550, 1) }, 550, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.NewServer(t)
			s := newTestSMTP(t, srv, "")
			tt.inject(srv)
			err := s.Send(context.Background(), testMessage(t, 1))
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send: got %v, want *SendError", err)
			}
			if se.Code != tt.code || se.Permanent != tt.permanent || IsPermanent(err) != tt.permanent {
				t.Errorf("got code %d permanent %v (IsPermanent %v), want %d %v", se.Code, se.Permanent, IsPermanent(err), tt.code, tt.permanent)
			}
			if !strings.Contains(se.Reason, fmt.Sprint(tt.code)) || strings.Contains(err.Error(), "delegate1@") {
				t.Errorf("reason %q / error %q: want the code and no address", se.Reason, err)
			}
			// The sender recovers: the next message goes through.
			if err := s.Send(context.Background(), testMessage(t, 2)); err != nil {
				t.Fatalf("Send after failure: %v", err)
			}
			if got := len(srv.Messages()); got != 1 {
				t.Errorf("messages: got %d, want 1", got)
			}
		})
	}
}

func TestSMTPSenderNetworkErrorIsTemporary(t *testing.T) {
	s, err := NewSMTPSender("smtp://127.0.0.1:1?tls=none&timeout=2s", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Send(context.Background(), testMessage(t, 1))
	var se *SendError
	if !errors.As(err, &se) || se.Permanent || IsPermanent(err) || se.Code != 0 {
		t.Errorf("got %v, want a temporary SendError without code", err)
	}
}

func TestSMTPSenderRedialsAfterIdle(t *testing.T) {
	srv := smtptest.NewServer(t)
	s := newTestSMTP(t, srv, "&idle=50ms")
	if err := s.Send(context.Background(), testMessage(t, 1)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		open := false
		for _, c := range s.all {
			open = open || c.open()
		}
		if !open {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("idle connection was not closed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Send(context.Background(), testMessage(t, 2)); err != nil {
		t.Fatal(err)
	}
	if got := srv.Connections(); got != 2 {
		t.Errorf("connections: got %d, want 2 (one re-dial after idle)", got)
	}
}

func TestSMTPSenderClosedAndCancelled(t *testing.T) {
	srv := smtptest.NewServer(t)
	s := newTestSMTP(t, srv, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Send(ctx, testMessage(t, 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), testMessage(t, 1)); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: got %v, want ErrClosed", err)
	}
	if got := srv.Connections(); got != 0 {
		t.Errorf("connections: got %d, want 0", got)
	}
}

func TestSMTPSenderRefusesMalformedMessage(t *testing.T) {
	srv := smtptest.NewServer(t)
	s := newTestSMTP(t, srv, "")
	m := testMessage(t, 1)
	m.To = "a@b.c\r\nBcc: x@y.z"
	if err := s.Send(context.Background(), m); !IsPermanent(err) || !errors.Is(err, ErrInvalidMessage) {
		t.Errorf("got %v, want a permanent ErrInvalidMessage", err)
	}
	if got := srv.Connections(); got != 0 {
		t.Errorf("connections: got %d, want 0", got)
	}
}

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		url      string
		host     string
		port     int
		ssl      bool
		policy   gomail.StartTLSPolicy
		user     string
		timeout  time.Duration
		idle     time.Duration
		conns    int
		wantFail bool
	}{
		{url: "smtp://user:pa%40ss@mail.example.org:587", host: "mail.example.org", port: 587, policy: gomail.MandatoryStartTLS, user: "user", timeout: DefaultSMTPTimeout, idle: DefaultSMTPIdle},
		{url: "smtp://mail.example.org", host: "mail.example.org", port: 587, policy: gomail.MandatoryStartTLS, timeout: DefaultSMTPTimeout, idle: DefaultSMTPIdle},
		{url: "smtp://mail.example.org:465", host: "mail.example.org", port: 465, ssl: true, timeout: DefaultSMTPTimeout, idle: DefaultSMTPIdle},
		{url: "smtps://mail.example.org", host: "mail.example.org", port: 465, ssl: true, timeout: DefaultSMTPTimeout, idle: DefaultSMTPIdle},
		{url: "smtp://localhost:1025", host: "localhost", port: 1025, policy: gomail.NoStartTLS, timeout: DefaultSMTPTimeout, idle: DefaultSMTPIdle},
		{url: "smtp://127.0.0.1:25", host: "127.0.0.1", port: 25, policy: gomail.NoStartTLS, timeout: DefaultSMTPTimeout, idle: DefaultSMTPIdle},
		{url: "smtp://mail.example.org:25?tls=none&timeout=3s&idle=1m", host: "mail.example.org", port: 25, policy: gomail.NoStartTLS, timeout: 3 * time.Second, idle: time.Minute},
		{url: "smtp://localhost:2525?tls=starttls", host: "localhost", port: 2525, policy: gomail.MandatoryStartTLS, timeout: DefaultSMTPTimeout, idle: DefaultSMTPIdle},
		{url: "smtp://localhost:2525?conns=8", host: "localhost", port: 2525, policy: gomail.NoStartTLS, timeout: DefaultSMTPTimeout, idle: DefaultSMTPIdle, conns: 8},
		{url: "smtp://localhost:2525?conns=0", wantFail: true},
		{url: "smtp://localhost:2525?conns=65", wantFail: true},
		{url: "smtp://localhost:2525?conns=two", wantFail: true},
		{url: "http://mail.example.org", wantFail: true},
		{url: "smtp://:25", wantFail: true},
		{url: "smtp://mail.example.org:99999", wantFail: true},
		{url: "smtp://mail.example.org?tls=maybe", wantFail: true},
		{url: "smtp://mail.example.org?timeout=soon", wantFail: true},
		{url: "smtp://mail.example.org?from=noreply@example.org", wantFail: true},
	}
	for _, tt := range tests {
		d, o, err := parseSMTPURL(tt.url)
		idle := o.idle
		if tt.wantFail {
			if err == nil {
				t.Errorf("%s: got no error, want one", tt.url)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		if d.Host != tt.host || d.Port != tt.port || d.SSL != tt.ssl || d.Username != tt.user || d.Timeout != tt.timeout || idle != tt.idle {
			t.Errorf("%s: got host %q port %d ssl %v user %q timeout %v idle %v, want %q %d %v %q %v %v",
				tt.url, d.Host, d.Port, d.SSL, d.Username, d.Timeout, idle, tt.host, tt.port, tt.ssl, tt.user, tt.timeout, tt.idle)
		}
		if want := cmp.Or(tt.conns, DefaultSMTPConns); o.conns != want {
			t.Errorf("%s: got conns %d, want %d", tt.url, o.conns, want)
		}
		if !tt.ssl && d.StartTLSPolicy != tt.policy {
			t.Errorf("%s: got policy %v, want %v", tt.url, d.StartTLSPolicy, tt.policy)
		}
	}
	if _, _, err := parseSMTPURL("smtp://user:secret@mail.example.org?bogus=1"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("got %v, want an error without the password", err)
	}
}
