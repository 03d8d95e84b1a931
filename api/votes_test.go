package api

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// hammer sends n votes at once, the i-th with token toks[i%len(toks)], and counts the statuses.
func hammer(e *testEnv, path string, toks []string, n int) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	codes := map[int]int{}
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(tok string, choice models.VoteChoice) {
			defer wg.Done()
			<-start
			r := e.do("POST", path, tok, `{"choice":"`+string(choice)+`"}`)
			mu.Lock()
			codes[r.Code]++
			mu.Unlock()
		}(toks[i%len(toks)], models.Choices[i%3])
	}
	close(start)
	wg.Wait()
	return codes
}

func TestOrganisationCannotVoteTwice(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		id := w.accepted(t, "One organisation, one vote")
		st := "/api/v1/statements/" + id
		e.do("POST", st+"/votes", w.tB, map[string]any{"choice": "yes"}).want(t, 409) // no ballot yet
		e.do("POST", st+"/ballot", w.org, map[string]any{"secret": false}).want(t, 201)
		e.do("POST", st+"/ballot", w.org, map[string]any{"secret": true}).want(t, 409)

		// Ten delegates of organisation B try 100 times at once: exactly one vote counts.
		toks := []string{w.tB, w.tB2}
		for i := 0; i < 8; i++ {
			toks = append(toks, e.delegateToken(e.delegate(w.conf, w.orgB, fmt.Sprintf("B%d", i), models.DelegateApproved, models.VisibilityPublic)))
		}
		codes := hammer(e, st+"/votes", toks, 100)
		if codes[201] != 1 || codes[409] != 99 || len(codes) != 2 {
			t.Fatalf("100 concurrent votes of one organisation: got statuses %v, want one 201 and 99 409", codes)
		}
		e.do("POST", st+"/votes", w.tB, map[string]any{"choice": "no"}).want(t, 409)
		votes, err := e.st.BallotVotes(context.Background(), openBallot(t, e, id).ID)
		if err != nil || len(votes) != 1 || votes[0].VoterKey != "org:"+w.orgB.ID {
			t.Fatalf("vote rows: got %+v (%v), want one for org:%s", votes, err, w.orgB.ID)
		}
		res := e.do("POST", st+"/ballot/close", w.org, nil).want(t, 200).json(t)
		if res["votes_cast"] != float64(1) {
			t.Errorf("votes cast: got %v, want 1", res["votes_cast"])
		}
	})
}

func TestDelegateVoteRuleCountsEachDelegateOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		w := newStmtWorld(t, e)
		e.do("PATCH", "/api/v1/conferences/"+w.conf.Slug, w.org, map[string]any{"vote_rule": "delegate"}).want(t, 200)
		id := w.accepted(t, "One delegate, one vote")
		st := "/api/v1/statements/" + id
		e.do("POST", st+"/ballot", w.org, map[string]any{"secret": true}).want(t, 201)
		codes := hammer(e, st+"/votes", []string{w.tB, w.tB2}, 100)
		if codes[201] != 2 || codes[409] != 98 || len(codes) != 2 {
			t.Fatalf("100 concurrent votes of two delegates: got statuses %v, want two 201 and 98 409", codes)
		}
		// An observer without an organisation votes under this rule only if they are a delegate.
		obs := e.delegate(w.conf, nil, "Observer", models.DelegateApproved, models.VisibilityPublic)
		e.do("POST", st+"/votes", e.delegateToken(obs), map[string]any{"choice": "yes"}).want(t, 201)
		pending := e.delegate(w.conf, w.orgB, "Not yet approved", models.DelegateSubmitted, models.VisibilityPublic)
		e.do("POST", st+"/votes", e.delegateToken(pending), map[string]any{"choice": "yes"}).want(t, 403)
		res := e.do("POST", st+"/ballot/close", w.org, nil).want(t, 200).json(t)
		if res["votes_cast"] != float64(3) || res["secret"] != true || res["roll_call"] != nil {
			t.Errorf("closed secret ballot: got %v, want 3 votes and no roll call", res)
		}
	})
}

