package mail

import (
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
	"strings"
)

// ErrInvalidMessage is wrapped by every error that rejects a message as
// malformed (a header with a line break, several recipients, an unparsable
// address). Such errors are permanent: retrying cannot help.
var ErrInvalidMessage = errors.New("mail: invalid message")

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("mail: sender closed")

// SendError carries the SMTP answer of a failed delivery. Permanent is true
// for 5xx answers; Code is 0 when no SMTP answer was received (network
// errors, timeouts). Reason never contains an email address.
type SendError struct {
	Code      int
	Permanent bool
	Reason    string
	Err       error
}

// Error returns the SMTP code and the redacted reason; it never contains the
// text of the wrapped error, which may name the recipient.
func (e *SendError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("mail: smtp %d: %s", e.Code, e.Reason)
	}
	return "mail: send failed: " + e.Reason
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// IsPermanent reports whether err will fail again if retried: true for 5xx
// SMTP answers and malformed messages, false for 4xx answers, network errors,
// timeouts and everything else.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrInvalidMessage) {
		return true
	}
	var se *SendError
	if errors.As(err, &se) {
		return se.Permanent
	}
	return false
}

// classify turns an error from an SMTP exchange into a *SendError. Only
// answers the server actually gave (net/textproto errors) can be permanent.
func classify(stage string, err error) *SendError {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return &SendError{
			Code:      tp.Code,
			Permanent: tp.Code >= 500 && tp.Code < 600,
			Reason:    redact(fmt.Sprintf("%d %s", tp.Code, tp.Msg)),
			Err:       err,
		}
	}
	return &SendError{Reason: redact(stage + ": " + err.Error()), Err: err}
}

// addressLike matches anything shaped like an email address, bracketed or not.
var addressLike = regexp.MustCompile(`<?[^\s<>@"',;:()]+@[^\s<>@"',;:()]+>?`)

// maxReason bounds the length of a stored failure reason.
const maxReason = 300

// redact removes anything that looks like an email address from s (SMTP
// servers like to quote the rejected recipient) and bounds its length, so
// the result can be logged and stored.
func redact(s string) string {
	s = addressLike.ReplaceAllString(s, "<redacted>")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxReason {
		cut := maxReason
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
