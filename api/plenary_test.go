package api

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// setOrgStatus moves an organisation to status directly in the store.
func setOrgStatus(t *testing.T, e *testEnv, o *models.Organisation, status models.OrganisationStatus) {
	t.Helper()
	o.Status = status
	if err := e.st.UpdateOrganisation(context.Background(), o); err != nil {
		t.Fatal(err)
	}
}

func TestUnverifiedOrganisationIsRefusedEverywhere(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		for _, status := range []models.OrganisationStatus{models.OrgRejected, models.OrgProposed} {
			o := e.organisation(w.conf, "Unverified "+string(status), true, 10)
			setOrgStatus(t, e, o, status)
			pending := e.delegate(w.conf, o, "Pending", models.DelegateSubmitted, models.VisibilityPublic)
			r := e.do("POST", "/api/v1/delegates/"+pending.ID+"/decision", w.org, map[string]any{"decision": "approve"}).want(t, 409)
			if code := r.json(t)["code"]; code != "organisation_not_verified" {
				t.Errorf("%s: approval code %v, want organisation_not_verified", status, code)
			}
			// Someone approved before this version (the migration leaves them): refused all the same.
			old := e.delegate(w.conf, o, "Approved before", models.DelegateApproved, models.VisibilityPublic)
			tok := e.delegateToken(old)
			id := w.accepted(t, "Refused "+string(status))
			r = e.do("POST", "/api/v1/statements/"+id+"/cosignatures", tok, map[string]any{"named": true}).want(t, 409)
			if code := r.json(t)["code"]; code != "organisation_not_verified" {
				t.Errorf("%s: co-signing code %v, want organisation_not_verified", status, code)
			}
			b := e.do("POST", "/api/v1/conferences/"+w.conf.Slug+"/ballots", w.org, map[string]any{"kind": "motion", "question": "Ceasefire now?"}).want(t, 201).json(t)
			r = e.do("POST", "/api/v1/ballots/"+b["id"].(string)+"/votes", tok, map[string]any{"choice": "yes"}).want(t, 409)
			if code := r.json(t)["code"]; code != "organisation_not_verified" {
				t.Errorf("%s: vote code %v, want organisation_not_verified", status, code)
			}
			e.do("POST", "/api/v1/statements/"+id+"/ballot", w.org, nil).want(t, 201)
			e.do("POST", "/api/v1/statements/"+id+"/votes", tok, map[string]any{"choice": "yes"}).want(t, 409)
			closed := e.do("POST", "/api/v1/ballots/"+b["id"].(string)+"/close", w.org, nil).want(t, 200).json(t)
			if closed["votes_cast"] != float64(0) {
				t.Errorf("%s: refused votes were counted: %v", status, closed)
			}
		}
	})
}

