package domain

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// StaffAgenda is the agenda builder's view of a conference: every session (or those of the
// statuses asked for) and the conflicts among the draft and published ones.
type StaffAgenda struct {
	Conference *models.Conference
	Sessions   []models.Session
	Conflicts  []models.Conflict
	Rooms      map[string]string // room ID → name
}

// AgendaConflicts lists every conflict among the conference's sessions of statuses (draft and
// published when none are given), with the room names (organisers).
func (s *Service) AgendaConflicts(ctx context.Context, a *Actor, slug string, statuses ...models.SessionStatus) (*StaffAgenda, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	if len(statuses) == 0 {
		statuses = []models.SessionStatus{models.SessionDraft, models.SessionPublished}
	}
	out := &StaffAgenda{Conference: conf}
	if out.Sessions, err = s.store.ListSessions(ctx, models.SessionFilter{ConferenceID: conf.ID, Statuses: statuses}); err != nil {
		return nil, err
	}
	if out.Conflicts, err = agendaConflictsOf(ctx, s.store, conf, out.Sessions); err != nil {
		return nil, err
	}
	if out.Rooms, err = s.RoomNames(ctx, conf.ID); err != nil {
		return nil, err
	}
	return out, nil
}

// PersonChoice is a delegate who may be named as a speaker or chair.
type PersonChoice struct {
	ID, DisplayName string
}

// StatementChoice is a statement that may be linked to the session that debates it.
type StatementChoice struct {
	ID, Title string
}

// AgendaBuilder is what the agenda builder shows staff: every session of the conference (up to
// 500, in start order), the conflicts among the draft and published ones (organisers only), the
// approved delegates who may speak or chair and the accepted statements (and those already put
// to the vote) that a session may debate.
type AgendaBuilder struct {
	StaffAgenda
	People     []PersonChoice
	Statements []StatementChoice
}

// StaffSessions reads the agenda builder of the conference with slug (staff).
func (s *Service) StaffSessions(ctx context.Context, a *Actor, slug string) (*AgendaBuilder, error) {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, StaffAll...); err != nil {
		return nil, err
	}
	out := &AgendaBuilder{}
	if a.IsStaffIn(conf.ID, Organisers...) {
		ag, err := s.AgendaConflicts(ctx, a, slug)
		if err != nil {
			return nil, err
		}
		out.StaffAgenda = *ag
	} else {
		out.Conference = conf
	}
	if out.Sessions, err = s.store.ListSessions(ctx, models.SessionFilter{ConferenceID: conf.ID, Page: models.Page{Limit: 500}}); err != nil {
		return nil, err
	}
	ds, err := s.store.ListDelegates(ctx, models.DelegateFilter{ConferenceID: conf.ID, Status: models.DelegateApproved, Page: models.Page{Limit: 500}})
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		out.People = append(out.People, PersonChoice{ID: d.ID, DisplayName: d.DisplayName})
	}
	sts, err := s.store.ListStatements(ctx, models.StatementFilter{ConferenceID: conf.ID, Page: models.Page{Limit: 500},
		Statuses: []models.StatementStatus{models.StatementAccepted, models.StatementAdopted, models.StatementNotAdopted}})
	if err != nil {
		return nil, err
	}
	for _, st := range sts {
		out.Statements = append(out.Statements, StatementChoice{ID: st.ID, Title: st.Title})
	}
	return out, nil
}

// VisibleSession returns the session with id if the actor may see it: staff any, others only a
// published one.
func (s *Service) VisibleSession(ctx context.Context, a *Actor, id string) (*models.Session, error) {
	if uuid.Validate(id) != nil {
		return nil, models.ErrNotFound
	}
	sess, err := s.store.Session(ctx, id)
	if err != nil {
		return nil, err
	}
	if sess.Status != models.SessionPublished && !a.IsStaffIn(sess.ConferenceID, StaffAll...) {
		return nil, models.ErrNotFound
	}
	return sess, nil
}

// RoomNames maps a conference's room IDs to their names.
func (s *Service) RoomNames(ctx context.Context, conferenceID string) (map[string]string, error) {
	rooms, err := s.store.ListRooms(ctx, conferenceID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rooms))
	for _, r := range rooms {
		out[r.ID] = r.Name
	}
	return out, nil
}

// sessionConflicts returns the conflicts that involve sess, looking only at the sessions that
// overlap it (no other session can conflict with it).
func sessionConflicts(ctx context.Context, tx *models.Store, conf *models.Conference, sess *models.Session) ([]models.Conflict, error) {
	if sess.Status == models.SessionCancelled {
		return []models.Conflict{}, nil
	}
	near, err := tx.ListSessions(ctx, models.SessionFilter{ConferenceID: conf.ID,
		Statuses: []models.SessionStatus{models.SessionDraft, models.SessionPublished}, From: sess.StartsAt, To: sess.EndsAt})
	if err != nil {
		return nil, err
	}
	all, err := agendaConflictsOf(ctx, tx, conf, near)
	if err != nil {
		return nil, err
	}
	out := []models.Conflict{}
	for _, cf := range all {
		if cf.Involves(sess.ID) {
			out = append(out, cf)
		}
	}
	if !slices.ContainsFunc(near, func(x models.Session) bool { return x.ID == sess.ID }) {
		// An empty interval overlaps nothing: check it alone.
		alone, err := agendaConflictsOf(ctx, tx, conf, []models.Session{*sess})
		if err != nil {
			return nil, err
		}
		out = append(out, alone...)
	}
	return out, nil
}

// agendaConflictsOf runs the conflict rules over sessions with the conference's dates, room
// capacities and the registration status of everyone named.
func agendaConflictsOf(ctx context.Context, st *models.Store, conf *models.Conference, sessions []models.Session) ([]models.Conflict, error) {
	var people []string
	for i := range sessions {
		people = append(people, sessions[i].People()...)
	}
	statuses, err := st.DelegateStatuses(ctx, conf.ID, dedupe(people))
	if err != nil {
		return nil, err
	}
	rooms, err := st.ListRooms(ctx, conf.ID)
	if err != nil {
		return nil, err
	}
	rules := models.AgendaRules{RoomCapacity: map[string]int{}, DelegateStatus: statuses}
	rules.Starts, rules.Ends = models.ConferenceWindow(conf)
	for _, r := range rooms {
		rules.RoomCapacity[r.ID] = r.Capacity
	}
	return models.FindConflicts(sessions, rules), nil
}
