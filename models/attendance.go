package models

import (
	"context"
	"errors"
	"fmt"
)

// SignUp signs a delegate up for a session: a confirmed place while the session's capacity allows,
// else the end of its waitlist. Call it inside Tx after LockSession(sess.ID), so that concurrent
// sign-ups count and insert one after the other. A delegate already signed up gets their existing
// attendance and created=false.
func (s *Store) SignUp(ctx context.Context, sess *Session, delegateID string) (a *Attendance, created bool, err error) {
	if !s.inTx() {
		return nil, false, fmt.Errorf("sign up: not in a transaction")
	}
	if a, err := s.Attendance(ctx, sess.ID, delegateID); err == nil {
		return a, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return nil, false, err
	}
	var row struct {
		Confirmed int64
		MaxSeq    *int64
	}
	err = s.write(ctx).Model(&Attendance{}).Where("session_id = ?", sess.ID).
		Select("COUNT(CASE WHEN status = ? THEN 1 END) AS confirmed, MAX(seq) AS max_seq", AttendanceConfirmed).
		Scan(&row).Error
	if err != nil {
		return nil, false, err
	}
	a = &Attendance{ID: NewID(), SessionID: sess.ID, DelegateID: delegateID, Status: AttendanceConfirmed, Seq: 1, CreatedAt: s.now()}
	if row.MaxSeq != nil {
		a.Seq = *row.MaxSeq + 1
	}
	if c := sess.EffectiveCapacity(); c > 0 && row.Confirmed >= int64(c) {
		a.Status = AttendanceWaitlisted
	}
	if err := s.write(ctx).Create(a).Error; err != nil {
		return nil, false, notFound(err)
	}
	return a, true, nil
}

// Leave removes a delegate's sign-up for a session and returns it; none gives ErrNotFound. Call it
// inside Tx after LockSession, then PromoteWaitlist.
func (s *Store) Leave(ctx context.Context, sessionID, delegateID string) (*Attendance, error) {
	a, err := s.Attendance(ctx, sessionID, delegateID)
	if err != nil {
		return nil, err
	}
	if err := s.write(ctx).Where("id = ?", a.ID).Delete(&Attendance{}).Error; err != nil {
		return nil, err
	}
	return a, nil
}

// PromoteWaitlist gives free confirmed places to the waitlist in sign-up order and returns the
// attendances it promoted. Call it inside Tx after LockSession.
func (s *Store) PromoteWaitlist(ctx context.Context, sess *Session) ([]Attendance, error) {
	if !s.inTx() {
		return nil, fmt.Errorf("promote waitlist: not in a transaction")
	}
	var confirmed int64
	if err := s.write(ctx).Model(&Attendance{}).Where("session_id = ? AND status = ?", sess.ID, AttendanceConfirmed).
		Count(&confirmed).Error; err != nil {
		return nil, err
	}
	q := s.write(ctx).Where("session_id = ? AND status = ?", sess.ID, AttendanceWaitlisted).Order("seq")
	if c := sess.EffectiveCapacity(); c > 0 {
		free := int64(c) - confirmed
		if free <= 0 {
			return nil, nil
		}
		q = q.Limit(int(free))
	}
	var promoted []Attendance
	if err := q.Find(&promoted).Error; err != nil || len(promoted) == 0 {
		return nil, err
	}
	ids := make([]string, len(promoted))
	for i := range promoted {
		ids[i] = promoted[i].ID
		promoted[i].Status = AttendanceConfirmed
	}
	if err := s.write(ctx).Model(&Attendance{}).Where("id IN ?", ids).Update("status", AttendanceConfirmed).Error; err != nil {
		return nil, err
	}
	return promoted, nil
}

// Attendance finds a delegate's sign-up for a session.
func (s *Store) Attendance(ctx context.Context, sessionID, delegateID string) (*Attendance, error) {
	var a Attendance
	if err := s.read(ctx).Where("session_id = ? AND delegate_id = ?", sessionID, delegateID).Take(&a).Error; err != nil {
		return nil, notFound(err)
	}
	return &a, nil
}

// AttendanceCount is how many delegates have a place in a session and how many wait.
type AttendanceCount struct {
	Confirmed, Waitlisted int
}

// AttendanceCounts counts the sign-ups of each session.
func (s *Store) AttendanceCounts(ctx context.Context, sessionIDs []string) (map[string]AttendanceCount, error) {
	out := make(map[string]AttendanceCount, len(sessionIDs))
	for _, chunk := range agendaChunks(sessionIDs, 500) {
		var rows []struct {
			SessionID string
			Status    AttendanceStatus
			N         int
		}
		err := s.read(ctx).Model(&Attendance{}).Select("session_id, status, COUNT(*) AS n").
			Where("session_id IN ?", chunk).Group("session_id, status").Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			c := out[r.SessionID]
			if r.Status == AttendanceConfirmed {
				c.Confirmed = r.N
			} else {
				c.Waitlisted = r.N
			}
			out[r.SessionID] = c
		}
	}
	return out, nil
}

// Attendees maps each session to the delegates signed up for it (confirmed or waiting), in
// sign-up order.
func (s *Store) Attendees(ctx context.Context, sessionIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, chunk := range agendaChunks(sessionIDs, 500) {
		var as []Attendance
		if err := s.read(ctx).Where("session_id IN ?", chunk).Order("session_id, seq").Find(&as).Error; err != nil {
			return nil, err
		}
		for _, a := range as {
			out[a.SessionID] = append(out[a.SessionID], a.DelegateID)
		}
	}
	return out, nil
}

// DelegateAttendances returns a delegate's sign-ups.
func (s *Store) DelegateAttendances(ctx context.Context, delegateID string) ([]Attendance, error) {
	var as []Attendance
	err := s.read(ctx).Where("delegate_id = ?", delegateID).Order("created_at, id").Find(&as).Error
	return as, err
}

// WaitlistPosition is a waiting attendance's place on its session's waitlist (1 = next).
func (s *Store) WaitlistPosition(ctx context.Context, a *Attendance) (int, error) {
	var n int64
	err := s.read(ctx).Model(&Attendance{}).Where("session_id = ? AND status = ? AND seq < ?", a.SessionID, AttendanceWaitlisted, a.Seq).
		Count(&n).Error
	return int(n) + 1, err
}
