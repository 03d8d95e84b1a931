package models

import (
	"slices"
	"strings"
	"time"
)

// ConflictKind says what kind of problem a Conflict is.
type ConflictKind string

// Conflict kinds.
const (
	ConflictRoom         ConflictKind = "room_double_booking"      // two sessions in one room at once
	ConflictSpeaker      ConflictKind = "speaker_overlap"          // a delegate speaks (or speaks and chairs) in two sessions at once
	ConflictChair        ConflictKind = "chair_overlap"            // a delegate chairs two sessions at once
	ConflictOutsideDates ConflictKind = "outside_conference_dates" // a session not within the conference's days
	ConflictCapacity     ConflictKind = "capacity_above_room"      // a session promises more places than its room has
	ConflictNotApproved  ConflictKind = "speaker_not_approved"     // a speaker or chair whose registration is not approved
)

// Conflict is one problem in an agenda. SessionIDs has two sessions for overlaps (the earlier
// first) and one otherwise; RoomID or DelegateID (with Role) say what the problem is about.
type Conflict struct {
	Kind       ConflictKind
	SessionIDs []string
	RoomID     string
	DelegateID string
	Role       PersonRole // for ConflictNotApproved: speaker or chair
}

// AgendaRules is what conflict detection needs to know besides the sessions.
type AgendaRules struct {
	// Starts and Ends bound the conference: midnight of its first day and midnight after its
	// last day, in the conference time zone.
	Starts, Ends time.Time
	// RoomCapacity maps room IDs to their capacity (0: unknown, never exceeded).
	RoomCapacity map[string]int
	// DelegateStatus maps delegate IDs to their registration status; a missing one is not approved.
	DelegateStatus map[string]DelegateStatus
}

// ConferenceWindow returns the instants that bound a conference's days in its time zone.
func ConferenceWindow(c *Conference) (starts, ends time.Time) {
	loc := c.Location()
	starts = time.Date(c.StartsOn.Year(), c.StartsOn.Month(), c.StartsOn.Day(), 0, 0, 0, 0, loc)
	ends = time.Date(c.EndsOn.Year(), c.EndsOn.Month(), c.EndsOn.Day()+1, 0, 0, 0, 0, loc)
	return starts, ends
}

// FindConflicts lists every conflict among the sessions that are not cancelled: room
// double-bookings, speaker and chair overlaps (sessions are half-open intervals, so one may start
// when another ends), sessions outside the conference, capacity above the room's, and speakers or
// chairs who are not approved. It is a pure function; overlaps are found with a sweep line per
// room and per person, in O(n log n + k) for n sessions and k conflicts. The result is sorted.
func FindConflicts(sessions []Session, rules AgendaRules) []Conflict {
	out := make([]Conflict, 0, len(sessions)/8)
	pairs := pairSlab{}
	rooms, people := grouping{index: map[string]int32{}}, grouping{index: map[string]int32{}}
	var roles []personRole
	for _, i := range startOrder(sessions) {
		s := &sessions[i]
		if !rules.Starts.IsZero() && (s.StartsAt.Before(rules.Starts) || s.EndsAt.After(rules.Ends)) {
			out = append(out, Conflict{Kind: ConflictOutsideDates, SessionIDs: []string{s.ID}})
		}
		if s.RoomID != nil {
			if rc := rules.RoomCapacity[*s.RoomID]; rc > 0 && s.Capacity > rc {
				out = append(out, Conflict{Kind: ConflictCapacity, SessionIDs: []string{s.ID}, RoomID: *s.RoomID})
			}
		}
		roles = personRoles(s, roles[:0])
		for _, p := range roles {
			if rules.DelegateStatus[p.id] != DelegateApproved {
				out = append(out, Conflict{Kind: ConflictNotApproved, SessionIDs: []string{s.ID}, DelegateID: p.id, Role: p.role})
			}
		}
		if !s.EndsAt.After(s.StartsAt) {
			continue // an empty interval overlaps nothing
		}
		sp := span{id: s.ID, start: s.StartsAt.UnixNano(), end: s.EndsAt.UnixNano()}
		if s.RoomID != nil {
			rooms.add(*s.RoomID, sp)
		}
		for _, p := range roles {
			sp.chair = p.role == PersonChair
			people.add(p.id, sp)
		}
	}
	rooms.sweep(func(room string, a, b span) {
		out = append(out, Conflict{Kind: ConflictRoom, SessionIDs: pairs.pair(a.id, b.id), RoomID: room})
	})
	people.sweep(func(person string, a, b span) {
		kind := ConflictSpeaker
		if a.chair && b.chair {
			kind = ConflictChair
		}
		out = append(out, Conflict{Kind: kind, SessionIDs: pairs.pair(a.id, b.id), DelegateID: person})
	})
	SortConflicts(out)
	return out
}

