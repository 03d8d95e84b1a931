package domain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/zimmerwald/zimmerwald/models"
)

// ErrNoRelease is the answer for the published agenda of a conference before its first release.
var ErrNoRelease = models.Fail(models.KindNotFound, models.CodeNotFound, "no agenda has been released for this conference yet")

// Agenda is the published agenda of a conference: its latest release with the current public
// views of everyone it names. It is shared between readers and must not be changed.
type Agenda struct {
	Conference models.Conference
	Release    models.AgendaRelease // without its snapshot text
	Snapshot   models.AgendaSnapshot
	People     map[string]models.AgendaPerson
	// Key changes whenever what the agenda shows changes: the conference, the release or how its
	// people may be named. Renderings of the agenda may be cached by it.
	Key string

	base   string   // the key without the people's fingerprint
	people []string // everyone the snapshot names, sorted
}

// PublishedAgenda returns the latest agenda release of the conference with slug (public; before
// the first release ErrNoRelease). The release is read once and kept; every call still asks the
// database which release is the latest and how its people may be named (one indexed query each),
// so a new release or a delegate who stops being public is seen at once, unless the Service was
// built with a ReadFreshness window, within which the answer checked last is served again.
func (s *Service) PublishedAgenda(ctx context.Context, slug string) (*Agenda, error) {
	return s.agendas.latest(ctx, s.store, slug)
}

// agendaCache keeps each conference's latest release in memory, parsed once.
type agendaCache struct {
	mu      sync.Mutex
	entries map[string]*Agenda // by conference ID: the latest release only
	flight  singleflight.Group
	fresh   time.Duration
	checked map[string]checkedAgenda // by slug
}

type checkedAgenda struct {
	at time.Time
	a  *Agenda
}

func newAgendaCache(fresh time.Duration) *agendaCache {
	return &agendaCache{entries: map[string]*Agenda{}, fresh: fresh, checked: map[string]checkedAgenda{}}
}

func (c *agendaCache) latest(ctx context.Context, st *models.Store, slug string) (*Agenda, error) {
	if c.fresh > 0 {
		c.mu.Lock()
		ch, ok := c.checked[slug]
		c.mu.Unlock()
		if ok && time.Since(ch.at) < c.fresh {
			return ch.a, nil
		}
	}
	checkedAt := time.Now()
	head, err := st.LatestReleaseHead(ctx, slug)
	if err != nil {
		return nil, err
	}
	if head.Number == 0 {
		return nil, ErrNoRelease
	}
	key := fmt.Sprintf("%s|%d|%d", head.ConferenceID, head.ConferenceUpdatedAt.UnixNano(), head.Number)
	c.mu.Lock()
	e := c.entries[head.ConferenceID]
	c.mu.Unlock()
	if e == nil || e.base != key {
		v, err, _ := c.flight.Do("load|"+key, func() (any, error) {
			return loadAgenda(context.WithoutCancel(ctx), st, head, key)
		})
		if err != nil {
			return nil, err
		}
		e = v.(*Agenda)
	}
	views, err := st.PeopleViews(ctx, e.people)
	if err != nil {
		return nil, err
	}
	if full := key + "|" + peopleFingerprint(e.people, views); full != e.Key {
		next := *e
		next.People, next.Key = views, full
		e = &next
	}
	c.mu.Lock()
	if cur := c.entries[head.ConferenceID]; cur == nil || cur.Release.Number <= head.Number {
		c.entries[head.ConferenceID] = e
	}
	if c.fresh > 0 {
		if len(c.checked) > 10000 {
			clear(c.checked)
		}
		c.checked[slug] = checkedAgenda{at: checkedAt, a: e}
	}
	c.mu.Unlock()
	return e, nil
}

// loadAgenda reads a conference and its latest release (people not yet resolved).
func loadAgenda(ctx context.Context, st *models.Store, head models.ReleaseHead, key string) (*Agenda, error) {
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
	return &Agenda{Conference: *conf, Release: *rel, Snapshot: snap, base: key, people: snap.People()}, nil
}

// peopleFingerprint summarises how each person would be shown (name or organisation or not at
// all), so that a change of visibility, status, name or organisation listing changes the key.
func peopleFingerprint(ids []string, views map[string]models.AgendaPerson) string {
	h := sha256.New()
	for _, id := range ids {
		v, ok := views[id]
		name, org := "", ""
		if ok && v.IsPublic() {
			name = v.DisplayName
		}
		if ok {
			org = v.PublicOrganisation()
		}
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", id, name, org)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// PublicPerson is a speaker or chair as the public may see them: Name is empty for a delegate
// who is not public, who is shown by their listed organisation only.
type PublicPerson struct {
	Name, Organisation string
}

// String is "Name (Organisation)", "Name" or "Organisation".
func (p PublicPerson) String() string {
	switch {
	case p.Name != "" && p.Organisation != "":
		return p.Name + " (" + p.Organisation + ")"
	case p.Name != "":
		return p.Name
	}
	return p.Organisation
}

// PublicPeople names people by the public rules: public delegates by name (with their listed
// organisation), others by their listed organisation only, each organisation once, or not at all.
func PublicPeople(ids []string, views map[string]models.AgendaPerson) []PublicPerson {
	out := []PublicPerson{}
	orgs := map[string]bool{}
	for _, id := range ids {
		v, ok := views[id]
		switch {
		case !ok:
		case v.IsPublic():
			out = append(out, PublicPerson{Name: v.DisplayName, Organisation: v.PublicOrganisation()})
		case v.PublicOrganisation() != "" && !orgs[v.PublicOrganisation()]:
			orgs[v.PublicOrganisation()] = true
			out = append(out, PublicPerson{Organisation: v.PublicOrganisation()})
		}
	}
	return out
}
