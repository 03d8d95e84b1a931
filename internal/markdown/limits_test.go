package markdown

import (
	"strings"
	"testing"
)

// TestHostileMarkdownIsTamed: the shapes that made rendering quadratic or worse (100 kB of ">",
// deeper and deeper lists, thousands of unclosed links, endless emphasis and code marks) are
// limited before parsing: at most MaxDepth nested quotes, at most MaxLinks links; an ordinary
// document renders as before.
func TestHostileMarkdownIsTamed(t *testing.T) {
	if got := strings.Count(Render(strings.Repeat(">", 100000)+" x"), "<blockquote>"); got != MaxDepth {
		t.Errorf("100,000 quote markers: got %d nested quotes, want %d", got, MaxDepth)
	}
	var nested strings.Builder
	for i := range 2000 {
		nested.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	if got := strings.Count(Render(nested.String()), "<ul>"); got > MaxIndent {
		t.Errorf("2,000 ever deeper list items: got %d nested lists, want at most %d", got, MaxIndent)
	}
	if got := strings.Count(Render(strings.Repeat("[a](/page) ", 1000)), "<a "); got != MaxLinks {
		t.Errorf("1,000 links: got %d, want the first %d", got, MaxLinks)
	}
	if got := Render(strings.Repeat("`a", 50000)); !strings.Contains(got, "<code>") {
		t.Errorf("code marks: the first ones lost their meaning")
	}
	ordinary := "# Title\n\n> a quote\n>> nested\n\n- one\n  - two\n\nSome *emphasis*, `code` and [a link](https://example.org).\n"
	if tame(ordinary) != ordinary {
		t.Errorf("an ordinary document was changed:\n%s", tame(ordinary))
	}
}
