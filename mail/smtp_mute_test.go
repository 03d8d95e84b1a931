package mail

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
)

// muteServer listens on loopback, accepts connections and never says a
// word. Each accepted connection is announced on the returned channel.
func muteServer(t *testing.T) (addr string, accepted <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan struct{}, 16)
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().String(), ch
}

func TestSMTPSenderMuteServerTimesOutAndIsLogged(t *testing.T) {
	addr, _ := muteServer(t)
	logs := &syncBuffer{}
	s, err := NewSMTPSender("smtp://"+addr+"?tls=none&timeout=200ms", slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res := make(chan error, 1)
	go func() { res <- s.Send(context.Background(), testMessage(t, 1)) }()
	select {
	case err = <-res:
	case <-time.After(20 * time.Second): // a bound on failure, 100× the timeout
		t.Fatal("Send hung on a server that never greets")
	}
	var se *SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Fatalf("got %v, want a temporary SendError", err)
	}
	out := logs.String()
	if !strings.Contains(out, "smtp connect failed") {
		t.Errorf("the failed greeting was not logged:\n%s", out)
	}
	if strings.Contains(out, "@example") {
		t.Errorf("the log names an address:\n%s", out)
	}
}

func TestSMTPSenderMuteServerReturnsOnCancel(t *testing.T) {
	addr, accepted := muteServer(t)
	s, err := NewSMTPSender("smtp://"+addr+"?tls=none&timeout=1h", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	go func() { res <- s.Send(ctx, testMessage(t, 1)) }()
	<-accepted
	cancel()
	select {
	case err := <-res:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Send did not return after cancel while waiting for a greeting")
	}
}

func TestWorkerStopsWhileServerIsMute(t *testing.T) {
	addr, accepted := muteServer(t)
	s, err := NewSMTPSender("smtp://"+addr+"?tls=none&timeout=1h", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	q := &memQueue{now: time.Now}
	q.add(confirmJob(t, 1))
	w := NewWorker(q, s, loadTestTemplates(t), WorkerConfig{From: "Secretariat <noreply@example.org>", PollInterval: time.Hour}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	<-accepted
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("worker did not stop while the SMTP server was mute")
	}
	if j := q.snapshot("job-001"); j.state != "pending" {
		t.Errorf("job state %s, want pending (left for a later attempt)", j.state)
	}
}
