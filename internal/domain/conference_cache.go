package domain

import (
	"sync"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// freshCache keeps copies of rows by key for a short time, so that the hot public routes
// (registration, agenda) do not read the same row on every request.
type freshCache[V any] struct {
	mu    sync.Mutex
	fresh time.Duration
	m     map[string]cached[V]
}

type cached[V any] struct {
	at time.Time
	v  V
}

// conferenceCache keeps conferences by slug.
type conferenceCache = freshCache[models.Conference]

// organisationCache keeps organisations by conference and ID.
type organisationCache = freshCache[models.Organisation]

func newConferenceCache(fresh time.Duration) *conferenceCache {
	return newFreshCache[models.Conference](fresh)
}

func newFreshCache[V any](fresh time.Duration) *freshCache[V] {
	return &freshCache[V]{fresh: fresh, m: map[string]cached[V]{}}
}

// get returns a copy of the value stored less than fresh ago under key, if any.
func (cc *freshCache[V]) get(key string) (*V, bool) {
	if cc.fresh <= 0 {
		return nil, false
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	e, ok := cc.m[key]
	if !ok || time.Since(e.at) >= cc.fresh {
		return nil, false
	}
	v := e.v
	return &v, true
}

// put remembers a copy of v as just read.
func (cc *freshCache[V]) put(key string, v *V) {
	if cc.fresh <= 0 {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if len(cc.m) > 10000 {
		clear(cc.m)
	}
	cc.m[key] = cached[V]{at: time.Now(), v: *v}
}

// forget drops everything, after a change made through this process.
func (cc *freshCache[V]) forget() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	clear(cc.m)
}