func TestDelegationIsTheCredentialsDecision(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		alt := e.delegate(w.conf, w.orgB, "Alternate", models.DelegateApproved, models.VisibilityPublic)
		mem := e.delegate(w.conf, w.orgB, "Member", models.DelegateApproved, models.VisibilityPublic)
		path := "/api/v1/conferences/" + w.conf.Slug + "/organisations/" + w.orgB.ID + "/delegation"
		e.do("GET", path, w.rev, nil).want(t, 403)
		e.do("PUT", path, w.tB, map[string]any{}).want(t, 403)
		if got := e.do("GET", path, w.org, nil).want(t, 200).json(t); got["voting_mandates"] != float64(1) || len(got["members"].([]any)) != 0 {
			t.Errorf("empty delegation: got %v", got)
		}
		member := func(d *models.Delegate, role string) map[string]any {
			return map[string]any{"delegate_id": d.ID, "role": role}
		}
		// Two voting delegates for one mandate; a delegate of another organisation; an unknown role.
		for _, bad := range []map[string]any{
			{"members": []any{member(w.signer, "head"), member(w.signer2, "voting")}},
			{"members": []any{member(w.author, "member")}},
			{"members": []any{member(w.signer, "president")}},
			{"voting_mandates": 0, "members": []any{}},
		} {
			e.do("PUT", path, w.org, bad).want(t, 422)
		}
		r := e.do("PUT", path, w.org, map[string]any{"voting_mandates": 2, "members": []any{
			member(w.signer, "head"), member(w.signer2, "voting"), member(alt, "alternate"), member(mem, "member")}}).want(t, 200).json(t)
		if r["voting_mandates"] != float64(2) || len(r["members"].([]any)) != 4 || r["members"].([]any)[0].(map[string]any)["role"] != "head" {
			t.Fatalf("delegation: got %v", r)
		}
		mine := e.do("GET", "/api/v1/me/delegation", e.delegateToken(alt), nil).want(t, 200).json(t)
		if mine["role"] != "alternate" || mine["organisation"] != w.orgB.Name {
			t.Errorf("/me/delegation: got %v", mine)
		}
		e.do("GET", "/api/v1/me/delegation", e.delegateToken(e.delegate(w.conf, nil, "Observer", models.DelegateApproved, models.VisibilityPublic)), nil).want(t, 404)
		mails := 0
		for _, m := range e.outbox(w.conf) {
			if m.Template == "credentials" {
				mails++
			}
		}
		if mails != 4 {
			t.Errorf("credentials mails: got %d, want one per member (4)", mails)
		}
		ev, err := e.st.ListAudit(context.Background(), models.AuditFilter{Action: "delegation.set"})
		if err != nil || len(ev) != 1 || ev[0].TargetID != w.orgB.ID {
			t.Errorf("audit: got %+v, %v", ev, err)
		}
		// Who casts the organisation's vote: the head or a voting delegate; the alternate only when
		// none of them is present; a plain member never.
		b := e.do("POST", "/api/v1/conferences/"+w.conf.Slug+"/ballots", w.org, map[string]any{"kind": "motion", "question": "Q?", "weighting": "organisation"}).want(t, 201).json(t)
		votes := "/api/v1/ballots/" + b["id"].(string) + "/votes"
		r = e.do("POST", votes, e.delegateToken(mem), map[string]any{"choice": "yes"}).want(t, 403).json(t)
		if r["code"] != "no_voting_right" {
			t.Errorf("member vote: got %v", r)
		}
		e.do("POST", votes, e.delegateToken(alt), map[string]any{"choice": "yes"}).want(t, 201) // nobody checked in yet
		e.do("POST", votes, w.tB2, map[string]any{"choice": "no"}).want(t, 409)
		// Removing a member mails them too.
		e.do("PUT", path, w.org, map[string]any{"members": []any{member(w.signer, "head")}}).want(t, 200)
		mails = 0
		for _, m := range e.outbox(w.conf) {
			if m.Template == "credentials" {
				mails++
			}
		}
		if mails != 7 {
			t.Errorf("credentials mails after removing three: got %d, want 7", mails)
		}
	})
}

// plenaryWorld is a conference with four verified organisations of two approved delegates each,
// and a rejected one whose delegate is not counted.
type plenaryWorld struct {
	*stmtWorld
	orgs   []*models.Organisation
	voters [][]string // tokens by organisation
}

func newPlenaryWorld(t *testing.T, e *testEnv) *plenaryWorld {
	t.Helper()
	w := &plenaryWorld{stmtWorld: &stmtWorld{e: e, conf: e.conference()}}
	w.org = e.staffToken("organiser")
	for i := 0; i < 4; i++ {
		o := e.organisation(w.conf, fmt.Sprintf("Org %d", i), true, 10)
		w.orgs = append(w.orgs, o)
		w.voters = append(w.voters, []string{
			e.delegateToken(e.delegate(w.conf, o, fmt.Sprintf("D%d-1", i), models.DelegateApproved, models.VisibilityPublic)),
			e.delegateToken(e.delegate(w.conf, o, fmt.Sprintf("D%d-2", i), models.DelegateApproved, models.VisibilityPublic)),
		})
	}
	bad := e.organisation(w.conf, "Rejected", true, 10)
	setOrgStatus(t, e, bad, models.OrgRejected)
	e.delegate(w.conf, bad, "Not counted", models.DelegateApproved, models.VisibilityPublic)
	return w
}

