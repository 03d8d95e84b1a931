package models

import "time"

// Session kinds and statuses.
const (
	KindPlenary    = "plenary"
	KindCommission = "commission"
	KindWorkshop   = "workshop"
	KindMeeting    = "meeting"
	KindBreak      = "break"

	SessionDraft     = "draft"
	SessionPublished = "published"
	SessionCancelled = "cancelled"
)

// SessionKinds lists the valid session kinds.
var SessionKinds = []string{KindPlenary, KindCommission, KindWorkshop, KindMeeting, KindBreak}

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

// Session is one item of the agenda.
type Session struct {
	ID             string
	ConferenceID   string
	RoomID         *string
	Title          string
	Kind           string
	Description    string
	StartsAt       time.Time
	EndsAt         time.Time
	Capacity       int
	Languages      StringList
	Interpretation StringList
	Track          string
	Status         string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SetStatus moves a session between draft, published and cancelled. A cancelled session can be
// brought back only as a draft.
func (s *Session) SetStatus(to string) error {
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
		return &TransitionError{Entity: "session", From: s.Status, To: to}
	}
	s.Status = to
	return nil
}

// Person roles within a session.
const (
	PersonSpeaker = "speaker"
	PersonChair   = "chair"
)

// SessionPerson links a delegate to a session as speaker or chair.
type SessionPerson struct {
	SessionID  string `gorm:"primaryKey"`
	DelegateID string `gorm:"primaryKey"`
	Role       string `gorm:"primaryKey"`
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

// Attendance statuses.
const (
	AttendanceConfirmed  = "confirmed"
	AttendanceWaitlisted = "waitlisted"
)

// Attendance is a delegate's sign-up for a session; Seq orders the waitlist.
type Attendance struct {
	ID         string
	SessionID  string
	DelegateID string
	Status     string
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
