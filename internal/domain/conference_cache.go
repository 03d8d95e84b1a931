package domain

import (
	"sync"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// conferenceCache keeps conferences by slug for a short time, so that the hot public routes
// (registration, agenda) do not read the same row on every request.
type conferenceCache struct {
	mu    sync.Mutex
	fresh time.Duration
	m     map[string]cachedConference
}

type cachedConference struct {
	at   time.Time
	conf models.Conference
}

func newConferenceCache(fresh time.Duration) *conferenceCache {
	return &conferenceCache{fresh: fresh, m: map[string]cachedConference{}}
}

// get returns a copy of the conference read less than fresh ago, if any.
func (cc *conferenceCache) get(slug string) (*models.Conference, bool) {
	if cc.fresh <= 0 {
		return nil, false
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	e, ok := cc.m[slug]
	if !ok || time.Since(e.at) >= cc.fresh {
		return nil, false
	}
	conf := e.conf
	return &conf, true
}

// put remembers a copy of conf as just read.
func (cc *conferenceCache) put(conf *models.Conference) {
	if cc.fresh <= 0 {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if len(cc.m) > 10000 {
		clear(cc.m)
	}
	cc.m[conf.Slug] = cachedConference{at: time.Now(), conf: *conf}
}

// forget drops everything, after a change made through this process.
func (cc *conferenceCache) forget() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	clear(cc.m)
}
