package api

import (
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"olga@example.org":       "o***@e***.org",
		"x@mail.co.uk":           "x***@m***.uk",
		"Ярослава@пошта.укр":     "Я***@п***.укр",
		"root@localhost":         "r***@l***",
		"":                       "***",
		"no-at-sign":             "***",
		"@example.org":           "***",
		"trailing@":              "***",
		"a.b+tag@sub.example.ch": "a***@s***.ch",
	} {
		if got := maskEmail(in); got != want {
			t.Errorf("maskEmail(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestOutboxViewMasksRecipientsAndIsAudited(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		conf := e.conference()
		emails := []string{"olga.petrova@example.org", "hanna@mail.example.de", "taras@ukr.example.net"}
		for _, addr := range emails {
			e.annDelegates(conf, annDelegate{email: addr})
		}
		org := e.staffToken("organiser")
		e.announce(org, conf, map[string]any{})
		base := "/api/v1/conferences/" + conf.Slug + "/outbox"
		r := e.do("GET", base, org, nil).want(t, 200)
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", r.Header.Get("Cache-Control"))
		}
		for _, addr := range emails {
			local := addr[:strings.IndexByte(addr, '@')]
			if strings.Contains(string(r.Body), local) || strings.Contains(string(r.Body), addr[strings.IndexByte(addr, '@'):]) {
				t.Errorf("the delivery view shows %s in part or whole: %s", addr, r.Body)
			}
		}
		var out outboxResponse
		r.decode(t, &out)
		if out.Counts[models.OutboxPending] != 3 || len(out.Items) != 3 {
			t.Fatalf("got counts %v and %d items, want 3 pending", out.Counts, len(out.Items))
		}
		masked := map[string]bool{}
		for _, it := range out.Items {
			masked[it.Recipient] = true
			if it.To != it.Recipient || it.State != models.OutboxPending || it.Template != "announcement" || it.NextAttemptAt == nil || it.SentAt != nil {
				t.Errorf("item %+v", it)
			}
		}
		for _, want := range []string{"o***@e***.org", "h***@m***.de", "t***@u***.net"} {
			if !masked[want] {
				t.Errorf("masked recipients %v lack %s", masked, want)
			}
		}
		if n := e.auditCount("outbox.read", conf.ID); n != 1 {
			t.Errorf("audit: got %d outbox.read events, want 1", n)
		}

		// Filters and pages.
		e.do("GET", base+"?state=sent", org, nil).want(t, 200).decode(t, &out)
		if len(out.Items) != 0 || out.Counts[models.OutboxPending] != 3 {
			t.Errorf("state=sent: %d items, counts %v", len(out.Items), out.Counts)
		}
		e.do("GET", base+"?limit=2", org, nil).want(t, 200).decode(t, &out)
		if len(out.Items) != 2 || out.NextCursor == "" {
			t.Fatalf("page 1: %d items, cursor %q", len(out.Items), out.NextCursor)
		}
		first := out.Items
		var next outboxResponse
		e.do("GET", base+"?limit=2&cursor="+out.NextCursor, org, nil).want(t, 200).decode(t, &next)
		if len(next.Items) != 1 || next.Items[0].ID == first[0].ID || next.Items[0].ID == first[1].ID {
			t.Errorf("page 2: %+v after %+v", next.Items, first)
		}
		for _, bad := range []string{"?state=lost", "?state=" + strings.Repeat("x", 300), "?limit=-1", "?limit=abc", "?cursor=bm90LWEtY3Vyc29y"} {
			if got := e.do("GET", base+bad, org, nil); got.Code != 400 {
				t.Errorf("GET outbox%s: got %d, want 400", bad, got.Code)
			}
		}
		// Retry answers: not an ID, unknown, not dead.
		e.do("POST", base+"/not-an-id/retry", org, nil).want(t, 404)
		e.do("POST", base+"/"+models.NewID()+"/retry", org, nil).want(t, 404)
		e.do("POST", base+"/"+first[0].ID+"/retry", org, "garbage{").want(t, 409)
	})
}
