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

// benchVotes: 1,000 eligible voters (approved delegates, one vote each) cast in one secret
// ballot at the same moment, each over its own connection, through the real API. Target: all
// acknowledged within 2 s, and the ballot, once closed, counts each exactly once.
func benchVotes(scale float64) error {
	n := max(int(1000*scale), 10)
	in, err := startServer()
	if err != nil {
		return err
	}
	defer in.close()
	ctx := context.Background()
	if err := fanoutDelegates(ctx, in, n); err != nil {
		return err
	}
	ds, err := in.store.ActiveDelegatesOf(ctx, in.org.ID)
	if err != nil {
		return err
	}
	tokens := make([]string, len(ds))
	for i, d := range ds {
		if tokens[i], err = in.store.IssueToken(ctx, &models.AuthToken{Kind: models.TokenDelegateSession, DelegateID: &d.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			return err
		}
	}
	org, err := fanoutOrganiser(ctx, in)
	if err != nil {
		return err
	}
	var ballot struct {
		ID       string
		Eligible int
	}
	if err := postJSON(in.url("/api/v1/conferences/"+in.conf.Slug+"/ballots"), org, map[string]any{
		"kind": "motion", "question": "Adopt the joint programme?", "weighting": "delegate", "rule": "two_thirds", "quorum": 0.5}, http.StatusCreated, &ballot); err != nil {
		return err
	}
	choices := []string{"yes", "yes", "no", "abstain"}
	res := load(newClient(n), n, n, func(i int) *http.Request {
		body, _ := json.Marshal(map[string]string{"choice": choices[i%len(choices)]})
		req, _ := http.NewRequest("POST", in.url("/api/v1/ballots/"+ballot.ID+"/votes"), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tokens[i])
		return req
	})
	var closed struct {
		VotesCast int `json:"votes_cast"`
		Result    struct {
			Counts  map[string]int
			Outcome string
		}
	}
	if err := postJSON(in.url("/api/v1/ballots/"+ballot.ID+"/close"), org, nil, http.StatusOK, &closed); err != nil {
		return err
	}
	counted := 0
	for _, c := range closed.Result.Counts {
		counted += c
	}
	want := map[string]int{}
	for i := range n {
		want[choices[i%len(choices)]]++
	}
	exact := closed.VotesCast == n && counted == n && closed.Result.Counts["yes"] == want["yes"] && closed.Result.Counts["no"] == want["no"]
	fmt.Printf("  %d eligible voters, %d votes at once: all answered in %v (p50 %v, p99 %v), statuses %v\n",
		ballot.Eligible, n, res.Elapsed.Round(time.Millisecond), res.P50.Round(time.Millisecond), res.P99.Round(time.Millisecond), res.Status)
	fmt.Printf("  closed: %d votes cast, counts %v, outcome %s\n", closed.VotesCast, closed.Result.Counts, closed.Result.Outcome)
	verdict("vote burst acknowledged", res.Elapsed.Round(time.Millisecond).String(), "≤ 2s, all 201", res.Elapsed <= 2*time.Second && res.Unexpected(http.StatusCreated) == 0)
	verdict("counted exactly once", fmt.Sprintf("%d of %d", counted, n), "= n", exact)
	return nil
}

// postJSON posts body with a bearer token, checks the status and decodes the answer into out.
func postJSON(url, token string, body any, status int, out any) error {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != status {
		return fmt.Errorf("POST %s: status %d, want %d", url, resp.StatusCode, status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
