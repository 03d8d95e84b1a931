package models

import (
	"context"
	"errors"
)

// CreateRoom inserts a room; a name already used in the conference gives ErrConflict.
func (s *Store) CreateRoom(ctx context.Context, r *Room) error {
	if r.ID == "" {
		r.ID = NewID()
	}
	return notFound(s.write(ctx).Create(r).Error)
}

// UpdateRoom saves every field of r.
func (s *Store) UpdateRoom(ctx context.Context, r *Room) error {
	return notFound(s.write(ctx).Save(r).Error)
}

// DeleteRoom removes a room that no session uses; a room in use gives ErrConflict.
func (s *Store) DeleteRoom(ctx context.Context, id string) error {
	return s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.write(ctx).Model(&Session{}).Where("room_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		res := tx.write(ctx).Where("id = ?", id).Delete(&Room{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// Room finds a room by ID.
func (s *Store) Room(ctx context.Context, id string) (*Room, error) {
	var r Room
	if err := s.read(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// RoomByName finds a conference's room by its exact name.
func (s *Store) RoomByName(ctx context.Context, conferenceID, name string) (*Room, error) {
	var r Room
	if err := s.read(ctx).Where("conference_id = ? AND name = ?", conferenceID, name).Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// EnsureRoom returns the conference's room called name, creating it (without capacity) on first
// use. Call it inside a transaction so that two sessions naming a new room get the same one.
func (s *Store) EnsureRoom(ctx context.Context, conferenceID, name string) (*Room, error) {
	r, err := s.RoomByName(ctx, conferenceID, name)
	if !errors.Is(err, ErrNotFound) {
		return r, err
	}
	r = &Room{ConferenceID: conferenceID, Name: name}
	if err := s.CreateRoom(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// ListRooms returns a conference's rooms ordered by name.
func (s *Store) ListRooms(ctx context.Context, conferenceID string) ([]Room, error) {
	var rs []Room
	err := s.read(ctx).Where("conference_id = ?", conferenceID).Order("name, id").Find(&rs).Error
	return rs, err
}