// openBallot returns the statement's open ballot.
func openBallot(t *testing.T, e *testEnv, statementID string) *models.Ballot {
	t.Helper()
	b, err := e.st.OpenBallotOf(context.Background(), statementID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawDB opens a store and a plain database/sql handle on the same database, so a test can read
// every table as a seizing party would.
type rawDB struct {
	st *models.Store
	db *sql.DB
	// tables lists the user tables.
	tables string
}

func openRaw(t *testing.T, dialect string) rawDB {
	t.Helper()
	ctx := context.Background()
	opts, driver, dsn := models.Options{}, "", ""
	tables := ""
	if dialect == "sqlite" {
		opts.SQLitePath = filepath.Join(t.TempDir(), "zimmerwald.db")
		driver, dsn = "sqlite3", "file:"+opts.SQLitePath+"?mode=ro"
		tables = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	} else {
		opts.DatabaseURL = modelstest.PostgresURL(t)
		driver, dsn = "pgx", opts.DatabaseURL
		tables = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	st, err := models.Open(ctx, opts, modelstest.Box(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return rawDB{st: st, db: db, tables: tables}
}

// linkedRows returns, for every table, the rows that hold both one of voters and one of choices.
func (r rawDB) linkedRows(t *testing.T, voters, choices []string) []string {
	t.Helper()
	rows, err := r.db.Query(r.tables)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	if len(names) < 10 {
		t.Fatalf("found only tables %v", names)
	}
	in := func(v string, set []string) bool {
		for _, s := range set {
			if v == s || strings.Contains(v, s) && len(s) > 8 {
				return true
			}
		}
		return false
	}
	var linked []string
	for _, table := range names {
		rs, err := r.db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			voter, choice := false, false
			for _, v := range vals {
				var s string
				switch x := v.(type) {
				case []byte:
					s = string(x)
				case string:
					s = x
				default:
					continue
				}
				voter = voter || in(s, voters)
				choice = choice || in(s, choices)
			}
			if voter && choice {
				linked = append(linked, fmt.Sprintf("%s: %v", table, vals))
			}
		}
		rs.Close()
	}
	return linked
}

func TestSecretBallotStoresNoLinkBetweenVoterAndChoice(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			for _, secret := range []bool{true, false} {
				raw := openRaw(t, dialect)
				e := newEnv(t, raw.st)
				w := newStmtWorld(t, e)
				if secret {
					e.do("PATCH", "/api/v1/conferences/"+w.conf.Slug, w.org, map[string]any{"vote_rule": "delegate"}).want(t, 200)
				}
				id := w.accepted(t, "Secret or not")
				st := "/api/v1/statements/" + id
				e.do("POST", st+"/ballot", w.org, map[string]any{"secret": secret}).want(t, 201)
				voters := []string{}
				for i, tok := range []string{w.tA, w.tB, w.tC, w.tA2} {
					want := 201
					if i == 3 && !secret {
						want = 409 // one vote per organisation on the open ballot
					}
					e.do("POST", st+"/votes", tok, map[string]any{"choice": []string{"yes", "no", "abstain", "no"}[i]}).want(t, want)
				}
				for _, d := range []*models.Delegate{w.author, w.colleague, w.signer, w.hidden} {
					voters = append(voters, d.ID, "del:"+d.ID)
				}
				for _, o := range []*models.Organisation{w.orgA, w.orgB, w.orgC} {
					voters = append(voters, o.ID, "org:"+o.ID)
				}
				res := e.do("POST", st+"/ballot/close", w.org, nil).want(t, 200).json(t)
				linked := raw.linkedRows(t, voters, models.Strings(models.Choices))
				switch {
				case secret && len(linked) > 0:
					t.Errorf("secret ballot: rows link a voter to a choice:\n%s", strings.Join(linked, "\n"))
				case secret && (res["yes"] != float64(1) || res["no"] != float64(2) || res["abstain"] != float64(1)):
					t.Errorf("secret ballot: got counts %v, want 1 yes, 2 no, 1 abstain", res)
				case !secret && len(linked) != 3:
					// The control: an open ballot does link them, so the scan can see a link.
					t.Errorf("open ballot: got %d linked rows, want 3 (one per organisation)", len(linked))
				}
			}
		})
	}
}
