package domain

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// DelegateStatuses are the registration statuses a staff list may filter by.
var DelegateStatuses = []models.DelegateStatus{models.DelegatePending, models.DelegateSubmitted, models.DelegateApproved,
	models.DelegateWaitlist, models.DelegateRejected, models.DelegateCancelled}

// DelegateQuery selects registrations of a conference for review: every filter is optional,
// Query is a part of the display name.
type DelegateQuery struct {
	Conference                                      string // slug
	Status, OrganisationID, Role, Attendance, Query string
	Page                                            models.Page
}

// errNoExport refuses a personal-data export to an account without the export permission.
var errNoExport = models.Fail(models.KindForbidden, models.CodeForbidden, "exporting personal data needs the export permission")

// ListDelegates is one page of a conference's registrations for review (staff of that
// conference), oldest first, without personal fields (SightStaff), and for reviewers with only
// what review needs (SightReview). A filter with an unknown value is a malformed request naming
// it. Every read is an audit event ("delegates.list", without the filter or the data) committed before
// the page is returned.
func (s *Service) ListDelegates(ctx context.Context, a *Actor, in DelegateQuery) ([]models.Delegate, Sight, error) {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return nil, SightReview, err
	}
	conf, err := s.Conference(ctx, in.Conference)
	if err != nil {
		return nil, SightReview, err
	}
	if err := a.RequireStaffIn(conf.ID, StaffAll...); err != nil {
		return nil, SightReview, err
	}
	f := models.DelegateFilter{ConferenceID: conf.ID, Status: models.DelegateStatus(in.Status), OrganisationID: in.OrganisationID,
		Role: models.DelegateRole(in.Role), Attendance: models.AttendanceMode(in.Attendance), Query: strings.TrimSpace(in.Query), Page: in.Page}
	fe := delegateChecks{}
	if f.Status != "" {
		oneOf(fe, "status", f.Status, DelegateStatuses)
	}
	if f.OrganisationID != "" && uuid.Validate(f.OrganisationID) != nil {
		fe.Set("organisation_id", models.FieldInvalidID, "must be an ID")
	}
	if f.Role != "" {
		oneOf(fe, "role", f.Role, models.DelegateRoles)
	}
	if f.Attendance != "" {
		oneOf(fe, "attendance", f.Attendance, models.Attendances)
	}
	if len(f.Query) > 100 {
		fe.Set("q", models.FieldTooLong, "must be at most 100 characters")
	}
	if len(fe) > 0 {
		return nil, SightReview, models.Malformed("invalid filter", models.FieldErrors(fe))
	}
	if err := s.audit(ctx, s.store, a, conf.ID, "delegates.list", "conference", conf.ID); err != nil {
		return nil, SightReview, err
	}
	sight := SightReview
	if a.IsStaffIn(conf.ID, Organisers...) {
		sight = SightStaff
	}
	ds, err := s.store.ListDelegates(ctx, f)
	if err != nil {
		return nil, SightReview, err
	}
	for i := range ds {
		ds[i] = *ForSight(&ds[i], sight)
	}
	return ds, sight, nil
}

// GetDelegate is one registration as staff of its conference see it. Organisers and admins see
// it whole (SightPersonal), and the read is an audit event ("delegate.read") committed before
// the record is returned. Reviewers get only what review needs (SightReview, see ForSight),
// unaudited. Staff of another conference get not_found.
func (s *Service) GetDelegate(ctx context.Context, a *Actor, id string) (*models.Delegate, Sight, error) {
	if err := a.RequireStaff(StaffAll...); err != nil {
		return nil, SightReview, err
	}
	if uuid.Validate(id) != nil {
		return nil, SightReview, models.ErrNotFound
	}
	d, err := s.store.Delegate(ctx, id)
	if err != nil {
		return nil, SightReview, err
	}
	if err := a.RequireStaffIn(d.ConferenceID, StaffAll...); err != nil {
		return nil, SightReview, err
	}
	sight := SightReview
	if a.IsStaffIn(d.ConferenceID, Organisers...) {
		sight = SightPersonal
		if err := s.audit(ctx, s.store, a, d.ConferenceID, "delegate.read", "delegate", d.ID); err != nil {
			return nil, SightReview, err
		}
	}
	return ForSight(d, sight), sight, nil
}

// ExportDelegates hands every (not erased) registration of the conference slug, personal fields
// opened, to each with the name of its organisation, oldest first (organisers and admins of the
// conference: reviewers never see personal fields, whatever their account allows). It needs the
// export permission of the account (Account.CanExport), not just a staff role; the export is audited
// ("delegates.export") before any data leaves.
func (s *Service) ExportDelegates(ctx context.Context, a *Actor, slug string, each func(d *models.Delegate, organisation string) error) (*models.Conference, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	if !a.Account.CanExport {
		return nil, errNoExport
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	orgs, err := s.store.ListOrganisations(ctx, models.OrganisationFilter{ConferenceID: conf.ID})
	if err != nil {
		return nil, err
	}
	orgName := map[string]string{}
	for _, o := range orgs {
		orgName[o.ID] = o.Name
	}
	if err := s.audit(ctx, s.store, a, conf.ID, "delegates.export", "conference", conf.ID); err != nil {
		return nil, err
	}
	return conf, s.store.EachDelegate(ctx, conf.ID, func(d *models.Delegate) error {
		if d.ErasedAt != nil {
			return nil
		}
		org := ""
		if d.OrganisationID != nil {
			org = orgName[*d.OrganisationID]
		}
		return each(d, org)
	})
}

// ParticipantsFor is the participants list as actor a may see it: the public list, plus the
// delegates who show themselves to participants when a is an approved delegate of the
// conference (the "participants" visibility tier); the second answer says whether it is that.
func (s *Service) ParticipantsFor(ctx context.Context, a *Actor, slug string, pg models.ParticipantPage) ([]models.Participant, bool, error) {
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, false, err
	}
	pg.Participants = a != nil && a.Delegate != nil && a.Delegate.ConferenceID == conf.ID &&
		a.Delegate.Status == models.DelegateApproved && a.Delegate.ErasedAt == nil
	ps, err := s.store.ListParticipants(ctx, conf.ID, pg)
	return ps, pg.Participants, err
}