// startOrder returns the indexes of the sessions that are not cancelled, by start time and ID.
// Spans are then added to their groups in this order, so each group is already sorted by start.
func startOrder(sessions []Session) []int32 {
	order := make([]int32, 0, len(sessions))
	starts := make([]int64, len(sessions))
	for i := range sessions {
		if sessions[i].Status != SessionCancelled {
			order = append(order, int32(i))
			starts[i] = sessions[i].StartsAt.UnixNano()
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		if starts[a] != starts[b] {
			if starts[a] < starts[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(sessions[a].ID, sessions[b].ID)
	})
	return order
}

// personRole is a delegate's role in one session.
type personRole struct {
	id   string
	role PersonRole
}

// personRoles appends each speaker and chair of s once to buf; a delegate who both speaks and
// chairs counts as a speaker.
func personRoles(s *Session, buf []personRole) []personRole {
	for _, id := range s.SpeakerIDs {
		if !hasPerson(buf, id) {
			buf = append(buf, personRole{id, PersonSpeaker})
		}
	}
	for _, id := range s.ChairIDs {
		if !hasPerson(buf, id) {
			buf = append(buf, personRole{id, PersonChair})
		}
	}
	return buf
}

func hasPerson(l []personRole, id string) bool {
	for _, p := range l {
		if p.id == id {
			return true
		}
	}
	return false
}

// pairSlab hands out two-element ID slices from shared blocks, to spare one allocation per pair.
type pairSlab struct{ block []string }

func (p *pairSlab) pair(a, b string) []string {
	if len(p.block) < 2 {
		p.block = make([]string, 1024)
	}
	out := p.block[:2:2]
	out[0], out[1] = a, b
	p.block = p.block[2:]
	return out
}

// SortConflicts orders conflicts by kind, sessions, room and delegate, so results compare equal.
func SortConflicts(cs []Conflict) {
	slices.SortFunc(cs, func(a, b Conflict) int {
		if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
			return c
		}
		if c := slices.Compare(a.SessionIDs, b.SessionIDs); c != 0 {
			return c
		}
		if c := strings.Compare(a.RoomID, b.RoomID); c != 0 {
			return c
		}
		return strings.Compare(a.DelegateID, b.DelegateID)
	})
}

// Involves reports whether the conflict concerns the session.
func (c Conflict) Involves(sessionID string) bool { return slices.Contains(c.SessionIDs, sessionID) }

// span is a session's time as a half-open interval [start, end) in Unix nanoseconds, within a
// group (one room or one person).
type span struct {
	group      int32
	chair      bool
	start, end int64
	id         string
}

// grouping collects the spans of every room (or every person) in one flat slice, so that no slice
// per group is allocated.
type grouping struct {
	index map[string]int32
	names []string
	spans []span
}

func (g *grouping) add(key string, sp span) {
	i, ok := g.index[key]
	if !ok {
		i = int32(len(g.names))
		g.index[key] = i
		g.names = append(g.names, key)
	}
	sp.group = i
	g.spans = append(g.spans, sp)
}

// sweep calls found once for every pair of overlapping spans of the same group, the
// earlier-starting one first (ties by ID). The spans were added in start order, so a stable
// counting sort by group (O(n)) leaves each group sorted by start; then each group is walked
// keeping the spans still running in a min-heap by end, so each span is pushed and popped once:
// O(n log n) plus the pairs reported.
func (g *grouping) sweep(found func(name string, a, b span)) {
	first := make([]int, len(g.names)+1)
	for _, sp := range g.spans {
		first[sp.group+1]++
	}
	for i := 1; i < len(first); i++ {
		first[i] += first[i-1]
	}
	sorted := make([]span, len(g.spans))
	next := slices.Clone(first[:len(g.names)])
	for _, sp := range g.spans {
		sorted[next[sp.group]] = sp
		next[sp.group]++
	}
	active := endHeap{spans: sorted}
	for group := range g.names {
		active.items = active.items[:0]
		for i := first[group]; i < first[group+1]; i++ {
			s := sorted[i]
			for len(active.items) > 0 && sorted[active.items[0]].end <= s.start {
				active.pop()
			}
			for _, a := range active.items {
				found(g.names[group], sorted[a], s)
			}
			active.push(int32(i))
		}
	}
}

// endHeap is a min-heap by end time of indexes into spans (indexes, not spans, so that moving
// them costs no write barriers).
type endHeap struct {
	spans []span
	items []int32
}

func (h *endHeap) less(i, j int) bool { return h.spans[h.items[i]].end < h.spans[h.items[j]].end }

func (h *endHeap) push(x int32) {
	h.items = append(h.items, x)
	for i := len(h.items) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		h.items[i], h.items[parent] = h.items[parent], h.items[i]
		i = parent
	}
}

func (h *endHeap) pop() {
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	for i := 0; ; {
		smallest, l, r := i, 2*i+1, 2*i+2
		if l < last && h.less(l, smallest) {
			smallest = l
		}
		if r < last && h.less(r, smallest) {
			smallest = r
		}
		if smallest == i {
			return
		}
		h.items[i], h.items[smallest] = h.items[smallest], h.items[i]
		i = smallest
	}
}
