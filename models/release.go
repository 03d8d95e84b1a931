package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// AgendaSnapshot is the frozen content of an agenda release: the published sessions as they were.
// People are kept as delegate IDs; who may be named publicly is decided when it is shown.
type AgendaSnapshot struct {
	Sessions []SnapshotSession `json:"sessions"`
}

// SnapshotSession is one published session inside a release.
type SnapshotSession struct {
	ID             string      `json:"id"`
	Title          string      `json:"title"`
	Kind           SessionKind `json:"kind"`
	Description    string      `json:"description"`
	RoomID         string      `json:"room_id,omitempty"`
	Room           string      `json:"room,omitempty"`
	RoomCapacity   int         `json:"room_capacity,omitempty"`
	StartsAt       time.Time   `json:"starts_at"`
	EndsAt         time.Time   `json:"ends_at"`
	Capacity       int         `json:"capacity"`
	Languages      []string    `json:"languages"`
	Interpretation []string    `json:"interpretation"`
	Track          string      `json:"track"`
	Speakers       []string    `json:"speakers"`
	Chairs         []string    `json:"chairs"`
	Statements     []string    `json:"statements"`
	// Translations are the title and description in other languages (absent when none).
	Translations SessionTranslations `json:"translations,omitempty"`
}

// People returns the session's speakers and chairs, each once.
func (s *SnapshotSession) People() []string {
	return (&Session{SpeakerIDs: s.Speakers, ChairIDs: s.Chairs}).People()
}

// ChangeKind is the kind of an AgendaChange.
type ChangeKind string

// AgendaChange kinds of a release changelog.
const (
	ChangeAdded           ChangeKind = "added"
	ChangeCancelled       ChangeKind = "cancelled"
	ChangeMoved           ChangeKind = "moved"
	ChangeSpeakersChanged ChangeKind = "speakers_changed"
	ChangeUpdated         ChangeKind = "updated" // renamed (and nothing else a change names)
)

// AgendaChange is one entry of a release changelog. For "cancelled" the times and room are the last
// published ones; for "moved" the Previous fields hold the old time and room.
type AgendaChange struct {
	Kind             ChangeKind `json:"kind"`
	SessionID        string     `json:"session_id"`
	Title            string     `json:"title"`
	StartsAt         time.Time  `json:"starts_at"`
	EndsAt           time.Time  `json:"ends_at"`
	Room             string     `json:"room,omitempty"`
	PreviousStartsAt *time.Time `json:"previous_starts_at,omitempty"`
	PreviousEndsAt   *time.Time `json:"previous_ends_at,omitempty"`
	PreviousRoom     string     `json:"previous_room,omitempty"`
	PreviousTitle    string     `json:"previous_title,omitempty"` // set when the session was renamed
	// Titles and PreviousTitles are the translated titles by language (absent when none), so
	// that each person is told of a change in their language.
	Titles         map[string]string `json:"titles,omitempty"`
	PreviousTitles map[string]string `json:"previous_titles,omitempty"`
}

// BuildSnapshot freezes the published sessions (with links and rooms loaded) in start order.
func BuildSnapshot(sessions []Session) AgendaSnapshot {
	snap := AgendaSnapshot{Sessions: []SnapshotSession{}}
	for i := range sessions {
		s := &sessions[i]
		if s.Status != SessionPublished {
			continue
		}
		ss := SnapshotSession{ID: s.ID, Title: s.Title, Kind: s.Kind, Description: s.Description,
			Room: s.RoomName, RoomCapacity: s.RoomCapacity, StartsAt: s.StartsAt.UTC(), EndsAt: s.EndsAt.UTC(), Capacity: s.Capacity,
			Languages: listNonNil(s.Languages), Interpretation: listNonNil(s.Interpretation), Track: s.Track,
			Speakers: sortedCopy(s.SpeakerIDs), Chairs: sortedCopy(s.ChairIDs), Statements: sortedCopy(s.StatementIDs)}
		if len(s.Translations) > 0 {
			ss.Translations = s.Translations
		}
		if s.RoomID != nil {
			ss.RoomID = *s.RoomID
		}
		snap.Sessions = append(snap.Sessions, ss)
	}
	slices.SortFunc(snap.Sessions, func(a, b SnapshotSession) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return snap
}

// DiffSnapshots returns the changelog from prev to next: sessions added, cancelled (no longer
// published), moved in time or room, and with changed speakers or chairs. A session can be both
// moved and have new speakers. Entries are in start order.
func DiffSnapshots(prev, next AgendaSnapshot) []AgendaChange {
	old := prev.byID()
	var out []AgendaChange
	seen := map[string]bool{}
	for _, n := range next.Sessions {
		seen[n.ID] = true
		o, ok := old[n.ID]
		if !ok {
			out = append(out, changeOf(ChangeAdded, n))
			continue
		}
		renamed := ""
		var renamedIn map[string]string
		if o.Title != n.Title {
			renamed, renamedIn = o.Title, o.Translations.Titles() // every change of a renamed session shows the old title
		}
		moved := !o.StartsAt.Equal(n.StartsAt) || !o.EndsAt.Equal(n.EndsAt) || o.RoomID != n.RoomID
		speakers := !slices.Equal(o.Speakers, n.Speakers) || !slices.Equal(o.Chairs, n.Chairs)
		if moved {
			c := changeOf(ChangeMoved, n)
			ps, pe := o.StartsAt, o.EndsAt
			c.PreviousStartsAt, c.PreviousEndsAt, c.PreviousRoom, c.PreviousTitle, c.PreviousTitles = &ps, &pe, o.Room, renamed, renamedIn
			out = append(out, c)
		}
		if speakers {
			c := changeOf(ChangeSpeakersChanged, n)
			c.PreviousTitle, c.PreviousTitles = renamed, renamedIn
			out = append(out, c)
		}
		if renamed != "" && !moved && !speakers {
			c := changeOf(ChangeUpdated, n)
			c.PreviousTitle, c.PreviousTitles = renamed, renamedIn
			out = append(out, c)
		}
	}
	for _, o := range prev.Sessions {
		if !seen[o.ID] {
			out = append(out, changeOf(ChangeCancelled, o))
		}
	}
	slices.SortStableFunc(out, func(a, b AgendaChange) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return strings.Compare(a.SessionID, b.SessionID)
	})
	return out
}

