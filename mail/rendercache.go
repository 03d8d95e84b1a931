package mail

import (
	htmltemplate "html/template"
	"strings"
	"sync"
)

// renderCache renders an announcement once per language and text, and then only puts each
// recipient's name and unsubscribe link into the result: a fan-out to thousands of delegates
// executes the templates a few times instead of three times per mail.
//
// A skeleton is the announcement rendered with marks in place of the two personal fields. It is
// used only after a check: the skeleton filled with probe values (markup, quotes, '+', non-ASCII,
// a different length) must equal the templates' own rendering of those values, byte for byte,
// in subject, text and HTML. A template that transforms, wraps or tests a personal field beyond
// being empty, or puts it where HTML escapes it differently from text, fails the check, and its
// mails are rendered in full. Links are filled in only when they consist of characters that no
// context escapes; any other link is rendered in full too.
type renderCache struct {
	t  *Templates
	mu sync.Mutex
	m  map[AnnouncementData]*skeleton
}

// skeleton is an announcement rendered with marks, split at the marks, or not ok when it failed
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
	linkProbe = "https://probe.example/u/Probe-123_x.y~z"
)

// maxSkeletons bounds the cache: it is emptied when full.
const maxSkeletons = 64

func newRenderCache(t *Templates) *renderCache {
	return &renderCache{t: t, m: map[AnnouncementData]*skeleton{}}
}

// announcement renders d in lang, from a skeleton when it can. ok is false when the caller must
// render d in full.
func (c *renderCache) announcement(lang string, d *AnnouncementData) (Rendered, bool) {
	if !linkSafe(d.UnsubscribeURL) || strings.Contains(d.Name, nameMark) || d.Validate() != nil {
		return Rendered{}, false // the full rendering says why d is invalid
	}
	key := *d // the personal fields become marks, or stay empty: emptiness changes the text
	key.Name, key.UnsubscribeURL = markIf(d.Name, nameMark), markIf(d.UnsubscribeURL, linkMark)
	lang = c.t.Language(lang)
	k := key
	k.Conference = lang + "\x00" + k.Conference // one skeleton per language
	c.mu.Lock()
	s, found := c.m[k]
	c.mu.Unlock()
	if !found {
		s = c.build(lang, key)
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
	return s.fill(d.Name, d.UnsubscribeURL), true
}

// build renders the skeleton of key and checks it against a rendering of probe values.
func (c *renderCache) build(lang string, key AnnouncementData) *skeleton {
	r, err := c.t.Render(TemplateAnnouncement, lang, &key)
	if err != nil {
		return &skeleton{}
	}
	probe := key
	probe.Name, probe.UnsubscribeURL = markIf(key.Name, nameProbe), markIf(key.UnsubscribeURL, linkProbe)
	want, err := c.t.Render(TemplateAnnouncement, lang, &probe)
	if err != nil {
		return &skeleton{}
	}
	s := &skeleton{ok: true, subject: split(r.Subject), text: split(r.Text), html: split(r.HTML)}
	if s.fill(probe.Name, probe.UnsubscribeURL) != want {
		return &skeleton{}
	}
	return s
}

// fill puts name and link in place of the marks: as they are in subject and text, escaped as
// html/template escapes text in the HTML.
func (s *skeleton) fill(name, link string) Rendered {
	escaped := name
	if strings.ContainsAny(name, "<>&'\"+\x00") {
		escaped = escapeText(name)
	}
	return Rendered{Subject: join(s.subject, name, link), Text: join(s.text, name, link), HTML: join(s.html, escaped, link)}
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
// escaping changes.
func linkSafe(link string) bool {
	for _, r := range link {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-._~:/", r):
		default:
			return false
		}
	}
	return true
}
