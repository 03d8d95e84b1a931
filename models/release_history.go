package models

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// SessionHistory is what the releases up to one say about one session, as calendars want it:
// how often it changed since it was first released, when it last changed, its last released
// form, and whether the latest release dropped it (cancelled).
type SessionHistory struct {
	Sequence  int       // 0 when first released, +1 at each release that changed or dropped it
	Modified  time.Time // when the release that last changed it was made
	Last      SnapshotSession
	Cancelled bool
}

// ReleasesUpTo returns a conference's releases numbered 1..number, oldest first, with their
// snapshots.
func (s *Store) ReleasesUpTo(ctx context.Context, conferenceID string, number int) ([]AgendaRelease, error) {
	var rs []AgendaRelease
	err := s.read(ctx).Where("conference_id = ? AND number <= ?", conferenceID, number).Order("number").Find(&rs).Error
	return rs, err
}

// ReleaseHistory follows every session through releases (oldest first): a session keeps its
// sequence while a release leaves it as it was, and is counted as changed when any of its
// released content changes or when it is dropped or comes back.
func ReleaseHistory(releases []AgendaRelease) (map[string]SessionHistory, error) {
	out := map[string]SessionHistory{}
	for _, r := range releases {
		var snap AgendaSnapshot
		if err := json.Unmarshal([]byte(r.Snapshot), &snap); err != nil {
			return nil, fmt.Errorf("release %d: %w", r.Number, err)
		}
		seen := make(map[string]bool, len(snap.Sessions))
		for _, ss := range snap.Sessions {
			seen[ss.ID] = true
			h, ok := out[ss.ID]
			switch {
			case !ok:
				h = SessionHistory{Modified: r.CreatedAt}
			case h.Cancelled || !reflect.DeepEqual(h.Last, ss):
				h.Sequence++
				h.Modified = r.CreatedAt
			}
			h.Last, h.Cancelled = ss, false
			out[ss.ID] = h
		}
		for id, h := range out {
			if !seen[id] && !h.Cancelled {
				h.Sequence++
				h.Modified, h.Cancelled = r.CreatedAt, true
				out[id] = h
			}
		}
	}
	return out, nil
}
