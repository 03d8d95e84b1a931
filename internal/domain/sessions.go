package domain

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// SessionInput is a session's fields as sent (nil leaves a field as it is; a list given replaces
// the old one, an empty one empties it). A new session needs a title, kind, start and end. Room
// is a room's name: one not yet known is created. Strict refuses any conflict the change causes.
type SessionInput struct {
	Title, Kind, Description, Room, Track *string
	StartsAt, EndsAt                      *string // RFC 3339
	Capacity                              *int
	Languages, Interpretation             []string
	SpeakerIDs, ChairIDs, StatementIDs    []string
	Status                                *string
	OnlineURL                             *string // its own online link ("" falls back to the room's)
	// Translations replace the title and description in the conference's other languages (nil
	// leaves them as they are; see applyTranslations).
	Translations map[string]models.SessionText
	Strict       bool
}

// SessionChange is a created or changed session and the conflicts it causes.
type SessionChange struct {
	Session   *models.Session
	Conflicts []models.Conflict
}

// maxSessionLength bounds a session so that exports can write its duration as hh:mm.
const maxSessionLength = 24 * time.Hour

// sessionStatuses are the statuses an organiser may set.
var sessionStatuses = []models.SessionStatus{models.SessionDraft, models.SessionPublished, models.SessionCancelled}

// languageCode is the shape of a language code such as en, ru or pt-BR.
var languageCode = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// apply copies the fields of in that need no database onto sess and returns the fields that
// break a rule. Rooms, people and statements are resolved against the database by resolve.
func (in *SessionInput) apply(sess *models.Session, creating bool) error {
	fe := models.FieldErrors{}
	if creating {
		for name, v := range map[string]*string{"title": in.Title, "kind": in.Kind, "starts_at": in.StartsAt, "ends_at": in.EndsAt} {
			if v == nil || strings.TrimSpace(*v) == "" {
				fe.Set(name, models.FieldRequired, "is required")
			}
		}
	}
	for name, v := range map[string]*string{"title": in.Title, "room": in.Room, "track": in.Track} {
		if v != nil && hasControlText(*v, false) {
			fe.Set(name, models.FieldControlCharacters, "must not contain control characters")
		}
	}
	if in.Title != nil {
		if strings.TrimSpace(*in.Title) == "" {
			fe.Set("title", models.FieldRequired, "is required")
		}
		sess.Title = strings.TrimSpace(*in.Title)
	}
	if in.Kind != nil {
		if !slices.Contains(models.SessionKinds, models.SessionKind(*in.Kind)) {
			fe.Set("kind", models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(models.SessionKinds), ", "))
		}
		sess.Kind = models.SessionKind(*in.Kind)
	}
	if in.Description != nil {
		if hasControlText(*in.Description, true) {
			fe.Set("description", models.FieldControlCharacters, "must not contain control characters")
		}
		sess.Description = *in.Description
	}
	if in.Track != nil {
		sess.Track = strings.TrimSpace(*in.Track)
	}
	if in.OnlineURL != nil {
		sess.OnlineURL = strings.TrimSpace(*in.OnlineURL)
		if u, err := url.Parse(sess.OnlineURL); sess.OnlineURL != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
			fe.Set("online_url", models.FieldInvalidURL, "must be an http(s) link")
		}
	}
	if in.Capacity != nil {
		sess.Capacity = *in.Capacity
	}
	for name, pair := range map[string]struct {
		src *string
		dst *time.Time
	}{"starts_at": {in.StartsAt, &sess.StartsAt}, "ends_at": {in.EndsAt, &sess.EndsAt}} {
		if pair.src == nil || *pair.src == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, *pair.src)
		if err != nil || t.Year() < 2000 || t.Year() > 2200 {
			fe.Set(name, models.FieldInvalidInstant, "must be an RFC 3339 instant such as 2027-09-06T10:00:00+02:00")
			continue
		}
		*pair.dst = t.UTC()
	}
	if !fe.Has("ends_at") && !fe.Has("starts_at") && !sess.StartsAt.IsZero() && !sess.EndsAt.IsZero() {
		switch {
		case !sess.EndsAt.After(sess.StartsAt):
			fe.Set("ends_at", models.FieldEndsBeforeStart, "must be after starts_at")
		case sess.EndsAt.Sub(sess.StartsAt) > maxSessionLength:
			fe.Set("ends_at", models.FieldBadRange, "must be at most 24 hours after starts_at")
		}
	}
	for name, pair := range map[string]struct {
		src []string
		dst *models.StringList
	}{"languages": {in.Languages, &sess.Languages}, "interpretation": {in.Interpretation, &sess.Interpretation}} {
		if pair.src == nil {
			continue
		}
		for _, l := range pair.src {
			if !languageCode.MatchString(l) {
				fe.Set(name, models.FieldInvalidLanguage, "must be language codes such as en, ru, uk")
			}
		}
		*pair.dst = models.StringList(dedupe(pair.src))
	}
	for name, ids := range map[string][]string{"speaker_ids": in.SpeakerIDs, "chair_ids": in.ChairIDs, "statement_ids": in.StatementIDs} {
		for _, id := range ids {
			if uuid.Validate(id) != nil {
				fe.Set(name, models.FieldInvalidID, "must be a list of IDs")
			}
		}
	}
	return fe.Err()
}

