package mail

import (
	htmltemplate "html/template"
	"strings"
	"sync"
)

// renderCache renders mail whose only personal fields are a name and a link — announcements,
// registration confirmations, sign-in links — once per language and text, and then only puts
// each recipient's name and link into the result: a fan-out to thousands of delegates, or a rush
// of registrations, executes the templates a few times instead of three times per mail.
//
// A skeleton is the mail rendered with marks in place of the two personal fields. It is used
// only after a check: the skeleton filled with probe values (markup, quotes, '+', non-ASCII, a
// different length, a query string) must equal the templates' own rendering of those values,
// byte for byte, in subject, text and HTML. A template that transforms, wraps or tests a personal
// field beyond being empty, or puts it where HTML escapes it differently from text, fails the
// check, and its mails are rendered in full. Links are filled in only when they consist of
// characters that no context escapes but for '&' (which HTML writes as "&amp;" in text and in
// attributes alike); any other link is rendered in full too.
type renderCache struct {
	t  *Templates
	mu sync.Mutex
	m  map[skeletonKey]*skeleton
}

// personalised is template data whose only per-recipient fields are a name and a link.
type personalised interface {
	Data
	// personal returns the recipient's name and link.
	personal() (name, link string)
	// withPersonal returns a copy with name and link replaced: as a comparable value (the
	// cache key) and as data to render.
	withPersonal(name, link string) (key any, d Data)
}

// skeletonKey is a language and the data of a mail with marks for its personal fields.
type skeletonKey struct {
	lang string
	data any
}

// skeleton is a mail rendered with marks, split at the marks, or not ok when it failed
// its check.
type skeleton struct {
	ok                  bool
	subject, text, html []piece
}

// piece is a literal followed by a mark (markName, markLink or markNone at the end).
type piece struct {
	lit  string
	mark byte
}

const (
	markNone byte = iota
	markName
	markLink
)

// split cuts s at every nameMark and linkMark.
func split(s string) []piece {
	var out []piece
	for {
		i, j := strings.Index(s, nameMark), strings.Index(s, linkMark)
		switch {
		case i < 0 && j < 0:
			return append(out, piece{lit: s})
		case j < 0 || (i >= 0 && i < j):
			out = append(out, piece{lit: s[:i], mark: markName})
			s = s[i+len(nameMark):]
		default:
			out = append(out, piece{lit: s[:j], mark: markLink})
			s = s[j+len(linkMark):]
		}
	}
}

// join puts name and link in place of the marks of pieces, in one allocation.
func join(pieces []piece, name, link string) string {
	if len(pieces) == 1 {
		return pieces[0].lit
	}
	n := 0
	for _, p := range pieces {
		n += len(p.lit)
		switch p.mark {
		case markName:
			n += len(name)
		case markLink:
			n += len(link)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range pieces {
		b.WriteString(p.lit)
		switch p.mark {
		case markName:
			b.WriteString(name)
		case markLink:
			b.WriteString(link)
		}
	}
	return b.String()
}

const (
	nameMark  = "\uE000zw-name\uE001"
	linkMark  = "https://zw-link.invalid/u/zw-link-mark"
	nameProbe = `Ω <b>&"probe"'+</b> Delegate Name Long Enough`
	linkProbe = "https://probe.example/u/Probe-123_x.y~z?token=AB-c_9&lang=uk"
)

// maxSkeletons bounds the cache: it is emptied when full.
const maxSkeletons = 64

func newRenderCache(t *Templates) *renderCache {
	return &renderCache{t: t, m: map[skeletonKey]*skeleton{}}
}

// render renders d in lang, from a skeleton when it can. ok is false when the caller must
// render d in full.
func (c *renderCache) render(lang string, d personalised) (Rendered, bool) {
	name, link := d.personal()
	if !linkSafe(link) || strings.Contains(name, nameMark) {
		return Rendered{}, false
	}
	if v, ok := d.(interface{ Validate() error }); ok && v.Validate() != nil {
		return Rendered{}, false // the full rendering says why d is invalid
	}
	// The personal fields become marks, or stay empty: emptiness changes the text.
	key, marked := d.withPersonal(markIf(name, nameMark), markIf(link, linkMark))
	lang = c.t.Language(lang)
	k := skeletonKey{lang: lang, data: key}
	c.mu.Lock()
	s, found := c.m[k]
	c.mu.Unlock()
	if !found {
		_, probe := d.withPersonal(markIf(name, nameProbe), markIf(link, linkProbe))
		s = c.build(lang, marked, probe)
		c.mu.Lock()
		if len(c.m) >= maxSkeletons {
			clear(c.m)
		}
		c.m[k] = s
		c.mu.Unlock()
	}
	if !s.ok {
		return Rendered{}, false
	}
	return s.fill(name, link), true
}

// build renders the skeleton of marked and checks it against a rendering of probe (the same
// data with the probe values for the personal fields that are not empty).
func (c *renderCache) build(lang string, marked, probe Data) *skeleton {
	r, err := c.t.Render(marked.Template(), lang, marked)
	if err != nil {
		return &skeleton{}
	}
	want, err := c.t.Render(probe.Template(), lang, probe)
	if err != nil {
		return &skeleton{}
	}
	name, link := probe.(personalised).personal()
	s := &skeleton{ok: true, subject: split(r.Subject), text: split(r.Text), html: split(r.HTML)}
	if s.fill(name, link) != want {
		return &skeleton{}
	}
	return s
}

// fill puts name and link in place of the marks: as they are in subject and text, escaped as
// html/template escapes them in the HTML.
func (s *skeleton) fill(name, link string) Rendered {
	escaped := name
	if strings.ContainsAny(name, "<>&'\"+\x00") {
		escaped = escapeText(name)
	}
	return Rendered{Subject: join(s.subject, name, link), Text: join(s.text, name, link),
		HTML: join(s.html, escaped, strings.ReplaceAll(link, "&", "&amp;"))}
}

// escapeText escapes s exactly as html/template escapes a value in text context ("+" included).
func escapeText(s string) string {
	var b strings.Builder
	_ = textEscaper.Execute(&b, s)
	return b.String()
}

var textEscaper = htmltemplate.Must(htmltemplate.New("escape").Parse("{{.}}"))

func markIf(v, mark string) string {
	if v == "" {
		return ""
	}
	return mark
}

// linkSafe reports whether link is empty or made only of characters that neither HTML nor URL
// escaping changes, but for '&' (see fill).
func linkSafe(link string) bool {
	for _, r := range link {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-._~:/?=&", r):
		default:
			return false
		}
	}
	return true
}