func TestBallotOutcomes(t *testing.T) {
	// Eligible: 4 organisations, or 8 delegates. Votes are cast in order by the first delegate of
	// each organisation (organisation weighting) or by each delegate in turn (delegate weighting).
	y, n, a := "yes", "no", "abstain"
	cases := []struct {
		rule, weighting string
		quorum          float64
		votes           []string
		want            string
	}{
		{"simple", "organisation", 0, []string{y, y, n}, "adopted"},
		{"simple", "organisation", 0, []string{y, n, a}, "rejected"},
		{"simple", "delegate", 0, []string{y, y, n, a, a, a}, "adopted"},
		{"simple", "delegate", 0, []string{a, a, a}, "rejected"},
		{"absolute", "organisation", 0, []string{y, y, n, a}, "rejected"}, // 2 of 4 is not more than half
		{"absolute", "organisation", 0, []string{y, y, y, a}, "adopted"},
		{"absolute", "delegate", 0, []string{y, y, y, n, a, a}, "rejected"},
		{"absolute", "delegate", 0, []string{y, y, y, y, n, a, a}, "adopted"},
		{"two_thirds", "organisation", 0, []string{y, y, n}, "adopted"}, // exactly two thirds
		{"two_thirds", "organisation", 0, []string{y, n, a, a}, "rejected"},
		{"two_thirds", "delegate", 0, []string{y, y, y, y, y, n, n, n}, "rejected"}, // 5/8 < 2/3
		{"two_thirds", "delegate", 0, []string{y, y, y, y, y, y, n, n}, "adopted"},
		{"simple", "organisation", 0.5, []string{y}, "no_quorum"},
		{"simple", "organisation", 0.5, []string{y, a}, "adopted"},
		{"absolute", "organisation", 0.75, []string{y, y}, "no_quorum"},
		{"two_thirds", "organisation", 1, []string{y, y, y, y}, "adopted"},
		{"simple", "delegate", 0.75, []string{y, y, y, y, y}, "no_quorum"},
		{"simple", "delegate", 0.75, []string{n, n, y, y, y, y}, "adopted"},
		{"absolute", "delegate", 0.5, []string{y, y, y}, "no_quorum"},
		{"two_thirds", "delegate", 0.5, []string{y, y, y, a}, "adopted"},
	}
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newPlenaryWorld(t, e)
		for _, c := range cases {
			name := fmt.Sprintf("%s/%s/q%.2f/%s", c.rule, c.weighting, c.quorum, strings.Join(c.votes, ","))
			b := e.do("POST", "/api/v1/conferences/"+w.conf.Slug+"/ballots", w.org, map[string]any{
				"kind": "motion", "question": name, "rule": c.rule, "weighting": c.weighting, "quorum": c.quorum}).want(t, 201).json(t)
			want := map[string]float64{"organisation": 4, "delegate": 8}[c.weighting]
			if b["eligible"] != want || b["status"] != "open" || b["secret"] != true {
				t.Fatalf("%s: opened %v, want %v eligible", name, b, want)
			}
			id := b["id"].(string)
			for i, v := range c.votes {
				tok := w.voters[i%4][0]
				if c.weighting == "delegate" {
					tok = w.voters[i/2][i%2]
				}
				e.do("POST", "/api/v1/ballots/"+id+"/votes", tok, map[string]any{"choice": v}).want(t, 201)
			}
			r := e.do("POST", "/api/v1/ballots/"+id+"/close", w.org, nil).want(t, 200).json(t)
			res := r["result"].(map[string]any)
			if res["outcome"] != c.want || r["votes_cast"] != float64(len(c.votes)) {
				t.Errorf("%s: got %v (%v votes), want %s", name, res, r["votes_cast"], c.want)
			}
		}
	})
}

func TestElectionAndBadVotes(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newPlenaryWorld(t, e)
		slug := w.conf.Slug
		e.do("POST", "/api/v1/conferences/"+slug+"/ballots", w.org, map[string]any{"kind": "election", "candidates": []string{"Rosa"}, "seats": 2}).want(t, 422)
		e.do("POST", "/api/v1/conferences/"+slug+"/ballots", w.org, map[string]any{"kind": "motion"}).want(t, 422)
		e.do("POST", "/api/v1/conferences/"+slug+"/ballots", w.org, map[string]any{"kind": "motion", "question": "Q", "rule": "most"}).want(t, 422)
		e.do("POST", "/api/v1/conferences/"+slug+"/ballots", w.voters[0][0], map[string]any{"kind": "motion", "question": "Q"}).want(t, 403)
		b := e.do("POST", "/api/v1/conferences/"+slug+"/ballots", w.org, map[string]any{
			"kind": "election", "candidates": []string{"Rosa", "Clara", "Angelica"}, "seats": 2, "weighting": "delegate"}).want(t, 201).json(t)
		id := b["id"].(string)
		cand := map[string]string{}
		for _, c := range b["candidates"].([]any) {
			cand[c.(map[string]any)["name"].(string)] = c.(map[string]any)["id"].(string)
		}
		votes := "/api/v1/ballots/" + id + "/votes"
		rosa, clara, angelica := cand["Rosa"], cand["Clara"], cand["Angelica"]
		e.do("POST", votes, w.voters[0][0], map[string]any{"choices": []string{rosa, clara, angelica}}).want(t, 422) // more than seats
		e.do("POST", votes, w.voters[0][0], map[string]any{"choices": []string{rosa, rosa}}).want(t, 422)
		e.do("POST", votes, w.voters[0][0], map[string]any{"choices": []string{models.NewID()}}).want(t, 422)
		e.do("POST", votes, w.voters[0][0], map[string]any{"choice": "yes"}).want(t, 422)
		e.do("POST", votes, w.org, map[string]any{"choices": []string{rosa}}).want(t, 403)
		for i, ch := range [][]string{{rosa, clara}, {rosa}, {clara, angelica}, {rosa, angelica}, {angelica}} {
			e.do("POST", votes, w.voters[i/2][i%2], map[string]any{"choices": ch}).want(t, 201)
		}
		r := e.do("POST", votes, w.voters[0][0], map[string]any{"choices": []string{clara}}).want(t, 409).json(t)
		if r["code"] != "already_voted" {
			t.Errorf("second vote: got %v", r)
		}
		if got := e.do("GET", "/api/v1/ballots/"+id, w.voters[3][1], nil).want(t, 200).json(t); got["result"] != nil || got["votes_cast"] != float64(5) {
			t.Errorf("open ballot shows %v", got)
		}
		closed := e.do("POST", "/api/v1/ballots/"+id+"/close", w.org, nil).want(t, 200).json(t)
		res := closed["result"].(map[string]any)
		elected := res["elected"].([]any)
		// Rosa 3, Angelica 3, Clara 2: the two seats go to Rosa and Angelica.
		if res["outcome"] != "adopted" || len(elected) != 2 || !slices.Contains(elected, any(rosa)) || !slices.Contains(elected, any(angelica)) {
			t.Errorf("election: got %v", res)
		}
		e.do("POST", votes, w.voters[3][1], map[string]any{"choices": []string{clara}}).want(t, 409)
		e.do("POST", "/api/v1/ballots/"+id+"/close", w.org, nil).want(t, 409)
		// The result goes to the delegations: the 8 delegates of the verified organisations.
		mailed := 0
		for _, m := range e.outbox(w.conf) {
			if m.Template == "ballot_result" {
				mailed++
				if !strings.Contains(string(m.Data), "Rosa") || strings.Contains(string(m.Data), "Clara") {
					t.Errorf("result mail data %s", m.Data)
				}
			}
		}
		if mailed != 8 {
			t.Errorf("result mails: got %d, want 8", mailed)
		}
		if got := e.do("GET", "/api/v1/ballots/"+id, w.voters[3][1], nil).want(t, 200).json(t); got["result"].(map[string]any)["counts"].(map[string]any)[rosa] != float64(3) {
			t.Errorf("closed election counts: got %v", got)
		}
		other := e.conference()
		e.do("GET", "/api/v1/ballots/"+id, e.delegateToken(e.delegate(other, nil, "Elsewhere", models.DelegateApproved, models.VisibilityPublic)), nil).want(t, 404)
	})
}

