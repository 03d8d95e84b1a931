package api

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// Access levels of routes, written here independently of routes.go.
const (
	public    = "public"    // everyone, logged in or not
	anyone    = "anyone"    // any logged-in principal; the handler decides per record
	delegates = "delegate"  // delegates logged in through a one-time link
	staffAny  = "staff"     // admin, organiser, reviewer
	reviewing = "reviewers" // admin, organiser, reviewer (review actions)
	organise  = "organisers"
	admins    = "admin"
	exporting = "export"  // staff with the bulk-export permission (here: the admin)
	writers   = "writers" // delegates, organisers and admins: reviewers only review
)

// accessTable is the expected access level of every route. A route missing here fails the test,
// so every new route has to be classified.
var accessTable = map[string]string{
	"GET /healthz": public, "GET /readyz": public, "GET /api/openapi.yaml": public, "GET /metrics": public,
	"GET /c/:slug/schedule.xml": public, "GET /c/:slug/schedule.json": public, "GET /c/:slug/agenda.ics": public,
	"GET /c/:slug/live/stream": public,
	"POST /api/v1/auth/login":  public, "POST /api/v1/auth/logout": anyone,
	"GET /api/v1/tokens": staffAny, "POST /api/v1/tokens": staffAny, "DELETE /api/v1/tokens/:id": staffAny,
	"POST /api/v1/auth/totp": staffAny, "POST /api/v1/auth/totp/confirm": staffAny,
	"GET /api/v1/settings": admins, "PATCH /api/v1/settings": admins,
	"GET /api/v1/accounts": admins, "POST /api/v1/accounts": admins, "GET /api/v1/audit": admins,
	"PUT /api/v1/accounts/:id/roles": admins,
	"GET /api/v1/conferences":        public, "POST /api/v1/conferences": admins,
	"GET /api/v1/conferences/:slug": public, "PATCH /api/v1/conferences/:slug": organise,
	"GET /api/v1/conferences/:slug/organisations": public, "POST /api/v1/conferences/:slug/organisations": organise,
	"GET /api/v1/conferences/:slug/organisations/:id": public, "PATCH /api/v1/conferences/:slug/organisations/:id": organise,
	"POST /api/v1/auth/magic-link": public, "POST /api/v1/auth/magic-link/verify": public,
	"POST /api/v1/conferences/:slug/delegates": public, "POST /api/v1/delegates/confirm": public,
	"GET /api/v1/conferences/:slug/delegates": staffAny, "GET /api/v1/conferences/:slug/delegates.csv": exporting,
	"GET /api/v1/conferences/:slug/participants": public, "GET /api/v1/delegates/:id": staffAny,
	"POST /api/v1/delegates/:id/decision": organise,
	"GET /api/v1/me":                      delegates, "PATCH /api/v1/me": delegates, "DELETE /api/v1/me": delegates, "GET /api/v1/me/export": delegates,
	"POST /api/v1/me/feed": delegates, "DELETE /api/v1/me/feed": delegates, "GET /api/v1/feeds/:token/agenda.ics": public,
	"GET /api/v1/conferences/:slug/rooms": public, "POST /api/v1/conferences/:slug/rooms": organise,
	"PATCH /api/v1/rooms/:id": organise, "DELETE /api/v1/rooms/:id": organise,
	"GET /api/v1/conferences/:slug/sessions": public, "POST /api/v1/conferences/:slug/sessions": organise,
	"GET /api/v1/sessions/:id": public, "PATCH /api/v1/sessions/:id": organise, "DELETE /api/v1/sessions/:id": organise,
	"POST /api/v1/sessions/:id/attendance": delegates, "DELETE /api/v1/sessions/:id/attendance": delegates,
	"GET /api/v1/conferences/:slug/agenda/conflicts": organise,
	"GET /api/v1/conferences/:slug/agenda/releases":  public, "POST /api/v1/conferences/:slug/agenda/releases": organise,
	"GET /api/v1/conferences/:slug/agenda": public, "GET /api/v1/conferences/:slug/schedule.xml": public,
	"GET /api/v1/conferences/:slug/schedule.json": public, "GET /api/v1/conferences/:slug/agenda.ics": public,
	"GET /api/v1/conferences/:slug/statements": public, "POST /api/v1/conferences/:slug/statements": writers,
	"GET /api/v1/statements/:id": public, "PATCH /api/v1/statements/:id": anyone,
	"POST /api/v1/statements/:id/submit": anyone, "POST /api/v1/statements/:id/withdraw": anyone,
	"POST /api/v1/statements/:id/translations": anyone, "GET /api/v1/statements/:id/versions": public,
	"POST /api/v1/statements/:id/cosignatures": delegates, "DELETE /api/v1/statements/:id/cosignatures": delegates,
	"POST /api/v1/statements/:id/decision": reviewing, "GET /api/v1/statements/:id/comments": anyone,
	"POST /api/v1/statements/:id/comments": reviewing, "GET /api/v1/statements/:id/amendments": public,
	"POST /api/v1/statements/:id/amendments": delegates, "POST /api/v1/amendments/:id/decision": reviewing,
	"POST /api/v1/statements/:id/ballot": organise, "POST /api/v1/statements/:id/ballot/close": organise,
	"GET /api/v1/conferences/:slug/organisations/:id/delegation": organise, "PUT /api/v1/conferences/:slug/organisations/:id/delegation": organise,
	"GET /api/v1/me/delegation": delegates, "GET /api/v1/conferences/:slug/ballots": anyone, "POST /api/v1/conferences/:slug/ballots": organise,
	"GET /api/v1/ballots/:id": anyone, "POST /api/v1/ballots/:id/votes": delegates, "POST /api/v1/ballots/:id/close": organise,
	"GET /api/v1/me/badge": delegates, "GET /api/v1/me/badge.pdf": delegates, "POST /api/v1/me/presence": delegates, "DELETE /api/v1/me/presence": delegates,
	"POST /api/v1/conferences/:slug/checkins": staffAny, "GET /api/v1/conferences/:slug/presence": staffAny,
	"POST /api/v1/statements/:id/votes":           delegates,
	"GET /api/v1/conferences/:slug/announcements": organise, "POST /api/v1/conferences/:slug/announcements": organise,
	"POST /api/v1/conferences/:slug/announcements/preview": organise,
	"GET /api/v1/conferences/:slug/outbox":                 organise, "POST /api/v1/conferences/:slug/outbox/:id/retry": organise,
	"GET /api/v1/sessions/:id/items": public, "POST /api/v1/sessions/:id/items": organise, "PATCH /api/v1/items/:id": organise,
	"GET /api/v1/items/:id/speakers": public, "POST /api/v1/items/:id/speakers": delegates,
	"DELETE /api/v1/items/:id/speakers/me": delegates, "POST /api/v1/items/:id/speakers/next": organise,
	"POST /api/v1/items/:id/speakers/extend": organise, "POST /api/v1/items/:id/speakers/end": organise,
	"POST /api/v1/items/:id/speakers/close": organise, "POST /api/v1/items/:id/speakers/reopen": organise,
	"GET /api/v1/conferences/:slug/live": public, "GET /api/v1/conferences/:slug/live/stream": public,
}

