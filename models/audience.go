package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Audience selects the delegates of a conference an announcement goes to. Each non-empty list
// narrows the audience to delegates with one of its values; an empty list does not narrow.
// Languages match any of a delegate's languages by primary subtag ("de" matches "de-CH").
type Audience struct {
	Statuses        []DelegateStatus `json:"statuses"`
	OrganisationIDs []string         `json:"organisation_ids"`
	Languages       []string         `json:"languages"`
	Roles           []DelegateRole   `json:"roles"`
	Attendance      []AttendanceMode `json:"attendance"`
}

// AnnouncementStatuses are the registration statuses that can receive announcements: the address
// is confirmed and the registration was not withdrawn.
var AnnouncementStatuses = []DelegateStatus{DelegateSubmitted, DelegateApproved, DelegateWaitlist, DelegateRejected}

// Matches reports whether the delegate receives an announcement to a: the registration is
// confirmed and not withdrawn or erased, the delegate did not opt out of announcements, and every
// non-empty filter of a has one of the delegate's values.
func (a Audience) Matches(d *Delegate) bool {
	if d.ErasedAt != nil || !d.NotifyAnnouncements || !slices.Contains(AnnouncementStatuses, d.Status) {
		return false
	}
	if len(a.Statuses) > 0 && !slices.Contains(a.Statuses, d.Status) {
		return false
	}
	if len(a.OrganisationIDs) > 0 && (d.OrganisationID == nil || !slices.Contains(a.OrganisationIDs, *d.OrganisationID)) {
		return false
	}
	if len(a.Roles) > 0 && !slices.Contains(a.Roles, d.Role) {
		return false
	}
	if len(a.Attendance) > 0 && !slices.Contains(a.Attendance, d.Attendance) {
		return false
	}
	if len(a.Languages) > 0 && !slices.ContainsFunc(d.Languages, func(l string) bool {
		return slices.ContainsFunc(a.Languages, func(want string) bool { return primaryLang(l) == primaryLang(want) })
	}) {
		return false
	}
	return true
}

// primaryLang returns the lower-cased primary subtag of a language tag.
func primaryLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// AudienceMember is one delegate an announcement reaches: what the mail needs and nothing more.
type AudienceMember struct {
	DelegateID string
	Name       string // display name (often a pseudonym)
	Lang       string // the language mail to them is written in
	Email      string // empty unless asked for
}

// audienceColumns are the delegate columns Matches and AudienceMember need.
const audienceColumns = "id, organisation_id, role, status, display_name, languages, mail_language, attendance, notify_announcements, erased_at"

// AudienceRecipients returns the delegates of a conference that a reaches, oldest registration
// first, reading through the read pool. With withEmail their addresses are opened; without, the
// sealed addresses are not even read (previews and counts).
func (s *Store) AudienceRecipients(ctx context.Context, conferenceID string, a Audience, withEmail bool) ([]AudienceMember, error) {
	cols := audienceColumns
	if withEmail {
		cols += ", email_sealed"
	}
	// The SQL narrows cheaply; Matches below is the rule and decides.
	q := s.read(ctx).Model(&Delegate{}).Select(cols).
		Where("conference_id = ? AND erased_at IS NULL AND notify_announcements = ? AND status IN ?", conferenceID, true, AnnouncementStatuses)
	if len(a.Statuses) > 0 {
		q = q.Where("status IN ?", a.Statuses)
	}
	if len(a.OrganisationIDs) > 0 {
		q = q.Where("organisation_id IN ?", a.OrganisationIDs)
	}
	if len(a.Roles) > 0 {
		q = q.Where("role IN ?", a.Roles)
	}
	if len(a.Attendance) > 0 {
		q = q.Where("attendance IN ?", a.Attendance)
	}
	var ds []Delegate
	if err := q.Order("created_at, id").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("audience: %w", err)
	}
	out := make([]AudienceMember, 0, len(ds))
	for i := range ds {
		d := &ds[i]
		if !a.Matches(d) {
			continue
		}
		r := AudienceMember{DelegateID: d.ID, Name: d.DisplayName, Lang: d.Lang()}
		if withEmail {
			email, err := s.box.Open("delegates", "email", d.ID, d.EmailSealed)
			if err != nil {
				return nil, fmt.Errorf("audience: delegate %s: %w", d.ID, err)
			}
			if email == "" {
				continue
			}
			r.Email = email
		}
		out = append(out, r)
	}
	return out, nil
}

// AudienceLeavers returns the IDs of a conference's delegates changed at or after since who are
// no longer in a (withdrawn, erased, opted out, moved). Call it inside the transaction that
// enqueues an announcement whose recipients were selected at since, to drop those rows: the
// selection ran outside the transaction so as not to hold the writer.
func (s *Store) AudienceLeavers(ctx context.Context, conferenceID string, a Audience, since time.Time) (map[string]bool, error) {
	var ds []Delegate
	if err := s.read(ctx).Model(&Delegate{}).Select(audienceColumns).
		Where("conference_id = ? AND updated_at >= ?", conferenceID, since.UTC()).Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("audience leavers: %w", err)
	}
	out := map[string]bool{}
	for i := range ds {
		if !a.Matches(&ds[i]) {
			out[ds[i].ID] = true
		}
	}
	return out, nil
}
