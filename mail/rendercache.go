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

// skeleton is an announcement rendered with marks, or nil parts when it failed its check.
type skeleton struct {
	ok bool
	r  Rendered
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
	return fill(s.r, d.Name, d.UnsubscribeURL), true
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
	if err != nil || fill(r, probe.Name, probe.UnsubscribeURL) != want {
		return &skeleton{}
	}
	return &skeleton{ok: true, r: r}
}

// fill puts name and link in place of the marks: as they are in subject and text, escaped as
// html/template escapes text in the HTML.
func fill(r Rendered, name, link string) Rendered {
	plain := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, nameMark, name), linkMark, link)
	}
	escaped := name
	if strings.ContainsAny(name, "<>&'\"+\x00") {
		escaped = escapeText(name)
	}
	html := strings.ReplaceAll(strings.ReplaceAll(r.HTML, nameMark, escaped), linkMark, link)
	return Rendered{Subject: plain(r.Subject), Text: plain(r.Text), HTML: html}
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
