package domain

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// RoomInput is a room's fields as sent: nil leaves a field as it is (a new room needs a name).
type RoomInput struct {
	Name      *string
	Capacity  *int
	OnlineURL *string
}

// apply copies in onto room and returns the fields that break a rule.
func (in *RoomInput) apply(room *models.Room, creating bool) error {
	fe := models.FieldErrors{}
	if in.Name != nil {
		room.Name = strings.TrimSpace(*in.Name)
		if hasControlText(room.Name, false) {
			fe.Set("name", models.FieldControlCharacters, "must not contain control characters")
		}
	}
	if (creating || in.Name != nil) && room.Name == "" {
		fe.Set("name", models.FieldRequired, "is required")
	}
	if in.Capacity != nil {
		room.Capacity = *in.Capacity
	}
	if in.OnlineURL != nil {
		room.OnlineURL = strings.TrimSpace(*in.OnlineURL)
		if u, err := url.Parse(room.OnlineURL); room.OnlineURL != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
			fe.Set("online_url", models.FieldInvalidURL, "must be an http(s) link")
		}
	}
	return fe.Err()
}

// takenField turns ErrConflict (a duplicate or a row still in use) into a 409 naming field.
func takenField(err error, field, message string) error {
	if errors.Is(err, models.ErrConflict) {
		return &models.Error{Kind: models.KindConflict, Code: models.CodeConflict, Detail: "this conflicts with an existing record",
			Fields: models.FieldProblem(field, models.FieldTaken, message)}
	}
	return err
}

const roomTaken = "a room of this name exists already"

// CreateRoom adds a room to the conference with slug (organisers); names are unique within a
// conference.
func (s *Service) CreateRoom(ctx context.Context, a *Actor, slug string, in RoomInput) (*models.Room, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	room := &models.Room{ConferenceID: conf.ID}
	if err := in.apply(room, true); err != nil {
		return nil, err
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := tx.CreateRoom(ctx, room); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "room.create", "room", room.ID)
	})
	if err != nil {
		return nil, takenField(err, "name", roomTaken)
	}
	return room, nil
}

// UpdateRoom renames a room or changes its capacity or link (organisers).
func (s *Service) UpdateRoom(ctx context.Context, a *Actor, id string, in RoomInput) (*models.Room, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	if uuid.Validate(id) != nil {
		return nil, models.ErrNotFound
	}
	var room *models.Room
	err := s.change(ctx, func(tx *models.Store) error {
		var err error
		if room, err = tx.Room(ctx, id); err != nil {
			return err
		}
		if err := a.RequireStaffIn(room.ConferenceID, Organisers...); err != nil {
			return err
		}
		if err := in.apply(room, false); err != nil {
			return err
		}
		if err := tx.UpdateRoom(ctx, room); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, room.ConferenceID, "room.update", "room", room.ID)
	})
	if err != nil {
		return nil, takenField(err, "name", roomTaken)
	}
	return room, nil
}

// DeleteRoom removes a room no session uses (organisers); one in use is a conflict.
func (s *Service) DeleteRoom(ctx context.Context, a *Actor, id string) error {
	if err := a.RequireStaff(Organisers...); err != nil {
		return err
	}
	if uuid.Validate(id) != nil {
		return models.ErrNotFound
	}
	err := s.change(ctx, func(tx *models.Store) error {
		room, err := tx.Room(ctx, id)
		if err != nil {
			return err
		}
		if err := a.RequireStaffIn(room.ConferenceID, Organisers...); err != nil {
			return err
		}
		if err := tx.DeleteRoom(ctx, room.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, room.ConferenceID, "room.delete", "room", room.ID)
	})
	return takenField(err, "id", "sessions use this room: move them first")
}

// hasControlText reports control characters; multiline allows line breaks and tabs.
func hasControlText(s string, multiline bool) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			return false
		}
		return r < 0x20 || r == 0x7f
	}) >= 0
}

// dedupe returns the list without repeats, in first-seen order (never nil).
func dedupe(l []string) []string {
	out := make([]string, 0, len(l))
	for _, x := range l {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
