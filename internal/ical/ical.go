package ical

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// Writer accumulates the content lines of one iCalendar document.
type Writer struct {
	buf bytes.Buffer
}

// Bytes returns the document written so far.
func (w *Writer) Bytes() []byte { return w.buf.Bytes() }

// Begin opens a component such as VCALENDAR or VEVENT.
func (w *Writer) Begin(component string) { w.line("BEGIN:" + component) }

// End closes a component.
func (w *Writer) End(component string) { w.line("END:" + component) }

// Raw writes a property whose value is already in iCalendar form (a date-time, a number, an
// enumerated value). Params are written as given, for example "TZID=Europe/Zurich". Control
// characters are dropped so that a value can never break out of its line.
func (w *Writer) Raw(name, value string, params ...string) {
	var b strings.Builder
	b.WriteString(name)
	for _, p := range params {
		b.WriteByte(';')
		b.WriteString(stripControls(p))
	}
	b.WriteByte(':')
	b.WriteString(stripControls(value))
	w.line(b.String())
}

// Text writes a property with a TEXT value, escaped.
func (w *Writer) Text(name, text string, params ...string) { w.Raw(name, EscapeText(text), params...) }

// line folds one content line and ends it with CRLF.
func (w *Writer) line(s string) {
	w.buf.WriteString(Fold(s))
	w.buf.WriteString("\r\n")
}

// EscapeText escapes a TEXT value: backslash, semicolon and comma get a backslash, line breaks
// become \n, and other control characters (but tab) are dropped.
func EscapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// UnescapeText reverses EscapeText (for tests and readers).
func UnescapeText(s string) string {
	var b strings.Builder
	esc := false
	for _, r := range s {
		switch {
		case esc && (r == 'n' || r == 'N'):
			b.WriteByte('\n')
			esc = false
		case esc:
			b.WriteRune(r)
			esc = false
		case r == '\\':
			esc = true
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// maxLine is the longest a content line may be, in octets, without its CRLF.
const maxLine = 75

// Fold splits a content line longer than 75 octets into lines joined by CRLF and one space,
// never inside a UTF-8 character. The result has no final CRLF.
func Fold(s string) string {
	if len(s) <= maxLine {
		return s
	}
	var b strings.Builder
	limit := maxLine // the first line has 75 octets, continuations 74 after their space
	n := 0
	for _, r := range s {
		size := utf8.RuneLen(r)
		if n+size > limit {
			b.WriteString("\r\n ")
			n, limit = 0, maxLine-1
		}
		b.WriteRune(r)
		n += size
	}
	return b.String()
}

// Unfold joins folded lines back (for tests and readers).
func Unfold(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n ", ""), "\r\n\t", "")
}

// LocalTime formats t as a floating local date-time of its own location (use with TZID).
func LocalTime(t time.Time) string { return t.Format("20060102T150405") }

// UTCTime formats t as a UTC date-time.
func UTCTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

func stripControls(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}

func isControl(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f }
