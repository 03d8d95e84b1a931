package models

import (
	"context"
	"fmt"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/seal"
)

// DelegateStatus is where a registration stands.
type DelegateStatus string

// Delegate statuses.
const (
	DelegatePending   DelegateStatus = "pending_confirmation"
	DelegateSubmitted DelegateStatus = "submitted"
	DelegateApproved  DelegateStatus = "approved"
	DelegateWaitlist  DelegateStatus = "waitlisted"
	DelegateRejected  DelegateStatus = "rejected"
	DelegateCancelled DelegateStatus = "cancelled"
)

// DelegateRole is the capacity in which a delegate attends.
type DelegateRole string

// AttendanceMode says whether a delegate attends in person or remotely.
type AttendanceMode string

// Visibility says who may see a delegate's name.
type Visibility string

// Delegate roles, attendance modes and visibilities.
const (
	RoleDelegate DelegateRole = "delegate"
	RoleObserver DelegateRole = "observer"
	RolePress    DelegateRole = "press"
	RoleGuest    DelegateRole = "guest"

	AttendInPerson AttendanceMode = "in_person"
	AttendRemote   AttendanceMode = "remote"

	VisibilityPublic       Visibility = "public"
	VisibilityParticipants Visibility = "participants"
	VisibilityOrganisers   Visibility = "organisers"
)

// DelegateRoles, Attendances and Visibilities list the valid values.
var (
	DelegateRoles = []DelegateRole{RoleDelegate, RoleObserver, RolePress, RoleGuest}
	Attendances   = []AttendanceMode{AttendInPerson, AttendRemote}
	Visibilities  = []Visibility{VisibilityPublic, VisibilityParticipants, VisibilityOrganisers}
)

// Delegate is one registration for a conference. The personal fields without a column (Email,
// LegalName, needs, notes) are sealed into the *Sealed columns by the Store and never stored in
// plain text.
type Delegate struct {
	ID                        string
	ConferenceID              string
	OrganisationID            *string
	Role                      DelegateRole
	Status                    DelegateStatus
	DisplayName               string
	EmailSealed               []byte
	EmailIndex                []byte
	Country                   string
	Languages                 StringList
	MailLanguage              string // chosen by the delegate; "" means the first of Languages
	Attendance                AttendanceMode
	Visibility                Visibility
	InterpretationNeedsSealed []byte
	AccessibilityNeedsSealed  []byte
	LegalNameSealed           []byte
	NeedsVisaLetter           bool
	NotesSealed               []byte
	DecisionReasonSealed      []byte
	NotifyAnnouncements       bool
	NotifyAgenda              bool
	FeedTokenHash             []byte
	WaitlistSeq               *int64
	ConsentAt                 *time.Time
	ConfirmedAt               *time.Time
	DecidedAt                 *time.Time
	CancelledAt               *time.Time
	ErasedAt                  *time.Time
	CreatedAt                 time.Time
	UpdatedAt                 time.Time
	OpenPGPKeySealed          []byte `gorm:"column:openpgp_key_sealed"`

	Email               string `gorm:"-"`
	LegalName           string `gorm:"-"`
	InterpretationNeeds string `gorm:"-"`
	AccessibilityNeeds  string `gorm:"-"`
	Notes               string `gorm:"-"`
	DecisionReason      string `gorm:"-"`
	OpenPGPKey          string `gorm:"-"` // ASCII-armoured public key: mail to them is encrypted
}

// Lang is the language mail to this delegate is written in: the one they chose, else the first
// of their languages.
func (d *Delegate) Lang() string {
	if d.MailLanguage != "" {
		return d.MailLanguage
	}
	if len(d.Languages) > 0 {
		return d.Languages[0]
	}
	return "en"
}

// IsPublic reports whether the delegate may be named in public lists and exports.
func (d *Delegate) IsPublic() bool {
	return d.Status == DelegateApproved && d.Visibility == VisibilityPublic && d.ErasedAt == nil
}

// Confirm marks the email address as confirmed: pending_confirmation → submitted.
func (d *Delegate) Confirm(at time.Time) error {
	if d.Status != DelegatePending {
		return &TransitionError{Entity: "delegate", From: string(d.Status), To: string(DelegateSubmitted)}
	}
	d.Status, d.ConfirmedAt = DelegateSubmitted, &at
	return nil
}

// Decide applies an organiser's decision ("approve", "waitlist" or "reject"). Unconfirmed and
// cancelled registrations cannot be decided.
func (d *Delegate) Decide(decision string, at time.Time) error {
	to, ok := map[string]DelegateStatus{"approve": DelegateApproved, "waitlist": DelegateWaitlist, "reject": DelegateRejected}[decision]
	if !ok {
		return fmt.Errorf("unknown decision %q", decision)
	}
	switch d.Status {
	case DelegateSubmitted, DelegateWaitlist, DelegateApproved, DelegateRejected:
	default:
		return &TransitionError{Entity: "delegate", From: string(d.Status), To: string(to)}
	}
	if d.Status == to {
		return &TransitionError{Entity: "delegate", From: string(d.Status), To: string(to)}
	}
	d.Status, d.DecidedAt = to, &at
	if to != DelegateWaitlist {
		d.WaitlistSeq = nil
	}
	return nil
}

