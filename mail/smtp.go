package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
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
	// DefaultSMTPConns is how many connections a sender opens at most: enough for the worker's
	// concurrent senders to overlap their SMTP round trips on two cores, few enough for any relay.
	DefaultSMTPConns = 4
	// maxSMTPConns bounds the conns option.
	maxSMTPConns = 64
)

// SMTPSender delivers messages over a small pool of reused SMTP connections
// (the conns option). Each Send uses one connection at a time; a connection is
// dialled lazily, dropped after any error (so its next Send re-dials) and
// closed after an idle period. Sends go to the most recently used free
// connection, so that sequential sends reuse one connection and the others
// are only opened under concurrency. It is safe for concurrent use.
type SMTPSender struct {
	dialer *gomail.Dialer
	idle   time.Duration
	log    *slog.Logger

	slots  chan struct{} // one token per connection in use
	mu     sync.Mutex    // guards free and closed
	free   []*smtpConn   // connections not in use, most recently used last
	all    []*smtpConn
	closed bool
}

// smtpConn is one connection of the pool. Its mutex is held by the Send using
// it, by its idle timer and by Close.
type smtpConn struct {
	s        *SMTPSender
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
//   - conns: how many connections concurrent Sends may open at most
//     (default 4, at most 64); conns=1 serialises every Send on one connection.
//
// The port defaults to 465 for smtps and 587 otherwise. Unknown options are
// an error, and so is "from": the sender address is not configured here.
// Errors never contain the password.
func NewSMTPSender(rawURL string, log *slog.Logger) (*SMTPSender, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d, o, err := parseSMTPURL(rawURL)
	if err != nil {
		return nil, err
	}
	s := &SMTPSender{dialer: d, idle: o.idle, log: log, slots: make(chan struct{}, o.conns)}
	for range o.conns {
		c := &smtpConn{s: s}
		s.all = append(s.all, c)
		s.free = append(s.free, c)
	}
	return s, nil
}

// smtpOptions are the URL options that are not the Dialer's.
type smtpOptions struct {
	idle  time.Duration
	conns int
}

// parseSMTPURL turns the URL into a go-mail Dialer and the pool's options.
func parseSMTPURL(rawURL string) (*gomail.Dialer, smtpOptions, error) {
	o := smtpOptions{idle: DefaultSMTPIdle, conns: DefaultSMTPConns}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, smtpOptions{}, errors.New("mail: smtp url: cannot parse") // the error would echo the password
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return nil, smtpOptions{}, fmt.Errorf("mail: smtp url: scheme %q, want smtp or smtps", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return nil, smtpOptions{}, errors.New("mail: smtp url: host is missing")
	}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, smtpOptions{}, fmt.Errorf("mail: smtp url: bad port %q", p)
		}
	}
	d := &gomail.Dialer{Host: host, Port: port, Timeout: DefaultSMTPTimeout}
	if u.User != nil {
		d.Username = u.User.Username()
		d.Password, _ = u.User.Password()
	}
	mode := defaultTLSMode(u.Scheme, host, port)
	for key, values := range u.Query() {
		v := values[len(values)-1]
		switch key {
		case "tls":
			mode = v
		case "timeout", "idle":
			dur, err := time.ParseDuration(v)
			if err != nil || dur <= 0 {
				return nil, smtpOptions{}, fmt.Errorf("mail: smtp url: %s=%q is not a positive duration", key, v)
			}
			if key == "timeout" {
				d.Timeout = dur
			} else {
				o.idle = dur
			}
		case "conns":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxSMTPConns {
				return nil, smtpOptions{}, fmt.Errorf("mail: smtp url: conns=%q, want 1 to %d", v, maxSMTPConns)
			}
			o.conns = n
		case "helo":
			d.LocalName = v
		default:
			return nil, smtpOptions{}, fmt.Errorf("mail: smtp url: unknown option %q", key)
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
		return nil, smtpOptions{}, fmt.Errorf("mail: smtp url: tls=%q, want starttls, tls or none", mode)
	}
	return d, o, nil
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
// It takes a free connection of the pool, waiting for one while all are in
// use, and reuses it when it is open. Errors are *SendError (permanent for
// 5xx answers and malformed messages). The context is checked while waiting,
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
	c, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	defer s.release(c)
	return c.send(ctx, g, env)
}