// resolve checks the people, statements and room of in against the conference inside tx and
// links them to sess; a room name not yet known creates the room.
func (in *SessionInput) resolve(ctx context.Context, tx *models.Store, conf *models.Conference, sess *models.Session) error {
	fe := models.FieldErrors{}
	if in.SpeakerIDs != nil || in.ChairIDs != nil {
		found, err := tx.DelegateStatuses(ctx, conf.ID, append(slices.Clone(in.SpeakerIDs), in.ChairIDs...))
		if err != nil {
			return err
		}
		for name, pair := range map[string]struct {
			src []string
			dst *[]string
		}{"speaker_ids": {in.SpeakerIDs, &sess.SpeakerIDs}, "chair_ids": {in.ChairIDs, &sess.ChairIDs}} {
			if pair.src == nil {
				continue
			}
			for _, id := range pair.src {
				if _, ok := found[id]; !ok {
					fe.Set(name, models.FieldUnknownReference, "names a delegate who is not registered for this conference")
				}
			}
			*pair.dst = dedupe(pair.src)
		}
	}
	if in.StatementIDs != nil {
		found, err := tx.StatementsOfConference(ctx, conf.ID, in.StatementIDs)
		if err != nil {
			return err
		}
		for _, id := range in.StatementIDs {
			if !found[id] {
				fe.Set("statement_ids", models.FieldUnknownReference, "names a statement that is not part of this conference")
			}
		}
		sess.StatementIDs = dedupe(in.StatementIDs)
	}
	if len(fe) > 0 {
		return fe
	}
	if in.Room != nil {
		name := strings.TrimSpace(*in.Room)
		if name == "" {
			sess.RoomID, sess.RoomName, sess.RoomCapacity = nil, "", 0
			return nil
		}
		room, err := tx.EnsureRoom(ctx, conf.ID, name)
		if err != nil {
			return err
		}
		sess.RoomID, sess.RoomName, sess.RoomCapacity = &room.ID, room.Name, room.Capacity
	}
	return nil
}

