package api

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

var codeShape = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$`)

func TestBadgeAndCheckIn(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		b := e.do("GET", "/api/v1/me/badge", w.tB, nil).want(t, 200).json(t)
		code, _ := b["checkin_code"].(string)
		if !codeShape.MatchString(code) || b["display_name"] != w.signer.DisplayName || b["organisation"] != w.orgB.Name {
			t.Fatalf("badge: got %v", b)
		}
		if again := e.do("GET", "/api/v1/me/badge", w.tB, nil).want(t, 200).json(t); again["checkin_code"] != code {
			t.Errorf("the code changed: %v then %v", code, again["checkin_code"])
		}
		if other := e.do("GET", "/api/v1/me/badge", w.tB2, nil).want(t, 200).json(t); other["checkin_code"] == code {
			t.Error("two delegates share a code")
		}
		if hidden := e.do("GET", "/api/v1/me/badge", w.tC, nil).want(t, 200).json(t); hidden["organisation"] != nil {
			t.Errorf("an unlisted organisation is on the badge: %v", hidden)
		}
		pending := e.delegate(w.conf, w.orgB, "Pending", models.DelegateSubmitted, models.VisibilityPublic)
		e.do("GET", "/api/v1/me/badge", e.delegateToken(pending), nil).want(t, 403)
		e.do("GET", "/api/v1/me/badge.pdf", e.delegateToken(pending), nil).want(t, 403)
		pdf := e.do("GET", "/api/v1/me/badge.pdf", w.tB, nil).want(t, 200)
		if ct := pdf.Header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(string(pdf.Body), "%PDF-") || len(pdf.Body) < 1000 {
			t.Errorf("badge.pdf: %s, %d bytes", ct, len(pdf.Body))
		}

		checkins := "/api/v1/conferences/" + w.conf.Slug + "/checkins"
		e.do("POST", checkins, w.tA, map[string]any{"code": code}).want(t, 403)
		e.do("POST", checkins, "", map[string]any{"code": code}).want(t, 401)
		r := e.do("POST", checkins, w.rev, map[string]any{"code": code}).want(t, 200).json(t)
		if r["delegate_id"] != w.signer.ID || r["first_time"] != true || r["display_name"] != w.signer.DisplayName {
			t.Errorf("check-in: got %v", r)
		}
		typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
		if r := e.do("POST", checkins, w.org, map[string]any{"code": typed}).want(t, 200).json(t); r["first_time"] != false {
			t.Errorf("second check-in, typed in lower case: got %v", r)
		}
		unknown := e.do("POST", checkins, w.org, map[string]any{"code": "0000-0000-0000-0000"}).want(t, 404).json(t)
		if unknown["code"] != "not_found" || unknown["detail"] != "no such resource" {
			t.Errorf("unknown code: got %v", unknown)
		}
		e.do("POST", checkins, w.org, map[string]any{"code": "not a code"}).want(t, 404)
		e.do("POST", checkins, w.org, map[string]any{}).want(t, 422)
		// A delegate rejected after getting a badge is refused at the door.
		late := e.delegate(w.conf, w.orgB, "Later rejected", models.DelegateApproved, models.VisibilityPublic)
		lateCode := e.do("GET", "/api/v1/me/badge", e.delegateToken(late), nil).want(t, 200).json(t)["checkin_code"]
		e.do("POST", "/api/v1/delegates/"+late.ID+"/decision", w.org, map[string]any{"decision": "reject"}).want(t, 200)
		if r := e.do("POST", checkins, w.org, map[string]any{"code": lateCode}).want(t, 409).json(t); r["code"] != "not_approved" {
			t.Errorf("rejected delegate's code: got %v", r)
		}
		// The other conference does not know the code.
		other := e.conference()
		e.do("POST", "/api/v1/conferences/"+other.Slug+"/checkins", w.org, map[string]any{"code": code}).want(t, 404)
	})
}

func TestCheckInIsRateLimited(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	tok := e.staffToken("reviewer")
	limited := 0
	for i := 0; i < 60; i++ {
		if r := e.do("POST", "/api/v1/conferences/"+c.Slug+"/checkins", tok, map[string]any{"code": "0000-0000-0000-0000"}); r.Code == 429 {
			limited++
		} else if r.Code != 404 {
			t.Fatalf("guess %d: status %d", i, r.Code)
		}
	}
	if limited == 0 {
		t.Error("60 guesses in a row were never rate limited")
	}
}

func TestPresenceCountsAndAlternates(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		ctx := context.Background()
		remote := e.delegate(w.conf, w.orgB, "Remote alternate", models.DelegateApproved, models.VisibilityPublic)
		remote.Attendance = models.AttendRemote
		if err := e.st.UpdateDelegate(ctx, remote); err != nil {
			t.Fatal(err)
		}
		tRemote := e.delegateToken(remote)
		e.do("PUT", "/api/v1/conferences/"+w.conf.Slug+"/organisations/"+w.orgB.ID+"/delegation", w.org, map[string]any{"voting_mandates": 2,
			"members": []any{map[string]any{"delegate_id": w.signer.ID, "role": "head"}, map[string]any{"delegate_id": remote.ID, "role": "alternate"},
				map[string]any{"delegate_id": w.signer2.ID, "role": "member"}}}).want(t, 200)
		presence := "/api/v1/conferences/" + w.conf.Slug + "/presence"
		e.do("GET", presence, w.tA, nil).want(t, 403)
		count := func() map[string]any { return e.do("GET", presence, w.rev, nil).want(t, 200).json(t) }
		if p := count(); p["delegates_present"] != float64(0) || p["organisations_present"] != float64(0) || p["voting_mandates_present"] != float64(0) {
			t.Errorf("nobody present: got %v", p)
		}
		e.do("POST", "/api/v1/me/presence", w.tA, nil).want(t, 409) // in person: checked in at the desk
		e.do("POST", "/api/v1/me/presence", tRemote, nil).want(t, 200)
		if p := count(); p["delegates_present"] != float64(1) || p["organisations_present"] != float64(1) || p["voting_mandates_present"] != float64(1) {
			t.Errorf("a remote alternate: got %v", p)
		}
		// The alternate votes while the head is away, not once the head is in the hall.
		ballot := func() string {
			return e.do("POST", "/api/v1/conferences/"+w.conf.Slug+"/ballots", w.org, map[string]any{"kind": "motion", "question": "Q", "weighting": "organisation"}).want(t, 201).json(t)["id"].(string)
		}
		e.do("POST", "/api/v1/ballots/"+ballot()+"/votes", tRemote, map[string]any{"choice": "yes"}).want(t, 201)
		code := e.do("GET", "/api/v1/me/badge", w.tB, nil).want(t, 200).json(t)["checkin_code"]
		e.do("POST", "/api/v1/conferences/"+w.conf.Slug+"/checkins", w.rev, map[string]any{"code": code}).want(t, 200)
		if p := count(); p["delegates_present"] != float64(2) || p["organisations_present"] != float64(1) || p["voting_mandates_present"] != float64(2) {
			t.Errorf("head and alternate: got %v", p)
		}
		second := ballot()
		e.do("POST", "/api/v1/ballots/"+second+"/votes", tRemote, map[string]any{"choice": "yes"}).want(t, 403)
		e.do("POST", "/api/v1/ballots/"+second+"/votes", w.tB, map[string]any{"choice": "yes"}).want(t, 201)
		e.do("DELETE", "/api/v1/me/presence", tRemote, nil).want(t, 204)
		if p := count(); p["delegates_present"] != float64(1) {
			t.Errorf("after the alternate left: got %v", p)
		}
	})
}
