package markdown

import (
	"strings"
)

// Limits that keep rendering linear in the size of the source, whatever it holds (a hostile body
// of 100 kB of ">" or of unclosed links cost seconds to minutes before).
const (
	// MaxDepth is the deepest nesting of block quotes a line may open.
	MaxDepth = 8
	// MaxIndent is the widest indentation kept at the start of a line (columns): list nesting
	// stays at most a few levels deep.
	MaxIndent = 16
	// MaxLinks is how many "[" may open and "]" close a link or image; later ones are plain text.
	MaxLinks = 64
	// MaxMarks is how many emphasis ("*", "_") and code ("`") marks keep their meaning; later
	// ones are plain text.
	MaxMarks = 512
	// MaxLine is the longest line parsed as one: a longer line is broken (at a space when one is
	// near), so that inline constructs left open scan a line, not the whole body.
	MaxLine = 4 << 10
	// MaxSource is the longest source rendered; the rest is cut.
	MaxSource = 256 << 10
)

// tame rewrites src so that the parser's work stays linear: block-quote markers beyond MaxDepth
// and indentation beyond MaxIndent are dropped from each line, "[" and "]" beyond MaxLinks, and
// emphasis or code marks beyond MaxMarks are escaped. Ordinary documents are unchanged.
func tame(src string) string {
	if len(src) > MaxSource {
		src = src[:MaxSource]
	}
	var b strings.Builder
	b.Grow(len(src) + 64)
	links, closes, marks := 0, 0, 0
	for line := range strings.Lines(src) {
		// Leading indentation and quote markers.
		col, depth, i := 0, 0, 0
		for i < len(line) {
			switch c := line[i]; {
			case c == ' ' || c == '\t':
				w := 1
				if c == '\t' {
					w = 4
				}
				if col+w <= MaxIndent {
					b.WriteByte(c)
					col += w
				}
			case c == '>':
				if depth < MaxDepth {
					b.WriteByte(c)
					depth++
				}
				col = 0
			default:
				goto rest
			}
			i++
		}
	rest:
		run := 0
		for ; i < len(line); i++ {
			c := line[i]
			if run++; run > MaxLine && (c == ' ' || run > MaxLine+256) {
				b.WriteByte('\n')
				run = 0
			}
			escaped := i > 0 && line[i-1] == '\\'
			switch c {
			case '[':
				if links++; links > MaxLinks && !escaped {
					b.WriteByte('\\')
				}
			case ']':
				if closes++; closes > MaxLinks && !escaped {
					b.WriteByte('\\')
				}
			case '*', '_', '`':
				if marks++; marks > MaxMarks && !escaped {
					b.WriteByte('\\')
				}
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}