// Cancel withdraws the registration at the delegate's request.
func (d *Delegate) Cancel(at time.Time) error {
	if d.Status == DelegateCancelled {
		return &TransitionError{Entity: "delegate", From: string(d.Status), To: string(DelegateCancelled)}
	}
	d.Status, d.CancelledAt, d.WaitlistSeq = DelegateCancelled, &at, nil
	return nil
}

// ErasedName replaces the display name of a delegate whose personal data was erased.
const ErasedName = "(withdrawn)"

// Erase withdraws the registration (if it is not withdrawn yet) and empties every personal field:
// email and its blind index, legal name, needs, notes, decision reason, country, languages and the
// calendar feed token. The display name is replaced by ErasedName. The Store saves the result.
func (d *Delegate) Erase(at time.Time) {
	if d.Status != DelegateCancelled {
		d.Status, d.CancelledAt = DelegateCancelled, &at
	}
	d.WaitlistSeq = nil
	d.Email, d.EmailIndex, d.LegalName, d.InterpretationNeeds, d.AccessibilityNeeds = "", nil, "", "", ""
	d.Notes, d.DecisionReason, d.Country, d.Languages, d.FeedTokenHash = "", "", "", StringList{}, nil
	d.DisplayName, d.NeedsVisaLetter, d.NotifyAnnouncements, d.NotifyAgenda = ErasedName, false, false, false
	d.OpenPGPKey = ""
	d.ErasedAt = &at
}

// EmailIndexPurpose scopes the blind index of delegate emails to one conference.
func EmailIndexPurpose(conferenceID string) string { return "delegate.email:" + conferenceID }

// sealDelegate encrypts the plaintext personal fields into their columns.
func (s *Store) sealDelegate(d *Delegate) {
	b := s.box
	d.EmailSealed = b.Seal("delegates", "email", d.ID, d.Email)
	d.LegalNameSealed = b.Seal("delegates", "legal_name", d.ID, d.LegalName)
	d.InterpretationNeedsSealed = b.Seal("delegates", "interpretation_needs", d.ID, d.InterpretationNeeds)
	d.AccessibilityNeedsSealed = b.Seal("delegates", "accessibility_needs", d.ID, d.AccessibilityNeeds)
	d.NotesSealed = b.Seal("delegates", "notes", d.ID, d.Notes)
	d.DecisionReasonSealed = b.Seal("delegates", "decision_reason", d.ID, d.DecisionReason)
	d.OpenPGPKeySealed = b.Seal("delegates", "openpgp_key", d.ID, d.OpenPGPKey)
}

// openDelegate decrypts the sealed columns into the plaintext fields.
func (s *Store) openDelegate(d *Delegate) error {
	b := s.box
	var err error
	open := func(col string, src []byte, dst *string) {
		if err == nil {
			*dst, err = b.Open("delegates", col, d.ID, src)
		}
	}
	open("email", d.EmailSealed, &d.Email)
	open("legal_name", d.LegalNameSealed, &d.LegalName)
	open("interpretation_needs", d.InterpretationNeedsSealed, &d.InterpretationNeeds)
	open("accessibility_needs", d.AccessibilityNeedsSealed, &d.AccessibilityNeeds)
	open("notes", d.NotesSealed, &d.Notes)
	open("decision_reason", d.DecisionReasonSealed, &d.DecisionReason)
	open("openpgp_key", d.OpenPGPKeySealed, &d.OpenPGPKey)
	if err != nil {
		return fmt.Errorf("delegate %s: %w", d.ID, err)
	}
	return nil
}

// CreateDelegate seals and inserts a delegate. An email already registered for the conference
// gives ErrConflict.
func (s *Store) CreateDelegate(ctx context.Context, d *Delegate) error {
	if d.ID == "" {
		d.ID = NewID()
	}
	d.EmailIndex = s.box.Index(EmailIndexPurpose(d.ConferenceID), seal.NormalizeEmail(d.Email))
	s.sealDelegate(d)
	return notFound(s.write(ctx).Create(d).Error)
}

// UpdateDelegate re-seals and saves every field of d.
func (s *Store) UpdateDelegate(ctx context.Context, d *Delegate) error {
	if d.ErasedAt == nil {
		d.EmailIndex = s.box.Index(EmailIndexPurpose(d.ConferenceID), seal.NormalizeEmail(d.Email))
	}
	s.sealDelegate(d)
	return notFound(s.write(ctx).Save(d).Error)
}

// Delegate finds a delegate by ID and opens its personal fields.
func (s *Store) Delegate(ctx context.Context, id string) (*Delegate, error) {
	var d Delegate
	if err := s.read(ctx).Where("id = ?", id).Take(&d).Error; err != nil {
		return nil, notFound(err)
	}
	return &d, s.openDelegate(&d)
}

// DelegateByEmail finds a conference's delegate by email through the blind index.
func (s *Store) DelegateByEmail(ctx context.Context, conferenceID, email string) (*Delegate, error) {
	idx := s.box.Index(EmailIndexPurpose(conferenceID), seal.NormalizeEmail(email))
	var d Delegate
	if err := s.read(ctx).Where("conference_id = ? AND email_index = ?", conferenceID, idx).Take(&d).Error; err != nil {
		return nil, notFound(err)
	}
	return &d, s.openDelegate(&d)
}
