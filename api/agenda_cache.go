package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// releaseCache keeps the renderings of each conference's latest agenda release, each format
// rendered once per state of the agenda (domain.Agenda.Key: the release and how its people may be
// named). Which release is the latest is the domain's answer (Service.PublishedAgenda).
type releaseCache struct {
	mu      sync.Mutex
	entries map[string]*cachedRelease // by conference ID: the latest agenda only
	flight  singleflight.Group
}

// cachedRelease is one state of one conference's agenda with its renderings.
type cachedRelease struct {
	key     string // domain.Agenda.Key
	doc     *releaseDoc
	people  map[string]models.AgendaPerson // the views the renderings use
	formats map[string]*rendered
}

// rendered is one format's bytes and strong ETag.
type rendered struct {
	body []byte
	etag string
}

// releaseDoc is a release ready to render: the conference, the release and its sessions.
type releaseDoc struct {
	conf    models.Conference
	number  int
	created models.AgendaRelease // without its snapshot text
	snap    models.AgendaSnapshot
}

func newReleaseCache() *releaseCache {
	return &releaseCache{entries: map[string]*cachedRelease{}}
}

// docOf is the agenda as the renderers take it.
func docOf(ag *domain.Agenda) *releaseDoc {
	return &releaseDoc{conf: ag.Conference, number: ag.Release.Number, created: ag.Release, snap: ag.Snapshot}
}

// entry returns the cached renderings of ag, starting afresh when the agenda changed.
func (rc *releaseCache) entry(ag *domain.Agenda) *cachedRelease {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e := rc.entries[ag.Conference.ID]
	if e != nil && e.key == ag.Key {
		return e
	}
	e = &cachedRelease{key: ag.Key, doc: docOf(ag), people: ag.People, formats: map[string]*rendered{}}
	if cur := rc.entries[ag.Conference.ID]; cur == nil || cur.doc.number <= ag.Release.Number {
		rc.entries[ag.Conference.ID] = e
	}
	return e
}

// render returns a format of the release, rendering it once for the current people.
func (rc *releaseCache) render(e *cachedRelease, format string, fn func(doc *releaseDoc, people map[string]models.AgendaPerson) ([]byte, error)) (*rendered, error) {
	rc.mu.Lock()
	r, people := e.formats[format], e.people
	rc.mu.Unlock()
	if r != nil {
		return r, nil
	}
	v, err, _ := rc.flight.Do(e.key+"|"+format, func() (any, error) {
		body, err := fn(e.doc, people)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		return &rendered{body: body, etag: fmt.Sprintf(`"r%d-%s"`, e.doc.number, hex.EncodeToString(sum[:12]))}, nil
	})
	if err != nil {
		return nil, err
	}
	r = v.(*rendered)
	rc.mu.Lock()
	e.formats[format] = r
	rc.mu.Unlock()
	return r, nil
}

// serveRelease answers a public rendering of the latest release with a strong ETag, 304 for a
// matching If-None-Match, and Cache-Control: public, max-age=60.
func (s *Server) serveRelease(c *gin.Context, format, contentType string, fn func(doc *releaseDoc, people map[string]models.AgendaPerson) ([]byte, error)) error {
	ag, err := s.dom.PublishedAgenda(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	r, err := s.releases.render(s.releases.entry(ag), format, fn)
	if err != nil {
		return err
	}
	h := c.Writer.Header()
	h.Set("ETag", r.etag)
	h.Set("Cache-Control", "public, max-age=60")
	if etagMatches(c.GetHeader("If-None-Match"), r.etag) {
		c.Status(http.StatusNotModified)
		return nil
	}
	c.Data(http.StatusOK, contentType, r.body)
	return nil
}

// etagMatches applies If-None-Match's weak comparison: "*" or any listed tag equal to etag once
// W/ prefixes are dropped.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// sessionsOf returns the snapshot sessions that pass keep, in start order.
func (d *releaseDoc) sessionsOf(keep func(*models.SnapshotSession) bool) []*models.SnapshotSession {
	out := make([]*models.SnapshotSession, 0, len(d.snap.Sessions))
	for i := range d.snap.Sessions {
		if keep == nil || keep(&d.snap.Sessions[i]) {
			out = append(out, &d.snap.Sessions[i])
		}
	}
	return slices.Clip(out)
}
