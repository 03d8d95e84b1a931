package models

import (
	"context"
	"time"
)

// OrganisationKind is what sort of group an organisation is.
type OrganisationKind string

// Organisation kinds.
const (
	OrgParty      OrganisationKind = "party"
	OrgUnion      OrganisationKind = "union"
	OrgMovement   OrganisationKind = "movement"
	OrgCollective OrganisationKind = "collective"
	OrgMedia      OrganisationKind = "media"
	OrgOther      OrganisationKind = "other"
)

// OrganisationKinds lists the valid kinds.
var OrganisationKinds = []OrganisationKind{OrgParty, OrgUnion, OrgMovement, OrgCollective, OrgMedia, OrgOther}

// OrganisationStatus is where an organisation's verification stands.
type OrganisationStatus string

// Organisation statuses.
const (
	OrgProposed OrganisationStatus = "proposed"
	OrgVerified OrganisationStatus = "verified"
	OrgRejected OrganisationStatus = "rejected"
)

// Organisation is a party, union, movement or other group that sends delegates.
type Organisation struct {
	ID            string
	ConferenceID  string
	Name          string
	Country       string
	Kind          OrganisationKind
	Status        OrganisationStatus
	DelegateQuota int
	Listed        bool
	// VotingMandates is how many of its delegates may hold the role voting or head.
	VotingMandates int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SetStatus moves a proposed organisation to verified or rejected; any other move is refused.
func (o *Organisation) SetStatus(to OrganisationStatus) error {
	if o.Status == to {
		return nil
	}
	ok := o.Status == OrgProposed && (to == OrgVerified || to == OrgRejected) ||
		o.Status == OrgRejected && to == OrgVerified || o.Status == OrgVerified && to == OrgRejected
	if !ok {
		return &TransitionError{Entity: "organisation", From: string(o.Status), To: string(to)}
	}
	o.Status = to
	return nil
}

// CreateOrganisation inserts an organisation; a duplicate name in the conference gives ErrConflict.
func (s *Store) CreateOrganisation(ctx context.Context, o *Organisation) error {
	if o.ID == "" {
		o.ID = NewID()
	}
	if o.VotingMandates == 0 {
		o.VotingMandates = 1
	}
	return notFound(s.write(ctx).Create(o).Error)
}

// UpdateOrganisation saves every field of o.
func (s *Store) UpdateOrganisation(ctx context.Context, o *Organisation) error {
	return notFound(s.write(ctx).Save(o).Error)
}

// Organisation finds an organisation of a conference by ID.
func (s *Store) Organisation(ctx context.Context, conferenceID, id string) (*Organisation, error) {
	var o Organisation
	if err := s.read(ctx).Where("id = ? AND conference_id = ?", id, conferenceID).Take(&o).Error; err != nil {
		return nil, notFound(err)
	}
	return &o, nil
}

// OrganisationFilter selects organisations of a conference.
type OrganisationFilter struct {
	ConferenceID string
	PublicOnly   bool // verified and listed only
	Status       OrganisationStatus
}

// ListOrganisations returns organisations ordered by name.
func (s *Store) ListOrganisations(ctx context.Context, f OrganisationFilter) ([]Organisation, error) {
	q := s.read(ctx).Where("conference_id = ?", f.ConferenceID)
	if f.PublicOnly {
		q = q.Where("status = ? AND listed = ?", OrgVerified, true)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var os []Organisation
	err := q.Order("name, id").Find(&os).Error
	return os, err
}
