package markdown

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// inert reports why rendered HTML could run code or load something, or "" if it cannot.
func inert(out string) string {
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.Data {
			case "script", "iframe", "object", "embed", "style", "img", "svg", "math", "form", "input", "link", "meta", "base", "frame", "frameset":
				return "element <" + t.Data + ">"
			}
			for _, a := range t.Attr {
				k := strings.ToLower(a.Key)
				if strings.HasPrefix(k, "on") || k == "style" || k == "src" || k == "srcset" || k == "formaction" {
					return fmt.Sprintf("attribute %s on <%s>", a.Key, t.Data)
				}
				if k == "href" {
					u, err := url.Parse(a.Val)
					if err != nil {
						return "unparseable href " + a.Val
					}
					if s := strings.ToLower(u.Scheme); s != "" && s != "http" && s != "https" && s != "mailto" {
						return "href scheme " + s
					}
				}
			}
			if t.Data == "a" && hasHref(t) && attr(t, "rel") != LinkRel {
				return fmt.Sprintf("link without rel=%q: %s", LinkRel, t)
			}
		}
	}
}

func hasHref(t html.Token) bool {
	for _, a := range t.Attr {
		if a.Key == "href" {
			return true
		}
	}
	return false
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestRenderIsInert(t *testing.T) {
	cases := []struct {
		name, src string
		keep      []string // must appear in the output
		drop      []string // must not appear in the output
	}{
		{"script tag", "Hello <script>alert(1)</script> world", []string{"Hello"}, []string{"<script", "alert(1)</script>"}},
		{"script block", "<script>\nalert(document.cookie)\n</script>\n\ntext", []string{"text"}, []string{"<script", "document.cookie"}},
		{"iframe", `<iframe src="https://evil.example/"></iframe>`, nil, []string{"<iframe", "evil.example"}},
		{"javascript link", "[click](javascript:alert(1))", []string{"click"}, []string{"javascript:"}},
		{"javascript link upper case", "[click](JaVaScRiPt:alert(1))", []string{"click"}, []string{"avascript"}},
		{"javascript entity link", "[click](&#106;avascript:alert(1))", []string{"click"}, []string{"avascript:"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", []string{">x</a>"}, []string{"data:"}},
		{"vbscript link", "[x](vbscript:msgbox)", nil, []string{"vbscript:"}},
		{"onerror attribute", `<img src=x onerror="alert(1)">`, nil, []string{"onerror", "<img"}},
		{"onclick in inline html", `a <a href="https://ok.example" onclick="steal()">b</a>`, nil, []string{"onclick", "steal()"}},
		{"image becomes link", "![map of the front](https://tracker.example/pixel.png)", []string{`href="https://tracker.example/pixel.png"`, "map of the front"}, []string{"<img"}},
		{"data image", "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", nil, []string{"<img", "data:"}},
		{"safe link", "[peace](https://example.org/peace)", []string{`<a href="https://example.org/peace" rel="nofollow noopener">peace</a>`}, nil},
		{"autolink", "see https://example.org/x", []string{`href="https://example.org/x"`, `rel="nofollow noopener"`}, nil},
		{"mailto", "<mailto:sec@example.org>", []string{`href="mailto:sec@example.org"`}, nil},
		{"style tag", "<style>body{display:none}</style>\n\ntext", []string{"text"}, []string{"<style", "display:none"}},
		{"svg", `<svg onload="alert(1)"><circle/></svg>`, nil, []string{"<svg", "onload"}},
		{"markdown kept", "# Title\n\n*no* to **war**\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~", []string{"<h1>Title</h1>", "<em>no</em>", "<strong>war</strong>", "<li>one</li>", "<table>", "<del>old</del>"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := Render(c.src)
			if why := inert(out); why != "" {
				t.Errorf("Render(%q) = %q: not inert: %s", c.src, out, why)
			}
			for _, k := range c.keep {
				if !strings.Contains(out, k) {
					t.Errorf("Render(%q) = %q, want it to contain %q", c.src, out, k)
				}
			}
			for _, d := range c.drop {
				if strings.Contains(strings.ToLower(out), strings.ToLower(d)) {
					t.Errorf("Render(%q) = %q, want no %q", c.src, out, d)
				}
			}
		})
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"plain", "<script>alert(1)</script>", "[a](javascript:alert(1))", `<img src=x onerror=alert(1)>`,
		"![a](https://x.example/a.png)", "<iframe src=//x></iframe>", "[a](data:text/html,<script>)",
		"<a href=\"java\tscript:alert(1)\">x</a>", "[a]: javascript:alert(1)\n\n[a]", "| a |\n|---|\n| <b onmouseover=x>b</b> |",
		"<details open ontoggle=alert(1)>", "`<script>`", "```\n<script>\n```", "[x](https://ok.example \"t\\\" onmouseover=\\\"x\")",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := Render(src)
		if why := inert(out); why != "" {
			t.Fatalf("Render(%q) = %q: not inert: %s", src, out, why)
		}
	})
}