// allowed reports whether a principal of role passes a route's access level (the handler may still
// refuse a particular record, which the per-feature tests cover).
func allowed(level, role string) bool {
	switch level {
	case public:
		return true
	case anyone:
		return role != "anonymous"
	case delegates:
		return role == "delegate"
	case staffAny, reviewing:
		return role == "admin" || role == "organiser" || role == "reviewer"
	case organise:
		return role == "admin" || role == "organiser"
	case admins, exporting:
		return role == "admin"
	case writers:
		return role == "delegate" || role == "organiser" || role == "admin"
	}
	panic("unknown level " + level)
}

// TestEveryRouteRoleMethod sends every route × role × method: anonymous callers of protected routes
// get 401, principals of the wrong role 403, allowed ones neither, and nobody ever a 5xx. Unknown
// record IDs are used so that record-level rules (tested per feature) do not interfere. An
// organiser and a reviewer of a second conference only (roles per conference) are refused like
// their role elsewhere, and get 404 from every staff route of the first conference.
func TestEveryRouteRoleMethod(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	other := e.conference()
	org := e.organisation(c, "Matrix Org", true, 0)
	tokens := map[string]string{"anonymous": "", "reviewer": e.staffToken("reviewer"),
		"organiser": e.staffToken("organiser"), "admin": e.staffToken("admin"),
		"organiser elsewhere": e.scopedToken(models.StaffOrganiser, other), "reviewer elsewhere": e.scopedToken(models.StaffReviewer, other)}
	param := regexp.MustCompile(`:[a-z]+`)
	seen := map[string]bool{}
	for _, r := range e.srv.engine.Routes() {
		key := r.Method + " " + r.Path
		seen[key] = true
		level, ok := accessTable[key]
		if !ok {
			t.Errorf("%s is not classified in accessTable", key)
			continue
		}
		if strings.HasSuffix(key, "/auth/logout") {
			continue // revokes the token the other rows use; covered by TestTokensExpireAndLogoutRevokes
		}
		if strings.HasSuffix(key, "/live/stream") {
			continue // public and never ends by itself; covered by TestLiveStream
		}
		path := param.ReplaceAllStringFunc(r.Path, func(p string) string {
			if p == ":slug" {
				return c.Slug
			}
			return models.NewID()
		})
		for _, role := range []string{"anonymous", "delegate", "reviewer", "organiser", "admin", "organiser elsewhere", "reviewer elsewhere"} {
			var body any
			if r.Method != "GET" && r.Method != "DELETE" {
				body = "{}"
			}
			token := tokens[role]
			if role == "delegate" { // a fresh one each time: some rows erase or withdraw the caller
				token = e.delegateToken(e.delegate(c, org, "Matrix Delegate", models.DelegateApproved, models.VisibilityPublic))
			}
			w := e.do(r.Method, path, token, body)
			got := w.Code
			if got >= 400 {
				var p Problem
				if err := json.Unmarshal(w.Body, &p); err != nil || p.Code == "" {
					t.Errorf("%s as %s: %d problem without a code: %s", key, role, got, w.Body)
				}
				if len(p.Errors) != len(p.ErrorCodes) {
					t.Errorf("%s as %s: errors %v but error_codes %v", key, role, p.Errors, p.ErrorCodes)
				}
			}
			if base, elsewhere := strings.CutSuffix(role, " elsewhere"); elsewhere {
				lv := level
				if lv == exporting { // the accounts of another conference may export
					lv = organise
				}
				switch {
				case got >= 500:
					t.Errorf("%s as %s: got %d", key, role, got)
				case !allowed(lv, base) && got != 403:
					t.Errorf("%s as %s: got %d, want 403 (level %s)", key, role, got, lv)
				case allowed(lv, base) && lv != public && lv != anyone && lv != writers && strings.Contains(r.Path, ":slug") &&
					got != 404 && !(r.Method != "GET" && (got == 400 || got == 422)):
					t.Errorf("%s as %s: got %d, want 404: another conference's staff side does not exist for it", key, role, got)
				case allowed(lv, base) && got >= 200 && got < 300 && strings.Contains(r.Path, ":slug") && lv != public && lv != anyone && lv != writers:
					t.Errorf("%s as %s: got %d", key, role, got)
				}
				continue
			}
			switch {
			case got >= 500:
				t.Errorf("%s as %s: got %d", key, role, got)
			case allowed(level, role) && (got == 401 || got == 403):
				t.Errorf("%s as %s: got %d, want access (level %s)", key, role, got, level)
			case !allowed(level, role) && role == "anonymous" && got != 401:
				t.Errorf("%s as anonymous: got %d, want 401", key, got)
			case !allowed(level, role) && role != "anonymous" && got != 403:
				t.Errorf("%s as %s: got %d, want 403 (level %s)", key, role, got, level)
			}
		}
	}
	for key := range accessTable {
		if !seen[key] {
			t.Errorf("accessTable names %s, which is not a route", key)
		}
	}
	if t.Failed() {
		t.Logf("%d routes checked", len(seen))
	}
}