// acquire waits for a free connection and takes the most recently used one.
func (s *SMTPSender) acquire(ctx context.Context) (*smtpConn, error) {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		<-s.slots
		return nil, ErrClosed
	}
	c := s.free[len(s.free)-1]
	s.free = s.free[:len(s.free)-1]
	return c, nil
}

// release gives c back to the pool.
func (s *SMTPSender) release(c *smtpConn) {
	s.mu.Lock()
	s.free = append(s.free, c)
	s.mu.Unlock()
	<-s.slots
}

// send delivers one built message over c, dialling first if c is not open.
func (c *smtpConn) send(ctx context.Context, g *gomail.Message, env envelope) error {
	s := c.s
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.conn != nil && time.Since(c.lastUsed) >= s.idle {
		c.drop(nil)
	}
	if c.conn == nil {
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
		c.conn = conn
	}
	if err := c.conn.Send(env.from.Address, []string{env.to.Address}, buffered{g}); err != nil {
		c.drop(err)
		return classify("send", err)
	}
	c.lastUsed = time.Now()
	c.armIdleTimer()
	return nil
}

// buffered writes a go-mail message into a pooled buffer first and then to the SMTP DATA writer
// in one call: the same bytes, without the hundreds of small writes of the MIME writer going
// through the dot-stuffing writer one by one.
type buffered struct{ g *gomail.Message }

var messageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledMessage bounds the buffers kept for reuse.
const maxPooledMessage = 1 << 20

// WriteTo writes the message to w.
func (b buffered) WriteTo(w io.Writer) (int64, error) {
	buf := messageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledMessage {
			messageBuffers.Put(buf)
		}
	}()
	if _, err := b.g.WriteTo(buf); err != nil {
		return 0, err
	}
	n, err := w.Write(buf.Bytes())
	return int64(n), err
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

// drop forgets the connection. After an SMTP answer the connection is
// healthy and is closed with QUIT at once; after a network error QUIT would
// block until the I/O timeout, so it is done in the background. The caller
// holds c.mu.
func (c *smtpConn) drop(cause error) {
	conn := c.conn
	c.conn = nil
	if conn == nil {
		return
	}
	var tp *textproto.Error
	if cause == nil || errors.As(cause, &tp) {
		if err := conn.Close(); err != nil {
			c.s.log.Debug("smtp connection close", "err", err)
		}
		return
	}
	go func() { _ = conn.Close() }()
}

// armIdleTimer (re)starts the timer that closes c when unused. The caller
// holds c.mu.
func (c *smtpConn) armIdleTimer() {
	if c.timer == nil {
		c.timer = time.AfterFunc(c.s.idle, c.closeIdle)
		return
	}
	c.timer.Reset(c.s.idle)
}

// closeIdle closes the connection if it has not been used for the idle
// period.
func (c *smtpConn) closeIdle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil && time.Since(c.lastUsed) >= c.s.idle {
		c.drop(nil)
	}
}

// open reports whether c holds a connection now.
func (c *smtpConn) open() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn != nil
}

// Close closes the open connections, waiting for the Sends using them, and
// makes later Sends fail with ErrClosed.
func (s *SMTPSender) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	var errs []error
	for _, c := range s.all {
		c.mu.Lock()
		c.closed = true
		if c.timer != nil {
			c.timer.Stop()
		}
		if c.conn != nil {
			if err := c.conn.Close(); err != nil {
				errs = append(errs, err)
			}
			c.conn = nil
		}
		c.mu.Unlock()
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("mail: close smtp connection: %w", err)
	}
	return nil
}
