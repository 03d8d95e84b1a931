package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// SessionKind is what sort of agenda item a session is.
type SessionKind string

// SessionStatus is whether a session is a draft, published or cancelled.
type SessionStatus string

// Session kinds and statuses.
const (
	KindPlenary    SessionKind = "plenary"
	KindCommission SessionKind = "commission"
	KindWorkshop   SessionKind = "workshop"
	KindMeeting    SessionKind = "meeting"
	KindBreak      SessionKind = "break"

	SessionDraft     SessionStatus = "draft"
	SessionPublished SessionStatus = "published"
	SessionCancelled SessionStatus = "cancelled"
)

// SessionKinds lists the valid session kinds.
var SessionKinds = []SessionKind{KindPlenary, KindCommission, KindWorkshop, KindMeeting, KindBreak}

// Room is a place (or an online room) where sessions happen.
type Room struct {
	ID           string
	ConferenceID string
	Name         string
	Capacity     int
	OnlineURL    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Session is one item of the agenda. The fields without a column (speakers, chairs, linked
// statements and the room's name) are loaded and saved by the Store with the session.
type Session struct {
	ID             string
	ConferenceID   string
	RoomID         *string
	Title          string
	Kind           SessionKind
	Description    string
	StartsAt       time.Time
	EndsAt         time.Time
	Capacity       int
	Languages      StringList
	Interpretation StringList
	Track          string
	Status         SessionStatus
	OnlineURL      string // its own online link (else the room's); never in a public output
	// Translations are the title and description in the conference's other languages.
	Translations SessionTranslations
	CreatedAt    time.Time
	UpdatedAt    time.Time

	SpeakerIDs   []string `gorm:"-"`
	ChairIDs     []string `gorm:"-"`
	StatementIDs []string `gorm:"-"`
	RoomName     string   `gorm:"-"`
	RoomCapacity int      `gorm:"-"`
}

// SetStatus moves a session between draft, published and cancelled. A cancelled session can be
// brought back only as a draft.
func (s *Session) SetStatus(to SessionStatus) error {
	ok := false
	switch s.Status {
	case SessionDraft:
		ok = to == SessionPublished || to == SessionCancelled
	case SessionPublished:
		ok = to == SessionDraft || to == SessionCancelled
	case SessionCancelled:
		ok = to == SessionDraft
	}
	if !ok {
		return &TransitionError{Entity: "session", From: string(s.Status), To: string(to)}
	}
	s.Status = to
	return nil
}

// EffectiveCapacity is the number of confirmed places: the session's own capacity, else its
// room's, else 0 for no limit.
func (s *Session) EffectiveCapacity() int {
	if s.Capacity > 0 {
		return s.Capacity
	}
	return s.RoomCapacity
}

// People returns the IDs of the session's speakers and chairs, each once.
func (s *Session) People() []string {
	seen := make(map[string]bool, len(s.SpeakerIDs)+len(s.ChairIDs))
	var out []string
	for _, list := range [][]string{s.SpeakerIDs, s.ChairIDs} {
		for _, id := range list {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// PersonRole is a delegate's part in a session: speaker or chair.
type PersonRole string

// Person roles within a session.
const (
	PersonSpeaker PersonRole = "speaker"
	PersonChair   PersonRole = "chair"
)

// SessionPerson links a delegate to a session as speaker or chair.
type SessionPerson struct {
	SessionID  string     `gorm:"primaryKey"`
	DelegateID string     `gorm:"primaryKey"`
	Role       PersonRole `gorm:"primaryKey"`
}

// TableName names the table.
func (SessionPerson) TableName() string { return "session_people" }

// SessionStatement links a position statement to the session that debates it.
type SessionStatement struct {
	SessionID   string `gorm:"primaryKey"`
	StatementID string `gorm:"primaryKey"`
}

// TableName names the table.
func (SessionStatement) TableName() string { return "session_statements" }

// AttendanceStatus is whether a session sign-up has a place or waits for one.
type AttendanceStatus string

// Attendance statuses.
const (
	AttendanceConfirmed  AttendanceStatus = "confirmed"
	AttendanceWaitlisted AttendanceStatus = "waitlisted"
)

// Attendance is a delegate's sign-up for a session; Seq orders the waitlist.
type Attendance struct {
	ID         string
	SessionID  string
	DelegateID string
	Status     AttendanceStatus
	Seq        int64
	CreatedAt  time.Time
}

// AgendaRelease is an immutable numbered snapshot of the published sessions with its changelog
// against the previous release; both are JSON documents.
type AgendaRelease struct {
	ID           string
	ConferenceID string
	Number       int
	Snapshot     string
	Changelog    string
	PublishedBy  *string
	CreatedAt    time.Time
}

// CreateSession inserts a session with its speakers, chairs and linked statements.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	if sess.ID == "" {
		sess.ID = NewID()
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.write(ctx).Create(sess).Error; err != nil {
			return notFound(err)
		}
		return tx.saveSessionLinks(ctx, sess)
	})
}

// UpdateSession saves every field of sess and replaces its speakers, chairs and statements.
func (s *Store) UpdateSession(ctx context.Context, sess *Session) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.write(ctx).Save(sess).Error; err != nil {
			return notFound(err)
		}
		if err := tx.write(ctx).Where("session_id = ?", sess.ID).Delete(&SessionPerson{}).Error; err != nil {
			return err
		}
		if err := tx.write(ctx).Where("session_id = ?", sess.ID).Delete(&SessionStatement{}).Error; err != nil {
			return err
		}
		return tx.saveSessionLinks(ctx, sess)
	})
}

