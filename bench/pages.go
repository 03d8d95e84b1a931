package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// pagesSignups is how many sessions the bench delegate signs up for, so that their page lists
// some.
const pagesSignups = 8

// benchDelegate is an approved delegate with a delegate session, as a browser holds it.
type benchDelegate struct {
	name, token string
}

// delegateSession creates an approved delegate in the store, issues them a delegate session (what
// the one-time login link gives) and signs them up for the first `signups` sessions of the
// published agenda over the API.
func (in *instance) delegateSession(client *http.Client, agenda []byte, signups int) (*benchDelegate, error) {
	ctx := context.Background()
	d := &models.Delegate{ConferenceID: in.conf.ID, OrganisationID: &in.org.ID, Role: models.RoleDelegate, Status: models.DelegateApproved,
		DisplayName: "Bench Delegate", Email: "bench-delegate@example.org", Languages: models.StringList{"en", "de"},
		Attendance: models.AttendInPerson, Visibility: models.VisibilityParticipants, NotifyAnnouncements: true, NotifyAgenda: true}
	if err := in.store.CreateDelegate(ctx, d); err != nil {
		return nil, err
	}
	idle := time.Now().Add(in.cfg.SessionIdleTimeout)
	tok, err := in.store.IssueToken(ctx, &models.AuthToken{Kind: models.TokenDelegateSession, DelegateID: &d.ID,
		ExpiresAt: time.Now().Add(24 * time.Hour), IdleExpiresAt: &idle})
	if err != nil {
		return nil, err
	}
	var a struct{ Sessions []struct{ ID string } }
	if err := json.Unmarshal(agenda, &a); err != nil {
		return nil, fmt.Errorf("agenda: %w", err)
	}
	for _, s := range a.Sessions[:min(signups, len(a.Sessions))] {
		code, resp, _, err := in.call(client, "POST", "/api/v1/sessions/"+s.ID+"/attendance", tok, map[string]any{})
		if err != nil || code != http.StatusCreated {
			return nil, fmt.Errorf("sign up: %d %s %v", code, resp, err)
		}
	}
	return &benchDelegate{name: d.DisplayName, token: tok}, nil
}

// request returns a GET of url, with the delegate's session cookies when d is not nil.
func (d *benchDelegate) request(url string) *http.Request {
	req, _ := http.NewRequest("GET", url, nil)
	if d != nil {
		req.AddCookie(&http.Cookie{Name: "zw_session", Value: d.token})
		req.AddCookie(&http.Cookie{Name: "zw_kind", Value: "delegate"})
	}
	return req
}

// pageTarget is one address the pages figure reads, and what its answer must contain to count as
// the real page (not a login form or an error page answered with 200).
type pageTarget struct {
	name, path string
	delegate   *benchDelegate
	mustHave   string
	n          int // requests to send
}

// check fetches the target once and returns the size of its answer, or why it is not the page.
func (t pageTarget) check(in *instance, client *http.Client) (int, error) {
	resp, err := client.Do(t.delegate.request(in.url(t.path)))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(buf.Bytes(), []byte(t.mustHave)) {
		return 0, fmt.Errorf("%s %s: status %d (Location %q), %d bytes, want 200 with %q",
			t.name, t.path, resp.StatusCode, resp.Header.Get("Location"), buf.Len(), t.mustHave)
	}
	return buf.Len(), nil
}

// benchPages: the published agenda of 500 sessions read by 128 clients as JSON, as the agenda
// page, and the delegate's own page with a session cookie, in the same run; the pages as ratios of
// the JSON. Any answer other than 200 counts as an error.
func benchPages(scale float64) error {
	// The pages get a tenth of the JSON's requests: they are far slower, and a throughput needs
	// only enough requests to keep all clients busy for a while.
	n, pageN, clients := int(20000*scale), int(2000*scale), 128
	in, client, err := agendaServer(clients)
	if err != nil {
		return err
	}
	defer in.close()
	jsonPath := "/api/v1/conferences/" + in.conf.Slug + "/agenda"
	code, agenda, _, err := in.call(client, "GET", jsonPath, "", nil)
	if err != nil || code != http.StatusOK {
		return fmt.Errorf("agenda: %d %v", code, err)
	}
	d, err := in.delegateSession(client, agenda, pagesSignups)
	if err != nil {
		return err
	}
	targets := []pageTarget{
		{name: "JSON agenda", path: jsonPath, mustHave: `"sessions"`, n: n},
		{name: "agenda page", path: "/c/" + in.conf.Slug + "/agenda", mustHave: fmt.Sprintf("Commission %d:", agendaSessions-1), n: pageN},
		{name: "delegate page", path: "/me", delegate: d, mustHave: d.name, n: pageN},
	}
	results := make([]result, len(targets))
	for i, t := range targets {
		size, err := t.check(in, client)
		if err != nil {
			return err
		}
		results[i] = load(client, t.n, clients, func(int) *http.Request { return t.delegate.request(in.url(t.path)) })
		r := results[i]
		fmt.Printf("  %-14s GET %-34s %6d bytes: %6.0f/s over %d, p50 %v, p99 %v, statuses %v, transport errors %d\n",
			t.name, t.path, size, r.PerSecond(), r.N, r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Status, r.Errors)
	}
	js, page, me := results[0], results[1], results[2]
	bad := js.Unexpected(http.StatusOK) + page.Unexpected(http.StatusOK) + me.Unexpected(http.StatusOK)
	pageRatio, meRatio := page.PerSecond()/js.PerSecond(), me.PerSecond()/js.PerSecond()
	verdict("agenda page vs JSON agenda", fmt.Sprintf("%.0f%% (%.0f/s vs %.0f/s)", 100*pageRatio, page.PerSecond(), js.PerSecond()), "≥ 50%",
		pageRatio >= 0.5 && page.Unexpected(http.StatusOK) == 0 && js.Unexpected(http.StatusOK) == 0)
	fmt.Printf("  %-34s %-28s target %-22s %s\n", "delegate page vs JSON agenda", fmt.Sprintf("%.0f%% (%.0f/s)", 100*meRatio, me.PerSecond()), "none set", "-")
	verdict("errors (non-200 + transport)", fmt.Sprint(bad), "0", bad == 0)
	return nil
}