// CreateSession adds a draft session to the conference with slug (organisers) and returns it with
// the conflicts it causes; with in.Strict a conflict refuses it (see strictError).
func (s *Service) CreateSession(ctx context.Context, a *Actor, slug string, in SessionInput) (*SessionChange, error) {
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
	sess := &models.Session{ID: models.NewID(), ConferenceID: conf.ID, Status: models.SessionDraft, Kind: models.KindPlenary,
		Languages: models.StringList{}, Interpretation: models.StringList{}}
	if err := in.apply(sess, true); err != nil {
		return nil, err
	}
	if err := in.applyTranslations(conf, sess); err != nil {
		return nil, err
	}
	out := &SessionChange{Session: sess}
	err = s.change(ctx, func(tx *models.Store) error {
		var err error
		if out.Conflicts, err = in.save(ctx, tx, conf, sess, tx.CreateSession); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "session.create", "session", sess.ID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateSession changes a session (organisers): any field, and its status through
// Session.SetStatus. A larger capacity gives waiting delegates their places and mails them.
func (s *Service) UpdateSession(ctx context.Context, a *Actor, id string, in SessionInput) (*SessionChange, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	if in.Status != nil && !slices.Contains(sessionStatuses, models.SessionStatus(*in.Status)) {
		return nil, models.Invalid(models.FieldProblem("status", models.FieldOneOf, "must be one of: "+strings.Join(models.Strings(sessionStatuses), ", ")))
	}
	if uuid.Validate(id) != nil {
		return nil, models.ErrNotFound
	}
	out := &SessionChange{}
	err := s.change(ctx, func(tx *models.Store) error {
		sess, err := tx.LockSession(ctx, id)
		if err != nil {
			return err
		}
		if err := a.RequireStaffIn(sess.ConferenceID, Organisers...); err != nil {
			return err
		}
		out.Session = sess
		conf, err := tx.ConferenceByID(ctx, sess.ConferenceID)
		if err != nil {
			return err
		}
		if err := in.apply(sess, false); err != nil {
			return err
		}
		if err := in.applyTranslations(conf, sess); err != nil {
			return err
		}
		if in.Status != nil && models.SessionStatus(*in.Status) != sess.Status {
			if err := sess.SetStatus(models.SessionStatus(*in.Status)); err != nil {
				return err
			}
		}
		if out.Conflicts, err = in.save(ctx, tx, conf, sess, tx.UpdateSession); err != nil {
			return err
		}
		if sess.Status == models.SessionPublished {
			if err := s.promoteAndMail(ctx, tx, conf, sess); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, conf.ID, "session.update", "session", sess.ID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// save resolves the input's room and people, stores sess with store (create or update) and
// returns the conflicts it causes; with Strict, any conflict refuses the change.
func (in *SessionInput) save(ctx context.Context, tx *models.Store, conf *models.Conference, sess *models.Session,
	store func(context.Context, *models.Session) error) ([]models.Conflict, error) {
	if err := in.resolve(ctx, tx, conf, sess); err != nil {
		return nil, err
	}
	if err := store(ctx, sess); err != nil {
		return nil, err
	}
	conflicts, err := sessionConflicts(ctx, tx, conf, sess)
	if err != nil {
		return nil, err
	}
	if in.Strict && len(conflicts) > 0 {
		return nil, strictError(conflicts)
	}
	return conflicts, nil
}

// DeleteSession removes a session that is not in the latest release (organisers); one that is
// must be cancelled instead, so that the next release tells the people concerned.
func (s *Service) DeleteSession(ctx context.Context, a *Actor, id string) error {
	if err := a.RequireStaff(Organisers...); err != nil {
		return err
	}
	if uuid.Validate(id) != nil {
		return models.ErrNotFound
	}
	return s.change(ctx, func(tx *models.Store) error {
		sess, err := tx.LockSession(ctx, id)
		if err != nil {
			return err
		}
		if err := a.RequireStaffIn(sess.ConferenceID, Organisers...); err != nil {
			return err
		}
		released, err := tx.SessionAlreadyReleased(ctx, sess.ConferenceID, sess.ID)
		if err != nil {
			return err
		}
		if released {
			return &models.Error{Kind: models.KindConflict, Code: models.CodeConflict, Fields: models.FieldProblem("status", models.FieldInvalid, "set to cancelled instead of deleting"),
				Detail: "the session is part of the published agenda: cancel it (status cancelled) so that the next release tells the people concerned"}
		}
		if err := tx.DeleteSession(ctx, sess.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, sess.ConferenceID, "session.delete", "session", sess.ID)
	})
}

// strictError refuses a change that causes conflicts: a conflict (409) when it collides with
// other sessions (room or people overlaps), else a validation error (422), with the fields at
// fault.
func strictError(conflicts []models.Conflict) error {
	fields := models.FieldErrors{}
	overlap := false
	for _, cf := range conflicts {
		switch cf.Kind {
		case models.ConflictRoom:
			overlap = true
			fields.Set("room", models.FieldTaken, "is booked by another session at this time")
		case models.ConflictSpeaker:
			overlap = true
			fields.Set("speaker_ids", models.FieldTaken, "names a delegate who is in another session at this time")
		case models.ConflictChair:
			overlap = true
			fields.Set("chair_ids", models.FieldTaken, "names a delegate who chairs another session at this time")
		case models.ConflictOutsideDates:
			fields.Set("starts_at", models.FieldBadRange, "is outside the conference dates")
		case models.ConflictCapacity:
			fields.Set("capacity", models.FieldBadRange, "is more than the room holds")
		case models.ConflictNotApproved:
			field := "speaker_ids"
			if cf.Role == models.PersonChair {
				field = "chair_ids"
			}
			fields.Set(field, models.FieldUnknownReference, "names a delegate whose registration is not approved")
		}
	}
	if overlap {
		return &models.Error{Kind: models.KindConflict, Code: models.CodeConflict, Detail: "the session conflicts with other sessions", Fields: fields}
	}
	e := models.Invalid(fields)
	e.Detail = "the session breaks agenda rules"
	return e
}
