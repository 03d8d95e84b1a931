package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
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
	ID           string
	ConferenceID string
	// Name is the organisation's name, opened from NameSealed when read. The plain name column
	// holds it only while the organisation is public (verified and listed).
	Name string
	// NameSealed is the name sealed for this row; NameIndex its blind index, unique per
	// conference (duplicate names and lookups by name).
	NameSealed    []byte
	NameIndex     []byte
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
	defer s.sealOrganisation(o)()
	return notFound(s.write(ctx).Create(o).Error)
}

// UpdateOrganisation saves every field of o (sealing its name again).
func (s *Store) UpdateOrganisation(ctx context.Context, o *Organisation) error {
	defer s.sealOrganisation(o)()
	return notFound(s.write(ctx).Save(o).Error)
}

// IsPublic reports whether anyone may see the organisation: verified and listed.
func (o *Organisation) IsPublic() bool { return o.Status == OrgVerified && o.Listed }

// organisationNamePurpose is the blind index purpose of organisation names in a conference.
func organisationNamePurpose(conferenceID string) string { return "organisation.name:" + conferenceID }

// sealOrganisation seals o's name and computes its index, and leaves the plain name in o only if
// the organisation is public, so that a write stores no other name in plain text. The function
// it returns puts the name back (call it once the row is written).
func (s *Store) sealOrganisation(o *Organisation) (restore func()) {
	name := o.Name
	o.NameSealed = s.box.Seal("organisations", "name", o.ID, name)
	o.NameIndex = s.box.Index(organisationNamePurpose(o.ConferenceID), name)
	if !o.IsPublic() {
		o.Name = ""
	}
	return func() { o.Name = name }
}

// openOrganisation opens the sealed name of o (rows not sealed yet keep their plain name).
func (s *Store) openOrganisation(o *Organisation) error {
	if len(o.NameSealed) == 0 {
		return nil
	}
	name, err := s.box.Open("organisations", "name", o.ID, o.NameSealed)
	if err != nil {
		return fmt.Errorf("organisation %s: %w", o.ID, err)
	}
	o.Name = name
	return nil
}

// openOrganisations opens the names of os.
func (s *Store) openOrganisations(os []Organisation) error {
	for i := range os {
		if err := s.openOrganisation(&os[i]); err != nil {
			return err
		}
	}
	return nil
}

// Organisation finds an organisation of a conference by ID.
func (s *Store) Organisation(ctx context.Context, conferenceID, id string) (*Organisation, error) {
	var o Organisation
	if err := s.read(ctx).Where("id = ? AND conference_id = ?", id, conferenceID).Take(&o).Error; err != nil {
		return nil, notFound(err)
	}
	return &o, s.openOrganisation(&o)
}

// OrganisationFilter selects organisations of a conference.
type OrganisationFilter struct {
	ConferenceID string
	PublicOnly   bool // verified and listed only
	Status       OrganisationStatus
}

// ListOrganisations returns organisations ordered by name (sorted once opened, since most names
// are sealed).
func (s *Store) ListOrganisations(ctx context.Context, f OrganisationFilter) ([]Organisation, error) {
	q := s.read(ctx).Where("conference_id = ?", f.ConferenceID)
	if f.PublicOnly {
		q = q.Where("status = ? AND listed = ?", OrgVerified, true)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var os []Organisation
	if err := q.Order("id").Find(&os).Error; err != nil {
		return nil, err
	}
	if err := s.openOrganisations(os); err != nil {
		return nil, err
	}
	slices.SortStableFunc(os, func(a, b Organisation) int { return strings.Compare(a.Name, b.Name) })
	return os, nil
}
