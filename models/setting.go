package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Setting is one instance-wide setting an admin changes (key → value).
type Setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

// SettingRequireStaffTOTP is "true" when every staff account must sign in with a second factor.
const SettingRequireStaffTOTP = "require_staff_totp"

// Setting returns the value of a setting, or "" when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v []string
	if err := s.read(ctx).Model(&Setting{}).Where("key = ?", key).Pluck("value", &v).Error; err != nil {
		return "", fmt.Errorf("setting %s: %w", key, err)
	}
	if len(v) == 0 {
		return "", nil
	}
	return v[0], nil
}

// PutSetting sets a setting.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	row := &Setting{Key: key, Value: value, UpdatedAt: s.now()}
	err := s.write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"})}).
		Create(row).Error
	if err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	return nil
}