func (s *Store) saveSessionLinks(ctx context.Context, sess *Session) error {
	var people []SessionPerson
	for _, id := range sess.SpeakerIDs {
		people = append(people, SessionPerson{SessionID: sess.ID, DelegateID: id, Role: PersonSpeaker})
	}
	for _, id := range sess.ChairIDs {
		people = append(people, SessionPerson{SessionID: sess.ID, DelegateID: id, Role: PersonChair})
	}
	if len(people) > 0 {
		if err := s.write(ctx).Create(&people).Error; err != nil {
			return notFound(err)
		}
	}
	var sts []SessionStatement
	for _, id := range sess.StatementIDs {
		sts = append(sts, SessionStatement{SessionID: sess.ID, StatementID: id})
	}
	if len(sts) > 0 {
		// A statement is debated in one session: linking it here unlinks it elsewhere.
		if err := s.write(ctx).Where("statement_id IN ? AND session_id <> ?", sess.StatementIDs, sess.ID).Delete(&SessionStatement{}).Error; err != nil {
			return err
		}
		if err := s.write(ctx).Create(&sts).Error; err != nil {
			return notFound(err)
		}
	}
	return s.syncStatementSessions(ctx, sess)
}

// syncStatementSessions keeps Statement.SessionID equal to the session_statements links of sess,
// so that the statement's view and the session's view of the debate never disagree.
func (s *Store) syncStatementSessions(ctx context.Context, sess *Session) error {
	unlink := s.write(ctx).Model(&Statement{}).Where("session_id = ?", sess.ID)
	if len(sess.StatementIDs) > 0 {
		unlink = unlink.Where("id NOT IN ?", sess.StatementIDs)
	}
	if err := unlink.Update("session_id", nil).Error; err != nil {
		return err
	}
	if len(sess.StatementIDs) == 0 {
		return nil
	}
	return s.write(ctx).Model(&Statement{}).Where("id IN ? AND conference_id = ?", sess.StatementIDs, sess.ConferenceID).
		Update("session_id", sess.ID).Error
}

// DeleteSession removes a session; its links and sign-ups go with it.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	res := s.write(ctx).Where("id = ?", id).Delete(&Session{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// Session finds a session by ID with its links and room.
func (s *Store) Session(ctx context.Context, id string) (*Session, error) {
	var sess Session
	if err := s.read(ctx).Where("id = ?", id).Take(&sess).Error; err != nil {
		return nil, notFound(err)
	}
	if err := s.loadSessionLinks(ctx, []*Session{&sess}); err != nil {
		return nil, err
	}
	return &sess, nil
}

// LockSession reads a session inside a transaction and keeps other writers of it waiting until
// the transaction ends: FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already
// serialises every writer.
func (s *Store) LockSession(ctx context.Context, id string) (*Session, error) {
	if !s.inTx() {
		return nil, fmt.Errorf("lock session: not in a transaction")
	}
	q := s.write(ctx).Where("id = ?", id)
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var sess Session
	if err := q.Take(&sess).Error; err != nil {
		return nil, notFound(err)
	}
	if err := s.loadSessionLinks(ctx, []*Session{&sess}); err != nil {
		return nil, err
	}
	return &sess, nil
}

// SessionFilter selects sessions of a conference.
type SessionFilter struct {
	ConferenceID string
	Statuses     []SessionStatus // empty: every status
	IDs          []string        // empty: every session
	// From and To, when both set, keep only sessions that overlap [From, To).
	From, To time.Time
	Page     Page // keyset on (starts_at, id); Limit 0 means no limit
	// Involving, when set, keeps only the sessions this delegate speaks in or chairs, those in
	// AlsoIDs (their sign-ups) and, with AndPlenaries, every plenary: what a delegate's own
	// pages need, without reading the whole programme.
	Involving    string
	AlsoIDs      []string
	AndPlenaries bool
}

