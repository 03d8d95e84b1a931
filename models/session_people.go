package models

import (
	"context"
	"time"
)

// AgendaPerson is what the agenda needs to know about a speaker or chair to decide how (and
// whether) to name them: never their personal data, only the display name, the registration
// status and visibility, and the organisation when it may be named.
type AgendaPerson struct {
	ID               string
	DisplayName      string
	Status           DelegateStatus
	Visibility       Visibility
	ErasedAt         *time.Time
	OrganisationID   *string
	OrganisationName string
	// OrganisationNameSealed is the organisation's sealed name, opened into OrganisationName
	// when the plain column is empty (an organisation that is not public).
	OrganisationNameSealed []byte `json:"-"`
	OrgListed              bool
	OrgStatus              OrganisationStatus
}

// IsPublic reports whether the person may be named: approved, visibility public, not erased.
func (p *AgendaPerson) IsPublic() bool {
	return p.Status == DelegateApproved && p.Visibility == VisibilityPublic && p.ErasedAt == nil
}

// PublicOrganisation is the person's organisation's name if it may be named publicly (verified
// and listed), else "".
func (p *AgendaPerson) PublicOrganisation() string {
	if p.OrganisationID != nil && p.OrgListed && p.OrgStatus == OrgVerified {
		return p.OrganisationName
	}
	return ""
}

// PeopleViews returns the view of each existing delegate among ids, keyed by ID.
func (s *Store) PeopleViews(ctx context.Context, ids []string) (map[string]AgendaPerson, error) {
	out := make(map[string]AgendaPerson, len(ids))
	for _, chunk := range agendaChunks(ids, 500) {
		var rows []AgendaPerson
		err := s.read(ctx).Table("delegates d").
			Select(`d.id, d.display_name, d.status, d.visibility, d.erased_at, d.organisation_id,
				COALESCE(o.name, '') AS organisation_name, o.name_sealed AS organisation_name_sealed, COALESCE(o.listed, FALSE) AS org_listed,
				COALESCE(o.status, '') AS org_status`).
			Joins("LEFT JOIN organisations o ON o.id = d.organisation_id").
			Where("d.id IN ?", chunk).Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if r.OrganisationName == "" && r.OrganisationID != nil {
				o := Organisation{ID: *r.OrganisationID, NameSealed: r.OrganisationNameSealed}
				if err := s.openOrganisation(&o); err != nil {
					return nil, err
				}
				r.OrganisationName = o.Name
			}
			r.OrganisationNameSealed = nil
			out[r.ID] = r
		}
	}
	return out, nil
}

// DelegatesByIDs returns the delegates among ids (of one conference), with personal fields
// opened, keyed by ID. Unknown IDs are left out.
func (s *Store) DelegatesByIDs(ctx context.Context, conferenceID string, ids []string) (map[string]*Delegate, error) {
	out := make(map[string]*Delegate, len(ids))
	for _, chunk := range agendaChunks(ids, 500) {
		var ds []Delegate
		if err := s.read(ctx).Where("conference_id = ? AND id IN ?", conferenceID, chunk).Find(&ds).Error; err != nil {
			return nil, err
		}
		for i := range ds {
			if err := s.openDelegate(&ds[i]); err != nil {
				return nil, err
			}
			out[ds[i].ID] = &ds[i]
		}
	}
	return out, nil
}

// DelegateStatuses maps the delegates of a conference among ids to their registration status;
// IDs of other conferences or of no delegate are left out.
func (s *Store) DelegateStatuses(ctx context.Context, conferenceID string, ids []string) (map[string]DelegateStatus, error) {
	out := make(map[string]DelegateStatus, len(ids))
	for _, chunk := range agendaChunks(ids, 500) {
		var rows []struct {
			ID     string
			Status DelegateStatus
		}
		if err := s.read(ctx).Model(&Delegate{}).Select("id, status").Where("conference_id = ? AND id IN ?", conferenceID, chunk).
			Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ID] = r.Status
		}
	}
	return out, nil
}

// StatementsOfConference returns which of ids are statements of the conference.
func (s *Store) StatementsOfConference(ctx context.Context, conferenceID string, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	for _, chunk := range agendaChunks(ids, 500) {
		var found []string
		if err := s.read(ctx).Model(&Statement{}).Where("conference_id = ? AND id IN ?", conferenceID, chunk).Pluck("id", &found).Error; err != nil {
			return nil, err
		}
		for _, id := range found {
			out[id] = true
		}
	}
	return out, nil
}

// SetFeedToken stores the hash of a delegate's personal calendar feed secret (nil revokes it).
func (s *Store) SetFeedToken(ctx context.Context, delegateID string, hash []byte) error {
	res := s.write(ctx).Model(&Delegate{}).Where("id = ?", delegateID).
		Updates(map[string]any{"feed_token_hash": hash, "updated_at": s.now()})
	if res.Error != nil {
		return notFound(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// DelegateByFeedToken finds the delegate whose personal feed secret this is.
func (s *Store) DelegateByFeedToken(ctx context.Context, secret string) (*Delegate, error) {
	var d Delegate
	if err := s.read(ctx).Where("feed_token_hash = ?", HashSecret(secret)).Take(&d).Error; err != nil {
		return nil, notFound(err)
	}
	return &d, s.openDelegate(&d)
}
