package domain

import "github.com/zimmerwald/zimmerwald/models"

// reader is an actor as statements see them: the public reads accepted and adopted statements;
// an active delegate also reads and edits their own organisation's; staff read everything;
// reviewers of a blind-review conference see neither author nor owning organisation.
type reader struct {
	staff    bool             // any staff account
	editor   bool             // organiser or admin: may enter and edit statements for any organisation
	blind    bool             // a reviewer on a blind-review conference
	delegate *models.Delegate // an active delegate of the statement's conference, or nil
}

// readerOf describes the actor for statements of conf.
func readerOf(a *Actor, conf *models.Conference) reader {
	var r reader
	switch {
	case a == nil:
	case a.Account != nil && a.RoleIn(conf.ID) != "": // staff of another conference read as the public
		r.staff = true
		r.editor = a.IsStaffIn(conf.ID, models.StaffAdmin, models.StaffOrganiser)
		r.blind = conf.BlindReview && a.RoleIn(conf.ID) == models.StaffReviewer
	case a.Delegate != nil && a.Delegate.ConferenceID == conf.ID && activeDelegate(a.Delegate):
		r.delegate = a.Delegate
	}
	return r
}

// activeDelegate reports whether d may act on statements: an approved delegate (not an observer,
// guest or press) who has not been erased.
func activeDelegate(d *models.Delegate) bool {
	return d.Status == models.DelegateApproved && d.Role == models.RoleDelegate && d.ErasedAt == nil
}

// orgID is the reader's organisation, or "".
func (r reader) orgID() string {
	if r.delegate == nil || r.delegate.OrganisationID == nil {
		return ""
	}
	return *r.delegate.OrganisationID
}

// member reports whether the reader is an active delegate of the statement's organisation.
func (r reader) member(st *models.Statement) bool {
	return r.orgID() != "" && r.orgID() == st.OrganisationID
}

// canRead reports whether the reader may see the statement at all. A delegate's draft is their
// organisation's alone, as delegates are told: staff read drafts only when staff entered them
// (no delegate author), and every statement once submitted.
func (r reader) canRead(st *models.Statement) bool {
	return r.member(st) || st.IsPublished() || r.staff && (st.Status != models.StatementDraft || st.AuthorID == nil)
}

// canEdit reports whether the reader may change the statement's text, submit or withdraw it.
func (r reader) canEdit(st *models.Statement) bool { return r.editor || r.member(st) }

// showsDelegate reports whether the reader may see that d is d: staff (unless blind), d
// themself, anyone when d is public, and active delegates when d shows to participants.
func (r reader) showsDelegate(d *models.Delegate) bool {
	switch {
	case r.blind:
		return false
	case r.staff:
		return true
	case r.delegate != nil && r.delegate.ID == d.ID:
		return true
	case d.IsPublic():
		return true
	}
	return r.delegate != nil && d.Status == models.DelegateApproved && d.Visibility == models.VisibilityParticipants && d.ErasedAt == nil
}

// showsOrganisation reports whether the reader may see which organisation o is behind something
// it owns: staff (unless blind), its own delegates, and anyone when it is listed and verified.
func (r reader) showsOrganisation(o *models.Organisation) bool {
	switch {
	case r.blind:
		return false
	case r.staff, r.orgID() == o.ID:
		return true
	}
	return publicOrganisation(o)
}

// publicOrganisation reports whether an organisation may be named publicly.
func publicOrganisation(o *models.Organisation) bool {
	return o.Listed && o.Status == models.OrgVerified
}

// OrganisationRef names an organisation the reader may see.
type OrganisationRef struct {
	ID, Name, Country string
}

func orgRef(o *models.Organisation) *OrganisationRef {
	return &OrganisationRef{ID: o.ID, Name: o.Name, Country: o.Country}
}

// DelegateRef names a delegate the reader may see, by the name they chose.
type DelegateRef struct {
	ID, DisplayName string
}

func delegateRef(d *models.Delegate) *DelegateRef {
	return &DelegateRef{ID: d.ID, DisplayName: d.DisplayName}
}
