package api

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// sseEvent is one block of a Server-Sent Events stream.
type sseEvent struct{ id, event, data, comment string }

// openStream connects to a live stream and returns its events.
func openStream(t *testing.T, ctx context.Context, url, lastID string) (<-chan sseEvent, *http.Response) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan sseEvent, 64)
	go func() {
		defer close(ch)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev != (sseEvent{}) {
					ch <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				ev.comment = line
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[6:]
			}
		}
	}()
	return ch, resp
}

// next returns the next event that is not the retry hint, failing after a generous deadline.
func next(t *testing.T, ch <-chan sseEvent) sseEvent {
	t.Helper()
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatal("stream ended")
			}
			if ev.event == "" && ev.comment == "" {
				continue
			}
			return ev
		case <-time.After(10 * time.Second):
			t.Fatal("no event within 10 s")
		}
	}
}

// TestLiveStream follows the live view over HTTP while the chair gives the floor: the first
// event, an event per change, heartbeats, Last-Event-ID resume, and no email, legal name or
// non-public name anywhere in the stream or the snapshot.
func TestLiveStream(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		e.srv.heartbeat = 50 * time.Millisecond
		p := e.plenary(t)
		ctx := context.Background()
		hidden := e.delegate(p.conf, p.org, "Secret Pseudonym", models.DelegateApproved, models.VisibilityParticipants)
		hidden.LegalName = "Legal Person Name"
		if err := e.st.UpdateDelegate(ctx, hidden); err != nil {
			t.Fatal(err)
		}
		ana := e.delegate(p.conf, p.org, "Ana Public", models.DelegateApproved, models.VisibilityPublic)
		srv := httptest.NewServer(e.srv.Handler())
		defer srv.Close()
		url := srv.URL + "/api/v1/conferences/" + p.conf.Slug + "/live/stream"
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		ch, resp := openStream(t, sctx, url, "")
		if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
			t.Fatalf("content type %q", ct)
		}
		var seen strings.Builder
		first := next(t, ch)
		if first.event != "live" {
			t.Fatalf("first event %+v", first)
		}
		path := "/api/v1/items/" + p.itemID + "/speakers"
		e.do("POST", path, e.delegateToken(hidden), nil).want(t, 201)
		e.do("POST", path, e.delegateToken(ana), nil).want(t, 201)
		e.do("POST", path+"/next", p.staff, nil).want(t, 200)
		var last sseEvent
		for !strings.Contains(last.data, `"current_speaker":{`) {
			if last = next(t, ch); last.event == "live" {
				seen.WriteString(last.data)
			}
		}
		if !strings.Contains(last.data, `"display_name":"a delegate"`) || !strings.Contains(last.data, `"Ana Public"`) || !strings.Contains(last.data, `"General debate"`) {
			t.Errorf("live event %s: want the anonymous current speaker, Ana in the queue and the item", last.data)
		}
		for ev := next(t, ch); ev.comment == ""; ev = next(t, ch) {
		}
		snap := e.do("GET", "/api/v1/conferences/"+p.conf.Slug+"/live", "", nil).want(t, 200)
		seen.Write(snap.Body)
		if got := snap.json(t)["version"]; got.(float64) < 3 {
			t.Errorf("snapshot version %v", got)
		}
		cancel()

		// Resume: at the latest ID nothing is repeated (a heartbeat comes first); at an older one
		// the current view comes at once.
		rctx, rcancel := context.WithCancel(ctx)
		defer rcancel()
		ch2, _ := openStream(t, rctx, url, last.id)
		if ev := next(t, ch2); ev.comment == "" {
			t.Errorf("resume at the latest ID: got %+v, want a heartbeat first", ev)
		}
		rcancel()
		octx, ocancel := context.WithCancel(ctx)
		defer ocancel()
		ch3, _ := openStream(t, octx, url, "1")
		if ev := next(t, ch3); ev.event != "live" || ev.id != last.id {
			t.Errorf("resume at 1: got %+v, want event %s", ev, last.id)
		}
		ocancel()

		for _, secret := range []string{hidden.Email, hidden.LegalName, hidden.DisplayName, hidden.ID, ana.Email} {
			if strings.Contains(seen.String(), secret) {
				t.Errorf("the live view reveals %q", secret)
			}
		}
	})
}

// TestLiveStreamAcrossProcesses runs two servers on one database, each with its own broadcaster
// as two processes would have: a client of the second sees the chair's change made through the
// first, found by polling the change counter.
func TestLiveStreamAcrossProcesses(t *testing.T) {
	eachDB(t, func(t *testing.T, a *testEnv) {
		b := newEnv(t, a.st)
		if a.srv.dom.Broadcaster() == b.srv.dom.Broadcaster() {
			t.Fatal("the two servers share a broadcaster")
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go b.srv.dom.WatchLive(ctx, 20*time.Millisecond)
		p := a.plenary(t)
		d := a.delegate(p.conf, p.org, "Ana Public", models.DelegateApproved, models.VisibilityPublic)
		a.do("POST", "/api/v1/items/"+p.itemID+"/speakers", a.delegateToken(d), nil).want(t, 201)
		srv := httptest.NewServer(b.srv.Handler())
		defer srv.Close()
		ch, _ := openStream(t, ctx, srv.URL+"/api/v1/conferences/"+p.conf.Slug+"/live/stream", "")
		first := next(t, ch)
		a.do("POST", "/api/v1/items/"+p.itemID+"/speakers/next", p.staff, nil).want(t, 200)
		for ev := next(t, ch); ; ev = next(t, ch) {
			if ev.event == "live" && ev.id != first.id && strings.Contains(ev.data, `"current_speaker":{`) {
				if !strings.Contains(ev.data, "Ana Public") {
					t.Errorf("event %s lacks the speaker", ev.data)
				}
				cancel() // end the stream before the server closes
				return
			}
		}
	})
}
