package ical

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zone test runs on machines without /usr/share/zoneinfo instead of skipping
	"unicode/utf8"
)

func TestFoldKeepsLinesShortAndCharactersWhole(t *testing.T) {
	cases := []string{
		"SUMMARY:short",
		"SUMMARY:" + strings.Repeat("a", 200),
		"SUMMARY:" + strings.Repeat("Пленарное заседание ", 12),
		"DESCRIPTION:" + strings.Repeat("€", 80),
		"X:" + strings.Repeat("🕊", 40),
	}
	for _, in := range cases {
		out := Fold(in)
		for i, line := range strings.Split(out, "\r\n") {
			if len(line) > 75 {
				t.Errorf("line %d of %q: got %d octets, want at most 75", i, in[:20], len(line))
			}
			if i > 0 && !strings.HasPrefix(line, " ") {
				t.Errorf("continuation line %d does not start with a space: %q", i, line)
			}
			if !utf8.ValidString(line) {
				t.Errorf("line %d splits a UTF-8 character: %q", i, line)
			}
		}
		if got := Unfold(out); got != in {
			t.Errorf("unfold: got %q, want %q", got, in)
		}
	}
}

func TestEscapeText(t *testing.T) {
	cases := map[string]string{
		"plain":                 "plain",
		"a,b;c\\d":              `a\,b\;c\\d`,
		"line one\nline two":    `line one\nline two`,
		"crlf\r\nend":           `crlf\nend`,
		"bell\x07 and \x00null": "bell and null",
	}
	for in, want := range cases {
		if got := EscapeText(in); got != want {
			t.Errorf("EscapeText(%q): got %q, want %q", in, got, want)
		}
	}
	w := &Writer{}
	w.Raw("X-TEST", "value\r\nINJECTED:1", "PARAM=a\nb")
	if got := string(w.Bytes()); got != "X-TEST;PARAM=ab:valueINJECTED:1\r\n" {
		t.Errorf("raw value with line breaks: got %q", got)
	}
}

func TestTimezoneHasTheTransitionsOfTheRange(t *testing.T) {
	zurich, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Fatalf("load Europe/Zurich: %v", err)
	}
	w := &Writer{}
	w.Timezone(zurich, time.Date(2027, 9, 1, 0, 0, 0, 0, zurich), time.Date(2028, 1, 1, 0, 0, 0, 0, zurich))
	got := string(w.Bytes())
	want := strings.Join([]string{
		"BEGIN:VTIMEZONE", "TZID:Europe/Zurich",
		"BEGIN:DAYLIGHT", "DTSTART:20270328T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "END:DAYLIGHT",
		"BEGIN:STANDARD", "DTSTART:20271031T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "END:STANDARD",
		"END:VTIMEZONE", ""}, "\r\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	w = &Writer{}
	w.Timezone(time.UTC, time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 9, 9, 0, 0, 0, 0, time.UTC))
	if got := string(w.Bytes()); !strings.Contains(got, "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n") {
		t.Errorf("UTC: got %q", got)
	}
}

func FuzzEscapeFold(f *testing.F) {
	for _, s := range []string{"", "a,b;c", "x\r\ny", strings.Repeat("ж", 100), "\\n", "\x00\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		w := &Writer{}
		w.Text("SUMMARY", s)
		doc := string(w.Bytes())
		if !strings.HasSuffix(doc, "\r\n") {
			t.Fatalf("no final CRLF: %q", doc)
		}
		for _, line := range strings.Split(strings.TrimSuffix(doc, "\r\n"), "\r\n") {
			if len(line) > 75 || strings.ContainsAny(line, "\r\n") {
				t.Fatalf("bad line %q", line)
			}
		}
		value := strings.TrimPrefix(Unfold(strings.TrimSuffix(doc, "\r\n")), "SUMMARY:")
		want := strings.Map(func(r rune) rune {
			if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
				return -1
			}
			return r
		}, strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
		if got := UnescapeText(value); got != want {
			t.Fatalf("round trip: got %q, want %q", got, want)
		}
	})
}
