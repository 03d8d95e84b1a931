package mail

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"unicode/utf8"
)

// textFuncs and htmlFuncs are the functions templates may call.
var (
	textFuncs = texttemplate.FuncMap{"plural": plural, "ownSalutation": ownSalutation}
	htmlFuncs = htmltemplate.FuncMap{"plural": plural, "paragraphs": paragraphs, "ownSalutation": ownSalutation}
)

// plural picks the Russian/Ukrainian form of a noun after the number n:
// one (1, 21, 31 …), few (2–4, 22–24 …) or many (0, 5–20, 25 …).
func plural(n int, one, few, many string) string {
	if n < 0 {
		n = -n
	}
	switch {
	case n%10 == 1 && n%100 != 11:
		return one
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		return few
	default:
		return many
	}
}

// paragraphs splits plain text into paragraphs (separated by blank lines),
// each a list of lines, so that HTML templates can keep line breaks while
// every line is still escaped.
func paragraphs(s string) [][]string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var out [][]string
	var cur []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// tidyText normalises a rendered text body: CRLF and CR become LF, trailing
// spaces go (but for the signature separator "-- "), runs of blank lines shrink to one, and the result has no
// leading blank lines and ends with exactly one newline.
func tidyText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	b.Grow(len(s))
	blank := true // suppresses leading blank lines
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, " \t")
		if line == "--" {
			line = "-- " // the signature separator keeps its space (RFC 3676), so mail readers find it
		}
		if line == "" {
			blank = true
			continue
		}
		if blank && b.Len() > 0 {
			b.WriteByte('\n')
		}
		blank = false
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// ownSalutation reports whether the template data opens with its own salutation (an
// announcement whose body starts "Dear delegates,"), in which case the layout adds none.
func ownSalutation(data any) bool {
	s, ok := data.(interface{ OwnSalutation() bool })
	return ok && s.OwnSalutation()
}

// opensWithSalutation reports whether body's first paragraph is one short line ending in a
// comma, an exclamation mark or a colon, as "Dear delegates," or "Дорогие делегаты!" do.
func opensWithSalutation(body string) bool {
	body = strings.TrimLeft(strings.ReplaceAll(body, "\r\n", "\n"), " \t\n")
	first, rest, _ := strings.Cut(body, "\n")
	first = strings.TrimSpace(first)
	if first == "" || utf8.RuneCountInString(first) > 60 || strings.TrimSpace(rest) != "" && !strings.HasPrefix(strings.TrimLeft(rest, " \t"), "\n") {
		return false
	}
	return strings.HasSuffix(first, ",") || strings.HasSuffix(first, "!") || strings.HasSuffix(first, ":")
}
