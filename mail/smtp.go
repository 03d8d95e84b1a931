package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"sync"
	"time"

	gomail "github.com/go-mail/mail/v2"
)

// Defaults of the SMTP sender, overridable with URL options.
const (
	DefaultSMTPTimeout = 10 * time.Second
	DefaultSMTPIdle    = 30 * time.Second
)

// SMTPSender delivers messages over one reused SMTP connection. Send calls
// are serialised by a mutex; the connection is dialled lazily, dropped after
// any error (so the next Send re-dials) and closed after an idle period.
// It is safe for concurrent use.
type SMTPSender struct {
	dialer *gomail.Dialer
	idle   time.Duration
	log    *slog.Logger

	mu       sync.Mutex
	conn     gomail.SendCloser
	lastUsed time.Time
	timer    *time.Timer
	closed   bool
}

// NewSMTPSender parses rawURL and returns a sender; it does not connect.
//
// The URL has the form smtp://user:pass@host:port?tls=starttls&timeout=10s.
// Scheme smtp or smtps (implies tls=tls). Options:
//   - tls: starttls (STARTTLS required), tls (implicit TLS) or none.
//     Default: tls for port 465 and smtps, none for a loopback host
//     (localhost, 127.0.0.1, ::1), starttls otherwise.
//   - timeout: dial and per-command I/O timeout (default 10s).
//   - idle: close the connection after this long unused (default 30s).
//   - helo: the name sent with EHLO (default "localhost").
//
// The port defaults to 465 for smtps and 587 otherwise. Unknown options are
// an error, and so is "from": the sender address is not configured here.
// Errors never contain the password.
func NewSMTPSender(rawURL string, log *slog.Logger) (*SMTPSender, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d, idle, err := parseSMTPURL(rawURL)
	if err != nil {
		return nil, err
	}
	return &SMTPSender{dialer: d, idle: idle, log: log}, nil
}

// parseSMTPURL turns the URL into a go-mail Dialer and an idle period.
func parseSMTPURL(rawURL string) (*gomail.Dialer, time.Duration, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, 0, errors.New("mail: smtp url: cannot parse") // the error would echo the password
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return nil, 0, fmt.Errorf("mail: smtp url: scheme %q, want smtp or smtps", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return nil, 0, errors.New("mail: smtp url: host is missing")
	}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, 0, fmt.Errorf("mail: smtp url: bad port %q", p)
		}
	}
	d := &gomail.Dialer{Host: host, Port: port, Timeout: DefaultSMTPTimeout}
	if u.User != nil {
		d.Username = u.User.Username()
		d.Password, _ = u.User.Password()
	}
	mode := defaultTLSMode(u.Scheme, host, port)
	idle := DefaultSMTPIdle
	for key, values := range u.Query() {
		v := values[len(values)-1]
		switch key {
		case "tls":
			mode = v
		case "timeout", "idle":
			dur, err := time.ParseDuration(v)
			if err != nil || dur <= 0 {
				return nil, 0, fmt.Errorf("mail: smtp url: %s=%q is not a positive duration", key, v)
			}
			if key == "timeout" {
				d.Timeout = dur
			} else {
				idle = dur
			}
		case "helo":
			d.LocalName = v
		default:
			return nil, 0, fmt.Errorf("mail: smtp url: unknown option %q", key)
		}
	}
	d.TLSConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	switch mode {
	case "starttls":
		d.StartTLSPolicy = gomail.MandatoryStartTLS
	case "tls":
		d.SSL = true
	case "none":
		d.StartTLSPolicy = gomail.NoStartTLS
	default:
		return nil, 0, fmt.Errorf("mail: smtp url: tls=%q, want starttls, tls or none", mode)
	}
	return d, idle, nil
}

