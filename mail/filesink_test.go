package mail

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileSinkWritesParseableEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	var logs bytes.Buffer
	sink, err := NewFileSink(dir, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatalf("NewFileSink: %v", err)
	}
	m, err := Compose("Secretariat <noreply@example.org>", "clara@example.net", "<0190-1@example.org>",
		Rendered{Subject: "Confirm your registration — IC", Text: "Hello Clara\n", HTML: "<p>Hello <b>Clara</b></p>"})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	for range 2 { // a resend overwrites the same file
		if err := sink.Send(context.Background(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "0190-1@example.org.eml" {
		t.Fatalf("dir entries: got %v, want exactly 0190-1@example.org.eml", entries)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode: got %v, want 0700", fi.Mode().Perm())
	}
	path := filepath.Join(dir, entries[0].Name())
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode: got %v, want 0600", fi.Mode().Perm())
	}

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	msg, err := netmail.ReadMessage(f)
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	if got, want := msg.Header.Get("Message-ID"), "<0190-1@example.org>"; got != want {
		t.Errorf("Message-ID: got %q, want %q", got, want)
	}
	if got, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); got != "Confirm your registration — IC" {
		t.Errorf("Subject: got %q", got)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type: got %q (%v), want multipart/alternative", mediaType, err)
	}
	var types []string
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("NextPart: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		types = append(types, ct)
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Errorf("parts: got %v, want text/plain then text/html", types)
	}

	for _, leak := range []string{"clara@example.net", "Confirm your registration", "Hello"} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("log %q contains %q", logs.String(), leak)
		}
	}
	if !strings.Contains(logs.String(), "mail written") || !strings.Contains(logs.String(), "0190-1@example.org.eml") {
		t.Errorf("log: got %q, want \"mail written\" with the file name", logs.String())
	}
}

func TestNewSenderPicksImplementation(t *testing.T) {
	s, err := NewSender("", t.TempDir(), nil)
	if err != nil {
		t.Fatalf("NewSender file: %v", err)
	}
	if _, ok := s.(*FileSink); !ok {
		t.Errorf("empty smtp url: got %T, want *FileSink", s)
	}
	s, err = NewSender("smtp://localhost:1025", "", nil)
	if err != nil {
		t.Fatalf("NewSender smtp: %v", err)
	}
	if _, ok := s.(*SMTPSender); !ok {
		t.Errorf("smtp url: got %T, want *SMTPSender", s)
	}
}
