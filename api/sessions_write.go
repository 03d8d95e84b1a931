package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// createSession adds a draft session and answers with it and the conflicts it causes; with
// ?strict=true a conflict refuses the session (409 for overlaps, else 422).
func (s *Server) createSession(c *gin.Context) error {
	var req sessionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	strict, err := strictParam(c)
	if err != nil {
		return err
	}
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	sess := &models.Session{ID: models.NewID(), ConferenceID: conf.ID, Status: models.SessionDraft, Kind: models.KindPlenary,
		Languages: models.StringList{}, Interpretation: models.StringList{}}
	if fe := req.apply(sess, true); fe != nil {
		return fe
	}
	ctx := c.Request.Context()
	var conflicts []models.Conflict
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		if conflicts, err = saveSession(ctx, tx, &req, conf, sess, strict, tx.CreateSession); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "session.create", "session", sess.ID)
	})
	if err != nil {
		return err
	}
	return s.answerSession(c, http.StatusCreated, conf, sess, conflicts)
}

// updateSession changes a session: any field, and its status through Session.SetStatus. A larger
// capacity gives waiting delegates their places (and mails them).
func (s *Server) updateSession(c *gin.Context) error {
	var req sessionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	strict, err := strictParam(c)
	if err != nil {
		return err
	}
	if uuid.Validate(c.Param("id")) != nil {
		return errNotFound
	}
	ctx := c.Request.Context()
	var (
		sess      *models.Session
		conf      *models.Conference
		conflicts []models.Conflict
		mails     int
	)
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		var err error
		if sess, err = tx.LockSession(ctx, c.Param("id")); err != nil {
			return err
		}
		if conf, err = tx.ConferenceByID(ctx, sess.ConferenceID); err != nil {
			return err
		}
		if fe := req.apply(sess, false); fe != nil {
			return fe
		}
		if req.Status != nil && *req.Status != sess.Status {
			if err := sess.SetStatus(*req.Status); err != nil {
				return err
			}
		}
		if conflicts, err = saveSession(ctx, tx, &req, conf, sess, strict, tx.UpdateSession); err != nil {
			return err
		}
		if sess.Status == models.SessionPublished {
			if mails, err = s.promoteAndMail(ctx, tx, conf, sess); err != nil {
				return err
			}
		}
		return s.audit(c, tx, conf.ID, "session.update", "session", sess.ID)
	})
	if err != nil {
		return err
	}
	if mails > 0 {
		s.notify()
	}
	return s.answerSession(c, http.StatusOK, conf, sess, conflicts)
}

// saveSession resolves the request's room and people, stores sess with save (create or update)
// and returns the conflicts it causes; with strict, any conflict refuses the change.
func saveSession(ctx context.Context, tx *models.Store, req *sessionRequest, conf *models.Conference, sess *models.Session,
	strict bool, save func(context.Context, *models.Session) error) ([]models.Conflict, error) {
	if err := req.resolve(ctx, tx, conf, sess); err != nil {
		return nil, err
	}
	if err := save(ctx, sess); err != nil {
		return nil, err
	}
	conflicts, err := sessionConflicts(ctx, tx, conf, sess)
	if err != nil {
		return nil, err
	}
	if strict && len(conflicts) > 0 {
		return nil, strictProblem(conflicts)
	}
	return conflicts, nil
}

