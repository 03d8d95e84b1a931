package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// liveClients is how many clients follow the live stream in the live figure.
const liveClients = 2000

// benchLive opens 2,000 live streams, lets the chair give the floor to the next speaker and
// measures when each client has the event (from just before the chair's request).
func benchLive(scale float64) error {
	in, err := startServer()
	if err != nil {
		return err
	}
	defer in.close()
	n := max(10, int(liveClients*scale))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n + 10, MaxConnsPerHost: 0, DisableCompression: true}}
	itemID, tok, err := in.debate(client)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ready, done sync.WaitGroup
	start := make(chan time.Time, 1)
	var mu sync.Mutex
	var lat []time.Duration
	failed := 0
	ready.Add(n)
	done.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer done.Done()
			d, err := in.follow(ctx, &ready, start)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
				return
			}
			lat = append(lat, d)
		}()
	}
	ready.Wait()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		start <- t0
	}
	code, body, _, err := in.call(http.DefaultClient, "POST", "/api/v1/items/"+itemID+"/speakers/next", tok, nil)
	if err != nil || code != http.StatusOK {
		return fmt.Errorf("next speaker: %d %s %v", code, body, err)
	}
	waited := make(chan struct{})
	go func() { done.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(30 * time.Second):
		cancel()
		<-waited
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p99 := time.Duration(0)
	if len(lat) > 0 {
		p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	peak, _ := rssMB()
	fmt.Printf("  %d clients, %d had the event, %d failed; p50 %v, max %v\n", n, len(lat), failed, pct(lat, 50), pct(lat, 100))
	verdict("every client has the event", fmt.Sprintf("%d/%d", len(lat), n), "all", len(lat) == n)
	verdict("event latency p99", p99.Round(time.Millisecond).String(), "≤ 500ms", len(lat) == n && p99 <= 500*time.Millisecond)
	verdict("peak RSS (server and clients)", fmt.Sprintf("%.0f MB", peak), "≤ 200 MB", peak <= 200)
	return nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)].Round(time.Millisecond)
}

// debate makes a published plenary with one item and two delegates on its list, and returns the
// item and an organiser's token.
func (in *instance) debate(client *http.Client) (string, string, error) {
	ctx := context.Background()
	tok, err := in.staffToken()
	if err != nil {
		return "", "", err
	}
	start := in.conf.StartsOn.Add(8 * time.Hour)
	code, resp, _, err := in.call(client, "POST", "/api/v1/conferences/"+in.conf.Slug+"/sessions", tok, map[string]any{
		"title": "Plenary", "kind": "plenary", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(3 * time.Hour).Format(time.RFC3339)})
	if err != nil || code != http.StatusCreated {
		return "", "", fmt.Errorf("session: %d %s %v", code, resp, err)
	}
	var sess struct{ ID string }
	json.Unmarshal(resp, &sess)
	if code, resp, _, err = in.call(client, "PATCH", "/api/v1/sessions/"+sess.ID, tok, map[string]string{"status": "published"}); err != nil || code != http.StatusOK {
		return "", "", fmt.Errorf("publish: %d %s %v", code, resp, err)
	}
	code, resp, _, err = in.call(client, "POST", "/api/v1/sessions/"+sess.ID+"/items", tok, map[string]any{"title": "General debate"})
	if err != nil || code != http.StatusCreated {
		return "", "", fmt.Errorf("item: %d %s %v", code, resp, err)
	}
	var item struct{ ID string }
	json.Unmarshal(resp, &item)
	for i := 0; i < 2; i++ {
		d := &models.Delegate{ConferenceID: in.conf.ID, OrganisationID: &in.org.ID, Role: models.RoleDelegate, Status: models.DelegateApproved,
			DisplayName: fmt.Sprintf("Speaker %d", i), Email: fmt.Sprintf("speaker%d@bench.test", i), Languages: models.StringList{"en"},
			Attendance: models.AttendInPerson, Visibility: models.VisibilityPublic}
		if err := in.store.CreateDelegate(ctx, d); err != nil {
			return "", "", err
		}
		if err := in.store.AddSpeaker(ctx, &models.SpeakerRequest{ItemID: item.ID, DelegateID: d.ID}); err != nil {
			return "", "", err
		}
	}
	return item.ID, tok, nil
}

// follow opens one live stream, reports ready after the first event, and returns how long after
// the start time it received the next one. It speaks HTTP/1.1 over its own connection with one
// small buffer and no transport goroutines, so that the harness's 2,000 clients weigh little
// beside the server in the peak RSS the figure prints (both live in this process).
func (in *instance) follow(ctx context.Context, ready *sync.WaitGroup, start <-chan time.Time) (time.Duration, error) {
	readyOnce := sync.OnceFunc(ready.Done)
	defer readyOnce()
	req, _ := http.NewRequestWithContext(ctx, "GET", in.url("/api/v1/conferences/"+in.conf.Slug+"/live/stream"), nil)
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", req.URL.Host)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := req.Write(conn); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 512), req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	r := bufio.NewReaderSize(resp.Body, 512)
	first := int64(-1)
	var t0 time.Time
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return 0, err
		}
		id, ok := strings.CutPrefix(strings.TrimSpace(line), "id: ")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		if first < 0 {
			first = n
			readyOnce()
			t0 = <-start
			continue
		}
		if n > first {
			return time.Since(t0), nil
		}
	}
}
