package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"

	"github.com/zimmerwald/zimmerwald/models"
)

// releaseCache keeps each conference's latest agenda release in memory, parsed once and rendered
// once per format. Every request still asks the database which release is the latest (one
// indexed query), so a release published through another process is served at once; and how the
// release's speakers may be named is checked on every request too, so a delegate who stops being
// public disappears from the next answer, not the next release.
type releaseCache struct {
	mu      sync.Mutex
	entries map[string]*cachedRelease // by conference ID: the latest release only
	flight  singleflight.Group
	// fresh is how long an answer counts as checked: within it, requests for the same conference
	// are served without asking the database again (zero: ask on every request).
	fresh   time.Duration
	checked map[string]checkedRelease // by slug
}

// checkedRelease is the entry a slug resolved to, and when that was checked against the database.
type checkedRelease struct {
	at time.Time
	e  *cachedRelease
}

// cachedRelease is one release of one conference with its renderings for one state of its people.
type cachedRelease struct {
	key       string // conference ID, conference version, release number
	doc       *releaseDoc
	peopleKey string                         // fingerprint of how the people are shown
	people    map[string]models.AgendaPerson // the views the renderings used
	formats   map[string]*rendered
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
	people  []string // everyone named in the snapshot, sorted
}

func newReleaseCache(fresh time.Duration) *releaseCache {
	return &releaseCache{entries: map[string]*cachedRelease{}, fresh: fresh, checked: map[string]checkedRelease{}}
}

// errNoRelease answers exports before the first release.
var errNoRelease = problem(http.StatusNotFound, "no agenda has been released for this conference yet")

// latest returns the conference's latest release, loading it when the database has a newer one
// (or the conference changed), with its people's current views.
func (rc *releaseCache) latest(ctx context.Context, st *models.Store, slug string) (*cachedRelease, error) {
	if rc.fresh > 0 {
		rc.mu.Lock()
		c, ok := rc.checked[slug]
		rc.mu.Unlock()
		if ok && time.Since(c.at) < rc.fresh {
			return c.e, nil
		}
	}
	checkedAt := time.Now()
	head, err := st.LatestReleaseHead(ctx, slug)
	if err != nil {
		return nil, err
	}
	if head.Number == 0 {
		return nil, errNoRelease
	}
	key := fmt.Sprintf("%s|%d|%d", head.ConferenceID, head.ConferenceUpdatedAt.UnixNano(), head.Number)
	rc.mu.Lock()
	e := rc.entries[head.ConferenceID]
	rc.mu.Unlock()
	if e == nil || e.key != key {
		v, err, _ := rc.flight.Do("load|"+key, func() (any, error) {
			return loadReleaseDoc(context.WithoutCancel(ctx), st, head)
		})
		if err != nil {
			return nil, err
		}
		fresh := &cachedRelease{key: key, doc: v.(*releaseDoc), formats: map[string]*rendered{}}
		rc.mu.Lock()
		if cur := rc.entries[head.ConferenceID]; cur != nil && cur.key == key {
			fresh = cur
		} else if cur == nil || cur.doc.number <= head.Number {
			rc.entries[head.ConferenceID] = fresh
		}
		rc.mu.Unlock()
		e = fresh
	}
	views, err := st.PeopleViews(ctx, e.doc.people)
	if err != nil {
		return nil, err
	}
	fp := peopleFingerprint(e.doc.people, views)
	rc.mu.Lock()
	if e.peopleKey != fp {
		e.peopleKey, e.people, e.formats = fp, views, map[string]*rendered{}
	}
	if rc.fresh > 0 {
		if len(rc.checked) > 10000 {
			clear(rc.checked)
		}
		rc.checked[slug] = checkedRelease{at: checkedAt, e: e}
	}
	rc.mu.Unlock()
	return e, nil
}

// render returns a format of the release, rendering it once for the current people.
func (rc *releaseCache) render(e *cachedRelease, format string, fn func(doc *releaseDoc, people map[string]models.AgendaPerson) ([]byte, error)) (*rendered, error) {
	rc.mu.Lock()
	r, fp, people := e.formats[format], e.peopleKey, e.people
	rc.mu.Unlock()
	if r != nil {
		return r, nil
	}
	v, err, _ := rc.flight.Do(e.key+"|"+fp+"|"+format, func() (any, error) {
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
	if e.peopleKey == fp {
		e.formats[format] = r
	}
	rc.mu.Unlock()
	return r, nil
}

// loadReleaseDoc reads a conference and its latest release.
func loadReleaseDoc(ctx context.Context, st *models.Store, head models.ReleaseHead) (*releaseDoc, error) {
	conf, err := st.ConferenceByID(ctx, head.ConferenceID)
	if err != nil {
		return nil, err
	}
	rel, err := st.ReleaseByNumber(ctx, head.ConferenceID, head.Number)
	if err != nil {
		return nil, err
	}
	snap, err := rel.ParseSnapshot()
	if err != nil {
		return nil, err
	}
	rel.Snapshot = ""
	return &releaseDoc{conf: *conf, number: rel.Number, created: *rel, snap: snap, people: snap.People()}, nil
}

// peopleFingerprint summarises how each person would be shown (name or organisation or not at
// all), so that a change of visibility, status, name or organisation listing re-renders.
func peopleFingerprint(ids []string, views map[string]models.AgendaPerson) string {
	h := sha256.New()
	for _, id := range ids {
		v, ok := views[id]
		name := ""
		if ok && v.IsPublic() {
			name = v.DisplayName
		}
		org := ""
		if ok {
			org = v.PublicOrganisation()
		}
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", id, name, org)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// serveRelease answers a public rendering of the latest release with a strong ETag, 304 for a
// matching If-None-Match, and Cache-Control: public, max-age=60.
func (s *Server) serveRelease(c *gin.Context, format, contentType string, fn func(doc *releaseDoc, people map[string]models.AgendaPerson) ([]byte, error)) error {
	e, err := s.releases.latest(c.Request.Context(), s.store, c.Param("slug"))
	if err != nil {
		return err
	}
	r, err := s.releases.render(e, format, fn)
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