// deleteSession removes a session that is not in the latest release; one that is must be
// cancelled instead, so that the next release tells the people concerned.
func (s *Server) deleteSession(c *gin.Context) error {
	if uuid.Validate(c.Param("id")) != nil {
		return errNotFound
	}
	ctx := c.Request.Context()
	err := s.store.Tx(ctx, func(tx *models.Store) error {
		sess, err := tx.LockSession(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		released, err := tx.SessionAlreadyReleased(ctx, sess.ConferenceID, sess.ID)
		if err != nil {
			return err
		}
		if released {
			return problemOf(&models.Error{Kind: models.KindConflict, Code: models.CodeConflict, Fields: models.FieldProblem("status", models.FieldInvalid, "set to cancelled instead of deleting"),
				Detail: "the session is part of the published agenda: cancel it (status cancelled) so that the next release tells the people concerned"})
		}
		if err := tx.DeleteSession(ctx, sess.ID); err != nil {
			return err
		}
		return s.audit(c, tx, sess.ConferenceID, "session.delete", "session", sess.ID)
	})
	if err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// answerSession writes a created or changed session with its conflicts (staff view).
func (s *Server) answerSession(c *gin.Context, status int, conf *models.Conference, sess *models.Session, conflicts []models.Conflict) error {
	views, err := s.sessionViews(c.Request.Context(), []models.Session{*sess}, true)
	if err != nil {
		return err
	}
	rooms, err := s.roomNames(c.Request.Context(), conf.ID)
	if err != nil {
		return err
	}
	c.JSON(status, sessionWithConflicts{sessionResponse: views[0], Conflicts: conflictViews(conflicts, rooms)})
	return nil
}

// sessionConflicts returns the conflicts that involve sess, looking only at the sessions that
// overlap it (no other session can conflict with it).
func sessionConflicts(ctx context.Context, tx *models.Store, conf *models.Conference, sess *models.Session) ([]models.Conflict, error) {
	if sess.Status == models.SessionCancelled {
		return []models.Conflict{}, nil
	}
	near, err := tx.ListSessions(ctx, models.SessionFilter{ConferenceID: conf.ID,
		Statuses: []models.SessionStatus{models.SessionDraft, models.SessionPublished}, From: sess.StartsAt, To: sess.EndsAt})
	if err != nil {
		return nil, err
	}
	all, err := agendaConflictsOf(ctx, tx, conf, near)
	if err != nil {
		return nil, err
	}
	out := []models.Conflict{}
	for _, cf := range all {
		if cf.Involves(sess.ID) {
			out = append(out, cf)
		}
	}
	if !sessionIn(near, sess.ID) { // an empty interval overlaps nothing: check it alone
		alone, err := agendaConflictsOf(ctx, tx, conf, []models.Session{*sess})
		if err != nil {
			return nil, err
		}
		out = append(out, alone...)
	}
	return out, nil
}

func sessionIn(ss []models.Session, id string) bool {
	for i := range ss {
		if ss[i].ID == id {
			return true
		}
	}
	return false
}

// agendaConflictsOf runs the conflict rules over sessions with the conference's dates, room
// capacities and the registration status of everyone named.
func agendaConflictsOf(ctx context.Context, st *models.Store, conf *models.Conference, sessions []models.Session) ([]models.Conflict, error) {
	var people []string
	for i := range sessions {
		people = append(people, sessions[i].People()...)
	}
	statuses, err := st.DelegateStatuses(ctx, conf.ID, uniqueInOrder(people))
	if err != nil {
		return nil, err
	}
	rooms, err := st.ListRooms(ctx, conf.ID)
	if err != nil {
		return nil, err
	}
	rules := models.AgendaRules{RoomCapacity: map[string]int{}, DelegateStatus: statuses}
	rules.Starts, rules.Ends = models.ConferenceWindow(conf)
	for _, r := range rooms {
		rules.RoomCapacity[r.ID] = r.Capacity
	}
	return models.FindConflicts(sessions, rules), nil
}

// strictParam reads ?strict=true|false.
func strictParam(c *gin.Context) (bool, error) {
	switch c.Query("strict") {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, malformed("invalid strict", models.FieldProblem("strict", models.FieldInvalidType, "must be true or false"))
}

// strictProblem refuses a change that causes conflicts: 409 when it collides with other sessions
// (room or people overlaps), else 422, with the fields at fault.
func strictProblem(conflicts []models.Conflict) error {
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
		return problemOf(&models.Error{Kind: models.KindConflict, Code: models.CodeConflict, Detail: "the session conflicts with other sessions", Fields: fields})
	}
	p := invalid(fields)
	p.Detail = "the session breaks agenda rules"
	return p
}