func changeOf(kind ChangeKind, s SnapshotSession) AgendaChange {
	return AgendaChange{Kind: kind, SessionID: s.ID, Title: s.Title, Titles: s.Translations.Titles(), StartsAt: s.StartsAt, EndsAt: s.EndsAt, Room: s.Room}
}

// ReleaseRecipient is a delegate concerned by some changes of a release. Presenter is true when they
// speak or chair one of the changed sessions (their mail is essential); otherwise they are only
// signed up.
type ReleaseRecipient struct {
	DelegateID string
	Changes    []AgendaChange
	Presenter  bool
}

// ReleaseRecipients works out who is concerned by which changes: the speakers and chairs of a changed
// session before and after the release, and the delegates signed up for it (attendees maps session
// IDs to delegate IDs). Each delegate appears once, with only their changes, in changelog order.
// Recipients are sorted by delegate ID.
func ReleaseRecipients(prev, next AgendaSnapshot, changes []AgendaChange, attendees map[string][]string) []ReleaseRecipient {
	old, cur := prev.byID(), next.byID()
	byDelegate := map[string]*ReleaseRecipient{}
	add := func(id string, c AgendaChange, presenter bool) {
		r := byDelegate[id]
		if r == nil {
			r = &ReleaseRecipient{DelegateID: id}
			byDelegate[id] = r
		}
		if n := len(r.Changes); n == 0 || r.Changes[n-1].Kind != c.Kind || r.Changes[n-1].SessionID != c.SessionID {
			r.Changes = append(r.Changes, c)
		}
		r.Presenter = r.Presenter || presenter
	}
	for _, c := range changes {
		var people []string
		if o, ok := old[c.SessionID]; ok {
			people = append(people, o.People()...)
		}
		if n, ok := cur[c.SessionID]; ok {
			people = append(people, n.People()...)
		}
		for _, id := range people {
			add(id, c, true)
		}
		for _, id := range attendees[c.SessionID] {
			add(id, c, false)
		}
	}
	out := make([]ReleaseRecipient, 0, len(byDelegate))
	for _, r := range byDelegate {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b ReleaseRecipient) int { return strings.Compare(a.DelegateID, b.DelegateID) })
	return out
}

// byID indexes the snapshot's sessions.
func (s AgendaSnapshot) byID() map[string]SnapshotSession {
	m := make(map[string]SnapshotSession, len(s.Sessions))
	for _, ss := range s.Sessions {
		m[ss.ID] = ss
	}
	return m
}

// Equal reports whether two snapshots hold the same sessions with the same content.
func (s AgendaSnapshot) Equal(o AgendaSnapshot) bool {
	a, errA := json.Marshal(s)
	b, errB := json.Marshal(o)
	return errA == nil && errB == nil && string(a) == string(b)
}

// People returns every delegate named in the snapshot, each once, sorted.
func (s AgendaSnapshot) People() []string {
	set := map[string]bool{}
	for i := range s.Sessions {
		for _, id := range s.Sessions[i].People() {
			set[id] = true
		}
	}
	out := agendaKeys(set)
	slices.Sort(out)
	return out
}

// ParseSnapshot decodes the release's snapshot.
func (r *AgendaRelease) ParseSnapshot() (AgendaSnapshot, error) {
	var s AgendaSnapshot
	if err := json.Unmarshal([]byte(r.Snapshot), &s); err != nil {
		return AgendaSnapshot{}, fmt.Errorf("release %d snapshot: %w", r.Number, err)
	}
	return s, nil
}

// ParseChangelog decodes the release's changelog.
func (r *AgendaRelease) ParseChangelog() ([]AgendaChange, error) {
	var cs []AgendaChange
	if err := json.Unmarshal([]byte(r.Changelog), &cs); err != nil {
		return nil, fmt.Errorf("release %d changelog: %w", r.Number, err)
	}
	return cs, nil
}

func listNonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func sortedCopy(l []string) []string {
	out := slices.Clone(listNonNil(l))
	slices.Sort(out)
	return out
}
