package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// staffToken creates an organiser account in the store and returns a session token for it.
func (in *instance) staffToken() (string, error) {
	ctx := context.Background()
	a := &models.Account{Email: "bench-organiser@example.org", PasswordHash: "$argon2id$unused", Role: models.StaffOrganiser}
	if err := in.store.CreateAccount(ctx, a); err != nil {
		return "", err
	}
	if err := in.store.GrantConferenceRole(ctx, a.ID, in.conf.ID, a.Role); err != nil { // roles are per conference
		return "", err
	}
	return in.store.IssueToken(ctx, &models.AuthToken{Kind: models.TokenStaffSession, AccountID: &a.ID, ExpiresAt: time.Now().Add(time.Hour)})
}

// call sends one JSON request with a bearer token and returns the status and body.
func (in *instance) call(client *http.Client, method, path, token string, body any) (int, []byte, http.Header, error) {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, in.url(path), rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header, err
}

// publishAgenda creates n published sessions over the conference days in 20 rooms through the API
// and publishes a release.
func (in *instance) publishAgenda(client *http.Client, n int) error {
	tok, err := in.staffToken()
	if err != nil {
		return err
	}
	day := in.conf.StartsOn.Add(8 * time.Hour)
	for i := 0; i < n; i++ {
		start := day.Add(time.Duration(i/20%10)*time.Hour).AddDate(0, 0, i/200%4)
		body := map[string]any{"title": fmt.Sprintf("Commission %d: the war and the workers' movement", i), "kind": "commission",
			"description": "Reports from the sections, then discussion of the draft resolution.",
			"room":        fmt.Sprintf("Room %02d", i%20), "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(50 * time.Minute).Format(time.RFC3339),
			"capacity": 40, "languages": []string{"en", "ru", "uk"}, "track": "Commissions"}
		code, resp, _, err := in.call(client, "POST", "/api/v1/conferences/"+in.conf.Slug+"/sessions", tok, body)
		if err != nil || code != http.StatusCreated {
			return fmt.Errorf("create session: %d %s %v", code, resp, err)
		}
		var created struct{ ID string }
		json.Unmarshal(resp, &created)
		code, resp, _, err = in.call(client, "PATCH", "/api/v1/sessions/"+created.ID, tok, map[string]string{"status": "published"})
		if err != nil || code != http.StatusOK {
			return fmt.Errorf("publish session: %d %s %v", code, resp, err)
		}
	}
	code, resp, _, err := in.call(client, "POST", "/api/v1/conferences/"+in.conf.Slug+"/agenda/releases", tok, map[string]string{})
	if err != nil || code != http.StatusCreated {
		return fmt.Errorf("release: %d %s %v", code, resp, err)
	}
	return nil
}

// agendaSessions is the size of the published agenda the agenda and pages figures read.
const agendaSessions = 500

// agendaServer starts the server with a published agenda of agendaSessions sessions and returns
// it with a client sized for `clients`.
func agendaServer(clients int) (*instance, *http.Client, error) {
	in, err := startServer()
	if err != nil {
		return nil, nil, err
	}
	client := newClient(clients)
	if err := in.publishAgenda(client, agendaSessions); err != nil {
		in.close()
		return nil, nil, err
	}
	return in, client, nil
}

// benchAgenda: the published agenda of 500 sessions read by 128 clients, against a bare Gin
// handler returning the same bytes in the same run; and If-None-Match answered with 304.
func benchAgenda(scale float64) error {
	n, clients, sessions := int(40000*scale), 128, agendaSessions
	in, client, err := agendaServer(clients)
	if err != nil {
		return err
	}
	defer in.close()
	path := "/api/v1/conferences/" + in.conf.Slug + "/agenda"
	code, body, hdr, err := in.call(client, "GET", path, "", nil)
	if err != nil || code != http.StatusOK {
		return fmt.Errorf("agenda: %d %v", code, err)
	}
	etag := hdr.Get("ETag")
	code, _, _, _ = in.callWith(client, path, etag)
	fmt.Printf("  agenda: %d sessions, %d bytes, ETag %s; If-None-Match answers %d\n", sessions, len(body), etag, code)

	gin.SetMode(gin.ReleaseMode)
	bare := gin.New()
	bare.GET("/agenda", func(c *gin.Context) { c.Data(http.StatusOK, "application/json; charset=utf-8", body) })
	bareBase, bareSrv, err := listen(bare)
	if err != nil {
		return err
	}
	defer bareSrv.Close()

	get := func(url, inm string) func(int) *http.Request {
		return func(int) *http.Request {
			req, _ := http.NewRequest("GET", url, nil)
			if inm != "" {
				req.Header.Set("If-None-Match", inm)
			}
			return req
		}
	}
	base := load(client, n, clients, get(bareBase+"/agenda", ""))
	ours := load(client, n, clients, get(in.url(path), ""))
	notModified := load(client, n, clients, get(in.url(path), etag))
	fmt.Printf("  zimmerwald: %.0f/s (statuses %v, p99 %v); bare gin: %.0f/s (p99 %v); 304s: %.0f/s (statuses %v)\n",
		ours.PerSecond(), ours.Status, ours.P99, base.PerSecond(), base.P99, notModified.PerSecond(), notModified.Status)
	ratio := ours.PerSecond() / base.PerSecond()
	verdict("agenda reads vs bare Gin", fmt.Sprintf("%.0f%% (%.0f/s)", 100*ratio, ours.PerSecond()), "≥ 80%", ratio >= 0.8 && ours.ServerErrors() == 0)
	verdict("If-None-Match", fmt.Sprintf("%d", code), "304", code == http.StatusNotModified && notModified.Status[http.StatusNotModified] == n)
	return nil
}

// callWith sends a GET with If-None-Match.
func (in *instance) callWith(client *http.Client, path, inm string) (int, []byte, http.Header, error) {
	req, _ := http.NewRequest("GET", in.url(path), nil)
	req.Header.Set("If-None-Match", inm)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header, err
}