// defaultTLSMode picks the tls option when the URL does not say.
func defaultTLSMode(scheme, host string, port int) string {
	switch {
	case scheme == "smtps" || port == 465:
		return "tls"
	case isLoopback(host):
		return "none"
	default:
		return "starttls"
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send delivers m to its one recipient: MAIL FROM, exactly one RCPT TO, DATA.
// It reuses the open connection when there is one. Errors are *SendError
// (permanent for 5xx answers and malformed messages). The context is checked
// before dialling and before sending; once the SMTP exchange has started it
// is bounded by the timeout option rather than by ctx, because go-mail has
// no context support.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	g, env, err := m.build()
	if err != nil {
		return &SendError{Permanent: true, Reason: redact(err.Error()), Err: err}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.conn != nil && time.Since(s.lastUsed) >= s.idle {
		s.drop(nil)
	}
	if s.conn == nil {
		conn, err := s.dial(ctx)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			se := classify("dial", err)
			se.Permanent = false // a refused login or greeting is about the server, not this message
			s.log.Warn("smtp connect failed; the mail will be retried", "host", s.dialer.Host, "port", s.dialer.Port, "err", se.Reason)
			return se
		}
		s.conn = conn
	}
	if err := s.conn.Send(env.from.Address, []string{env.to.Address}, g); err != nil {
		s.drop(err)
		return classify("send", err)
	}
	s.lastUsed = time.Now()
	s.armIdleTimer()
	return nil
}

// dial connects and greets the server. go-mail reads the server's greeting
// before it sets its own I/O deadline, so the connection is made by
// dialWithDeadline (installed as go-mail's NetDialTimeout), which bounds the
// greeting by the timeout option. The dial runs apart so that a cancelled
// ctx (shutdown) returns at once; a connection that arrives later is closed.
func (s *SMTPSender) dial(ctx context.Context) (gomail.SendCloser, error) {
	type result struct {
		conn gomail.SendCloser
		err  error
	}
	done := make(chan result, 1)
	go func() {
		c, err := s.dialer.Dial()
		done <- result{c, err}
	}()
	select {
	case r := <-done:
		return r.conn, r.err
	case <-ctx.Done():
		go func() {
			if r := <-done; r.conn != nil {
				_ = r.conn.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

func init() { gomail.NetDialTimeout = dialWithDeadline }

// dialWithDeadline opens a TCP connection and sets a deadline of timeout on
// it before go-mail reads the greeting, so that a server that accepts but
// never greets cannot hang the sender. go-mail replaces the deadline with
// its own right after the greeting.
func dialWithDeadline(network, address string, timeout time.Duration) (net.Conn, error) {
	conn, err := net.DialTimeout(network, address, timeout)
	if err != nil {
		return nil, err
	}
	if timeout > 0 {
		if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
			_ = conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// drop forgets the current connection. After an SMTP answer the connection
// is healthy and is closed with QUIT at once; after a network error QUIT
// would block until the I/O timeout, so it is done in the background.
// The caller holds s.mu.
func (s *SMTPSender) drop(cause error) {
	conn := s.conn
	s.conn = nil
	if conn == nil {
		return
	}
	var tp *textproto.Error
	if cause == nil || errors.As(cause, &tp) {
		if err := conn.Close(); err != nil {
			s.log.Debug("smtp connection close", "err", err)
		}
		return
	}
	go func() { _ = conn.Close() }()
}

// armIdleTimer (re)starts the timer that closes an unused connection.
// The caller holds s.mu.
func (s *SMTPSender) armIdleTimer() {
	if s.timer == nil {
		s.timer = time.AfterFunc(s.idle, s.closeIdle)
		return
	}
	s.timer.Reset(s.idle)
}

// closeIdle closes the connection if it has not been used for the idle
// period.
func (s *SMTPSender) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil && time.Since(s.lastUsed) >= s.idle {
		s.drop(nil)
	}
}

// Close closes the open connection, if any, and makes later Sends fail with
// ErrClosed.
func (s *SMTPSender) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
	}
	if s.conn == nil {
		return nil
	}
	err := s.conn.Close()
	s.conn = nil
	if err != nil {
		return fmt.Errorf("mail: close smtp connection: %w", err)
	}
	return nil
}