func TestAdoptedAmendmentBecomesAStatementVersion(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		id := w.accepted(t, "Amend me")
		am := e.do("POST", "/api/v1/statements/"+id+"/amendments", w.tB, map[string]any{"paragraph": 2, "text": "All armies must go home.", "rationale": "Broader."}).want(t, 201).json(t)
		b := e.do("POST", "/api/v1/conferences/"+w.conf.Slug+"/ballots", w.org, map[string]any{"kind": "amendment", "subject_id": am["id"]}).want(t, 201).json(t)
		for _, tok := range []string{w.tA, w.tB} {
			e.do("POST", "/api/v1/ballots/"+b["id"].(string)+"/votes", tok, map[string]any{"choice": "yes"}).want(t, 201)
		}
		e.do("POST", "/api/v1/ballots/"+b["id"].(string)+"/close", w.org, nil).want(t, 200)
		st := e.do("GET", "/api/v1/statements/"+id, w.org, nil).want(t, 200).json(t)
		if st["version"] != float64(2) || !strings.Contains(st["body"].(string), "All armies must go home.") {
			t.Errorf("statement after the adopted amendment: version %v, body %q", st["version"], st["body"])
		}
	})
}

func TestSecretElectionStoresNoLinkBetweenVoterAndChoice(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			for _, secret := range []bool{true, false} {
				raw := openRaw(t, dialect)
				e := newEnv(t, raw.st)
				w := newStmtWorld(t, e)
				b := e.do("POST", "/api/v1/conferences/"+w.conf.Slug+"/ballots", w.org, map[string]any{
					"kind": "election", "candidates": []string{"Rosa", "Clara"}, "weighting": "delegate", "secret": secret}).want(t, 201).json(t)
				var cands []string
				for _, c := range b["candidates"].([]any) {
					cands = append(cands, c.(map[string]any)["id"].(string))
				}
				voters := []string{}
				for i, d := range []*models.Delegate{w.author, w.signer, w.hidden} {
					e.do("POST", "/api/v1/ballots/"+b["id"].(string)+"/votes", e.delegateToken(d), map[string]any{"choices": []string{cands[i%2]}}).want(t, 201)
					voters = append(voters, d.ID, "del:"+d.ID)
				}
				e.do("POST", "/api/v1/ballots/"+b["id"].(string)+"/close", w.org, nil).want(t, 200)
				linked := raw.linkedRows(t, voters, cands)
				switch {
				case secret && len(linked) > 0:
					t.Errorf("secret election: rows link a voter to a candidate:\n%s", strings.Join(linked, "\n"))
				case !secret && len(linked) != 3:
					t.Errorf("open election: got %d linked rows, want 3", len(linked))
				}
			}
		})
	}
}