// ListSessions returns sessions ordered by start time, with their links and rooms.
func (s *Store) ListSessions(ctx context.Context, f SessionFilter) ([]Session, error) {
	q := s.read(ctx).Where("conference_id = ?", f.ConferenceID)
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if len(f.IDs) > 0 {
		q = q.Where("id IN ?", f.IDs)
	}
	if !f.From.IsZero() && !f.To.IsZero() {
		q = q.Where("starts_at < ? AND ends_at > ?", f.To, f.From)
	}
	if f.Involving != "" {
		cond, args := "id IN (SELECT session_id FROM session_people WHERE delegate_id = ?)", []any{f.Involving}
		if len(f.AlsoIDs) > 0 {
			cond, args = cond+" OR id IN ?", append(args, f.AlsoIDs)
		}
		if f.AndPlenaries {
			cond, args = cond+" OR kind = ?", append(args, KindPlenary)
		}
		q = q.Where("("+cond+")", args...)
	}
	if f.Page.AfterID != "" {
		q = q.Where("(starts_at > ?) OR (starts_at = ? AND id > ?)", f.Page.AfterTime, f.Page.AfterTime, f.Page.AfterID)
	}
	if f.Page.Limit > 0 {
		q = q.Limit(f.Page.Limit)
	}
	var out []Session
	if err := q.Order("starts_at, id").Find(&out).Error; err != nil {
		return nil, err
	}
	ptrs := make([]*Session, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, s.loadSessionLinks(ctx, ptrs)
}

// loadSessionLinks fills speakers, chairs, statements and room of each session, in a few queries.
func (s *Store) loadSessionLinks(ctx context.Context, sessions []*Session) error {
	if len(sessions) == 0 {
		return nil
	}
	byID := make(map[string]*Session, len(sessions))
	roomIDs := map[string]bool{}
	for _, sess := range sessions {
		sess.SpeakerIDs, sess.ChairIDs, sess.StatementIDs = []string{}, []string{}, []string{}
		sess.RoomName, sess.RoomCapacity = "", 0
		byID[sess.ID] = sess
		if sess.RoomID != nil {
			roomIDs[*sess.RoomID] = true
		}
	}
	ids := agendaKeys(byID)
	for _, chunk := range agendaChunks(ids, 500) {
		var people []SessionPerson
		if err := s.read(ctx).Where("session_id IN ?", chunk).Order("session_id, role, delegate_id").Find(&people).Error; err != nil {
			return err
		}
		for _, p := range people {
			sess := byID[p.SessionID]
			if p.Role == PersonChair {
				sess.ChairIDs = append(sess.ChairIDs, p.DelegateID)
			} else {
				sess.SpeakerIDs = append(sess.SpeakerIDs, p.DelegateID)
			}
		}
		var sts []SessionStatement
		if err := s.read(ctx).Where("session_id IN ?", chunk).Order("session_id, statement_id").Find(&sts).Error; err != nil {
			return err
		}
		for _, st := range sts {
			byID[st.SessionID].StatementIDs = append(byID[st.SessionID].StatementIDs, st.StatementID)
		}
	}
	if len(roomIDs) == 0 {
		return nil
	}
	var rooms []Room
	if err := s.read(ctx).Where("id IN ?", agendaKeys(roomIDs)).Find(&rooms).Error; err != nil {
		return err
	}
	byRoom := make(map[string]*Room, len(rooms))
	for i := range rooms {
		byRoom[rooms[i].ID] = &rooms[i]
	}
	for _, sess := range sessions {
		if sess.RoomID == nil {
			continue
		}
		if r := byRoom[*sess.RoomID]; r != nil {
			sess.RoomName, sess.RoomCapacity = r.Name, r.Capacity
		}
	}
	return nil
}

// SessionAlreadyReleased reports whether a session is part of the conference's latest release,
// so that deleting it would leave the people concerned uninformed.
func (s *Store) SessionAlreadyReleased(ctx context.Context, conferenceID, sessionID string) (bool, error) {
	rel, err := s.LatestRelease(ctx, conferenceID)
	if err == ErrNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	snap, err := rel.ParseSnapshot()
	if err != nil {
		return false, err
	}
	for _, ss := range snap.Sessions {
		if ss.ID == sessionID {
			return true, nil
		}
	}
	return false, nil
}

// agendaKeys returns the keys of a set-like map in no particular order.
func agendaKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// agendaChunks splits ids into slices of at most n, to keep IN lists within driver limits.
func agendaChunks(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}
