package mail

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// textFuncs and htmlFuncs are the functions templates may call.
var (
	textFuncs = texttemplate.FuncMap{"plural": plural}
	htmlFuncs = htmltemplate.FuncMap{"plural": plural, "paragraphs": paragraphs}
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
// spaces go, runs of blank lines shrink to one, and the result has no
// leading blank lines and ends with exactly one newline.
func tidyText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	b.Grow(len(s))
	blank := true // suppresses leading blank lines
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, " \t")
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
