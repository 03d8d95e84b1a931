package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"syscall"
	"testing"

	"github.com/mattn/go-sqlite3"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// cutProxy forwards loopback connections to a database until cut is called, which closes the
// listener and every connection, as a database that goes away does.
type cutProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln}
	t.Cleanup(p.cut)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *cutProxy) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// TestDatabaseDownAnswers503 cuts the server off its PostgreSQL: a registration answers 503 with
// Retry-After and the code "unavailable", not 500.
func TestDatabaseDownAnswers503(t *testing.T) {
	u, err := url.Parse(modelstest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	st, err := models.Open(context.Background(), models.Options{DatabaseURL: u.String(), ReadConns: 2}, modelstest.Box(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, st)
	c := e.conference()
	o := e.organisation(c, "Union", true, 0)
	proxy.cut()
	r := e.do("POST", "/api/v1/conferences/"+c.Slug+"/delegates", "", regBody("anna@example.org", "Anna K.", o))
	r.want(t, 503)
	if got := r.Header.Get("Retry-After"); got != fmt.Sprint(models.RetryAfterSeconds) {
		t.Errorf("Retry-After: got %q, want %d", got, models.RetryAfterSeconds)
	}
	if code := r.json(t)["code"]; code != string(models.CodeUnavailable) {
		t.Errorf("code: got %v, want unavailable", code)
	}
	// The next request finds no server at all (connection refused).
	e.do("POST", "/api/v1/conferences/"+c.Slug+"/delegates", "", regBody("boris@example.org", "Boris L.", o)).want(t, 503)
}

// TestTemporaryFaults lists the faults that are temporary (disk full, database restarting,
// connection refused) and some that are not.
func TestTemporaryFaults(t *testing.T) {
	_, refused := net.Dial("tcp", "127.0.0.1:1")
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("insert: %w", sqlite3.Error{Code: sqlite3.ErrFull}), true},
		{fmt.Errorf("write: %w", syscall.ENOSPC), true},
		{fmt.Errorf("query: %w", refused), true},
		{fmt.Errorf("insert: %w", sqlite3.Error{Code: sqlite3.ErrConstraint}), false},
		{errors.New("template broken"), false},
		{models.ErrNotFound, false},
	} {
		if got := models.IsTemporary(tt.err); got != tt.want {
			t.Errorf("IsTemporary(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
