package domain

import (
	"context"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// DelegateRecord is a registration as staff or the delegate themself see it, in the shape both
// skins hand out (the API's delegate JSON and the delegate's own data file). The personal fields
// are pointers: present only on an audited staff read of one delegate and on the delegate's own
// record, absent (not empty) everywhere else.
type DelegateRecord struct {
	ID               string                `json:"id"`
	ConferenceID     string                `json:"conference_id"`
	OrganisationID   *string               `json:"organisation_id"`
	Role             models.DelegateRole   `json:"role"`
	Status           models.DelegateStatus `json:"status"`
	DisplayName      string                `json:"display_name"`
	Languages        []string              `json:"languages"`
	WaitlistPosition *int64                `json:"waitlist_position,omitempty"`
	CreatedAt        time.Time             `json:"created_at"`
	ConfirmedAt      *time.Time            `json:"confirmed_at"`
	DecidedAt        *time.Time            `json:"decided_at"`

	// What organisers see beyond review (absent for reviewers, SightReview).
	Country             *string                `json:"country,omitempty"`
	Attendance          *models.AttendanceMode `json:"attendance,omitempty"`
	Visibility          *models.Visibility     `json:"visibility,omitempty"`
	NeedsVisaLetter     *bool                  `json:"needs_visa_letter,omitempty"`
	NotifyAnnouncements *bool                  `json:"notify_announcements,omitempty"`
	NotifyAgenda        *bool                  `json:"notify_agenda,omitempty"`
	MailLanguage        *string                `json:"mail_language,omitempty"`

	Email               *string `json:"email,omitempty"`
	LegalName           *string `json:"legal_name,omitempty"`
	InterpretationNeeds *string `json:"interpretation_needs,omitempty"`
	AccessibilityNeeds  *string `json:"accessibility_needs,omitempty"`
	DecisionReason      *string `json:"decision_reason,omitempty"`
	OpenPGPKey          *string `json:"openpgp_key,omitempty"` // only in the delegate's own views
}

// RecordOf shows d as sight allows (GetDelegate and ListDelegates say what staff may see).
func RecordOf(d *models.Delegate, sight Sight) DelegateRecord {
	langs := []string(d.Languages)
	if langs == nil {
		langs = []string{}
	}
	r := DelegateRecord{ID: d.ID, ConferenceID: d.ConferenceID, OrganisationID: d.OrganisationID, Role: d.Role, Status: d.Status,
		DisplayName: d.DisplayName, Languages: langs, WaitlistPosition: d.WaitlistSeq, CreatedAt: d.CreatedAt, ConfirmedAt: d.ConfirmedAt, DecidedAt: d.DecidedAt}
	if sight.Review() {
		return r
	}
	lang := d.Lang()
	r.Country, r.Attendance, r.Visibility, r.NeedsVisaLetter = &d.Country, &d.Attendance, &d.Visibility, &d.NeedsVisaLetter
	r.NotifyAnnouncements, r.NotifyAgenda, r.MailLanguage = &d.NotifyAnnouncements, &d.NotifyAgenda, &lang
	if sight.Personal() {
		r.Email, r.LegalName, r.InterpretationNeeds = &d.Email, &d.LegalName, &d.InterpretationNeeds
		r.AccessibilityNeeds, r.DecisionReason = &d.AccessibilityNeeds, &d.DecisionReason
	}
	return r
}

// OwnRecordOf is d as the delegate themself sees it: every personal field, their OpenPGP key
// included ("" when they gave none).
func OwnRecordOf(d *models.Delegate) DelegateRecord {
	r := RecordOf(d, SightPersonal)
	r.OpenPGPKey = &d.OpenPGPKey
	return r
}

// MyData is everything stored about a delegate, the file their export downloads (GDPR art.
// 15/20) from either skin.
type MyData struct {
	ExportedAt   time.Time       `json:"exported_at"`
	Delegate     DelegateRecord  `json:"delegate"`
	Notes        string          `json:"staff_notes"`
	ConsentAt    *time.Time      `json:"consent_at"`
	Organisation *MyOrganisation `json:"organisation"`
	Tokens       []models.Record `json:"sign_in_links_and_sessions"`
	Mail         []models.Record `json:"mail"`
	Audit        []models.Record `json:"audit_events"`
	Attendance   []models.Record `json:"session_signups"`
	Speaking     []models.Record `json:"session_roles"`
	Statements   []models.Record `json:"statements"`
	Amendments   []models.Record `json:"amendments"`
	Cosignatures []models.Record `json:"cosignatures"`
}

// MyOrganisation is the delegate's organisation in their data file, as the public sees it.
type MyOrganisation struct {
	ID            string                  `json:"id"`
	Name          string                  `json:"name"`
	Country       string                  `json:"country"`
	Kind          models.OrganisationKind `json:"kind"`
	Listed        bool                    `json:"listed"`
	DelegateQuota int                     `json:"delegate_quota"`
}

// ExportMe is everything stored about the signed-in delegate, personal fields opened.
func (s *Service) ExportMe(ctx context.Context, a *Actor) (*MyData, error) {
	if err := a.RequireDelegate(); err != nil {
		return nil, err
	}
	x, err := s.store.ExportDelegate(ctx, a.Delegate.ID)
	if err != nil {
		return nil, err
	}
	out := &MyData{ExportedAt: s.Now(), Delegate: OwnRecordOf(x.Delegate), Notes: x.Delegate.Notes,
		ConsentAt: x.Delegate.ConsentAt, Tokens: x.Tokens, Mail: x.Mail, Audit: x.Audit, Attendance: x.Attendance,
		Speaking: x.Speaking, Statements: x.Statements, Amendments: x.Amendments, Cosignatures: x.Cosignatures}
	if o := x.Organisation; o != nil {
		out.Organisation = &MyOrganisation{ID: o.ID, Name: o.Name, Country: o.Country, Kind: o.Kind, Listed: o.Listed, DelegateQuota: o.DelegateQuota}
	}
	return out, nil
}
