package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// FileSink is a Sender that writes each message as an RFC 5322 .eml file
// into a directory instead of sending it: the embedded default for
// development and demos. It is safe for concurrent use.
type FileSink struct {
	dir string
	log *slog.Logger
}

// NewFileSink creates dir (mode 0700) if needed and returns a sink writing
// into it. Files are named after the Message-ID, so sending the same message
// again overwrites its file instead of adding a second one.
func NewFileSink(dir string, log *slog.Logger) (*FileSink, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if dir == "" {
		return nil, fmt.Errorf("mail: file sink: directory is empty")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail: file sink: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail: file sink: %w", err)
	}
	return &FileSink{dir: dir, log: log}, nil
}

// Dir returns the directory the sink writes into.
func (f *FileSink) Dir() string { return f.dir }

// Send writes m to <dir>/<sanitised Message-ID>.eml with mode 0600, through
// a temporary file and a rename so that readers never see half a message.
// It logs "mail written" with the file name only. Files are not fsynced: the
// sink is for development, not for durable delivery.
func (f *FileSink) Send(ctx context.Context, m *Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return &SendError{Permanent: true, Reason: redact(err.Error()), Err: err}
	}
	name := FileName(m.MessageID)
	tmp, err := os.CreateTemp(f.dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("mail: file sink: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("mail: file sink: write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mail: file sink: close %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(f.dir, name)); err != nil {
		return fmt.Errorf("mail: file sink: rename %s: %w", name, err)
	}
	f.log.Info("mail written", "file", name)
	return nil
}

// Close does nothing; it exists to satisfy Sender.
func (f *FileSink) Close() error { return nil }

// maxFileStem bounds the file name taken from a Message-ID.
const maxFileStem = 120

// FileName returns the .eml file name FileSink uses for a Message-ID: the ID
// without angle brackets, with every character other than ASCII letters,
// digits, '.', '-', '_' and '@' replaced by '_'. Long or heavily rewritten
// IDs get a hash suffix so that distinct IDs keep distinct names.
func FileName(messageID string) string {
	id := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(messageID), "<"), ">")
	var b strings.Builder
	changed := false
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '.', r == '-', r == '_', r == '@':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
			changed = true
		}
	}
	stem := strings.TrimLeft(b.String(), ".")
	if stem != b.String() || stem == "" || len(stem) > maxFileStem || changed {
		sum := sha256.Sum256([]byte(messageID))
		if len(stem) > maxFileStem {
			stem = stem[:maxFileStem]
		}
		stem += "-" + hex.EncodeToString(sum[:6])
	}
	return stem + ".eml"
}

// NewSender returns the SMTP sender for smtpURL, or a FileSink writing into
// fileDir when smtpURL is empty.
func NewSender(smtpURL, fileDir string, log *slog.Logger) (Sender, error) {
	if strings.TrimSpace(smtpURL) == "" {
		return NewFileSink(fileDir, log)
	}
	return NewSMTPSender(smtpURL, log)
}
