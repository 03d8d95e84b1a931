package smtptest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted: the envelope sender, one
// entry per RCPT TO, and the raw message as sent after DATA.
type Received struct {
	From string
	To   []string
	Data []byte
}

// Server is an in-process SMTP server listening on 127.0.0.1. It speaks
// plain SMTP (no TLS, no AUTH) and is safe for concurrent use.
type Server struct {
	srv  *smtp.Server
	addr string

	mu          sync.Mutex
	received    []Received
	conns       int
	rcpts       int
	failData    []failure // answers for the next DATA commands, in order
	failRcpt    []failure // answers for the next RCPT commands, in order
	ratioCode   int
	ratio       float64
	rnd         *rand.Rand
	afterAccept func(Received)
}

type failure struct{ code int }

// NewServer starts a server on 127.0.0.1:0 and closes it when the test
// ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv = srv
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.addr = l.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(&countingListener{Listener: l, s: s})
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		_ = l.Close() // Serve may not have registered l with srv yet
		<-done
	})
	return s
}

// Addr returns the host:port the server listens on.
func (s *Server) Addr() string { return s.addr }

// URL returns an smtp:// URL for the server with TLS disabled, suitable for
// mail.NewSMTPSender.
func (s *Server) URL() string { return "smtp://" + s.addr + "?tls=none" }

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.received))
	for i, r := range s.received {
		out[i] = Received{From: r.From, To: append([]string(nil), r.To...), Data: bytes.Clone(r.Data)}
	}
	return out
}

// Connections returns how many TCP connections the server has accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Rcpts returns how many RCPT TO commands the server has accepted in total,
// including those of messages that later failed.
func (s *Server) Rcpts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpts
}

// FailNext makes the next n messages fail at the end of DATA with the given
// SMTP code (4xx temporary, 5xx permanent); the message is discarded.
func (s *Server) FailNext(code int, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failData = append(s.failData, failure{code})
	}
}

// FailNextRcpt makes the next n RCPT TO commands fail with the given code.
func (s *Server) FailNextRcpt(code int, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failRcpt = append(s.failRcpt, failure{code})
	}
}

// FailRatio makes each message (after those queued by FailNext) fail at the
// end of DATA with code with probability ratio, drawn from a generator
// seeded with seed so that runs are repeatable. A ratio of 0 turns it off.
func (s *Server) FailRatio(code int, ratio float64, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ratioCode, s.ratio = code, ratio
	s.rnd = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// AfterAccept sets f to run after a message has been stored and before the
// server answers 250 to DATA: the point where a client that crashes has
// delivered the message without knowing it. f runs on the server's
// connection goroutine; nil removes the hook.
func (s *Server) AfterAccept(f func(Received)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.afterAccept = f
}

// nextDataFailure pops the answer for the current DATA, or 0 to accept.
func (s *Server) nextDataFailure() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failData) > 0 {
		f := s.failData[0]
		s.failData = s.failData[1:]
		return f.code
	}
	if s.ratio > 0 && s.rnd.Float64() < s.ratio {
		return s.ratioCode
	}
	return 0
}

func smtpError(code int, what string) error {
	class := code / 100
	return &smtp.SMTPError{
		Code:         code,
		EnhancedCode: smtp.EnhancedCode{class, 0, 0},
		Message:      fmt.Sprintf("smtptest: injected %s failure", what),
	}
}

type countingListener struct {
	net.Listener
	s *Server
}

// Accept counts each accepted connection.
func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.s.mu.Lock()
		l.s.conns++
		l.s.mu.Unlock()
	}
	return c, err
}

type backend struct{ s *Server }

// NewSession starts a session for a new connection.
func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

// session collects one SMTP transaction at a time.
type session struct {
	s    *Server
	from string
	to   []string
}

// Reset discards the current transaction.
func (x *session) Reset() { x.from, x.to = "", nil }

// Logout does nothing; there is nothing to free.
func (x *session) Logout() error { return nil }

// Mail records the envelope sender.
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

// Rcpt records a recipient unless a failure is queued for it.
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	var code int
	if len(x.s.failRcpt) > 0 {
		code = x.s.failRcpt[0].code
		x.s.failRcpt = x.s.failRcpt[1:]
	} else {
		x.s.rcpts++
	}
	x.s.mu.Unlock()
	if code != 0 {
		return smtpError(code, "RCPT")
	}
	x.to = append(x.to, to)
	return nil
}

// Data stores the message unless a failure is injected, then runs the
// AfterAccept hook before the server answers 250.
func (x *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(x.to) == 0 {
		return errors.New("smtptest: DATA without recipients")
	}
	if code := x.s.nextDataFailure(); code != 0 {
		return smtpError(code, "DATA")
	}
	msg := Received{From: x.from, To: append([]string(nil), x.to...), Data: data}
	x.s.mu.Lock()
	x.s.received = append(x.s.received, msg)
	hook := x.s.afterAccept
	x.s.mu.Unlock()
	if hook != nil {
		hook(msg)
	}
	return nil
}
