package models

import (
	"context"
	"time"
)

// ConferenceRole is the role a staff account holds on one conference. Admins need none: their
// role (Account.Role) is instance-wide. An organiser or reviewer works only on the conferences
// where it holds a ConferenceRole.
type ConferenceRole struct {
	AccountID    string `gorm:"primaryKey"`
	ConferenceID string `gorm:"primaryKey"`
	Role         StaffRole
	CreatedAt    time.Time
}

// TableName is the table of the conference roles.
func (ConferenceRole) TableName() string { return "staff_conference_roles" }

// ConferenceRoles maps each conference ID to the role the account holds on it.
func (s *Store) ConferenceRoles(ctx context.Context, accountID string) (map[string]StaffRole, error) {
	var rs []ConferenceRole
	if err := s.read(ctx).Where("account_id = ?", accountID).Find(&rs).Error; err != nil {
		return nil, err
	}
	out := make(map[string]StaffRole, len(rs))
	for _, r := range rs {
		out[r.ConferenceID] = r.Role
	}
	return out, nil
}

// ListConferenceRoles lists every conference role of every account, by account then conference.
func (s *Store) ListConferenceRoles(ctx context.Context) ([]ConferenceRole, error) {
	var rs []ConferenceRole
	err := s.read(ctx).Order("account_id, conference_id").Find(&rs).Error
	return rs, err
}

// SetConferenceRoles replaces the conference roles of the account with roles (conference ID →
// role); an empty map leaves it none. Call it in a transaction.
func (s *Store) SetConferenceRoles(ctx context.Context, accountID string, roles map[string]StaffRole) error {
	if err := s.write(ctx).Where("account_id = ?", accountID).Delete(&ConferenceRole{}).Error; err != nil {
		return err
	}
	now := time.Now().UTC()
	for conf, role := range roles {
		if err := s.write(ctx).Create(&ConferenceRole{AccountID: accountID, ConferenceID: conf, Role: role, CreatedAt: now}).Error; err != nil {
			return notFound(err)
		}
	}
	return nil
}

// GrantConferenceRole gives the account role on one conference, replacing the role it held there.
func (s *Store) GrantConferenceRole(ctx context.Context, accountID, conferenceID string, role StaffRole) error {
	if err := s.write(ctx).Where("account_id = ? AND conference_id = ?", accountID, conferenceID).Delete(&ConferenceRole{}).Error; err != nil {
		return err
	}
	return notFound(s.write(ctx).Create(&ConferenceRole{AccountID: accountID, ConferenceID: conferenceID, Role: role, CreatedAt: time.Now().UTC()}).Error)
}
