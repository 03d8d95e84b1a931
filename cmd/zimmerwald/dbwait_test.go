package main

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/seal"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// signalWriter announces on ch each write that contains want.
type signalWriter struct {
	want string
	ch   chan struct{}
}

func (w signalWriter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.want) {
		select {
		case w.ch <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

// TestServeWaitsForTheDatabase starts the store on a PostgreSQL address where nothing listens
// yet; once it has logged that it waits, a proxy to the real server opens on that address and the
// store must open there instead of the start failing.
func TestServeWaitsForTheDatabase(t *testing.T) {
	dsn := modelstest.PostgresURL(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	addr := freeAddr(t) // nothing listens there until the proxy starts
	u.Host = addr
	cfg := config.Defaults()
	cfg.DatabaseURL = u.String()
	cfg.SecretKey = base64.StdEncoding.EncodeToString(seal.NewKey())
	waiting := make(chan struct{}, 1)
	log := slog.New(slog.NewTextHandler(signalWriter{"waiting for the database", waiting}, nil))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	type result struct{ err error }
	done := make(chan result, 1)
	go func() {
		st, err := openStoreWaiting(ctx, cfg, log)
		if err == nil {
			_, err = st.Migrate(ctx)
			st.Close()
		}
		done <- result{err}
	}()
	select {
	case <-waiting:
	case r := <-done:
		t.Fatalf("the start did not wait for the database: %v", r.err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go proxy(ln, target)
	if r := <-done; r.err != nil {
		t.Fatalf("after the database came up: %v", r.err)
	}
}

// proxy forwards every connection accepted on ln to target until ln is closed.
func proxy(ln net.Listener, target string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			up, err := net.Dial("tcp", target)
			if err != nil {
				return
			}
			defer up.Close()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			_, _ = io.Copy(c, up)
		}()
	}
}
