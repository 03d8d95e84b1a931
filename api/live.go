package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/live"
)

// liveHeartbeat is how often an idle live stream gets a comment, so proxies keep it open.
const liveHeartbeat = 15 * time.Second

// liveSession is the session on the hall's screen.
type liveSession struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Room     string    `json:"room,omitempty"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

// liveResponse is the live view of a conference, the same in the snapshot and in each `live`
// event of the stream. Speakers are named only when public.
type liveResponse struct {
	Version        int64              `json:"version"`
	Session        *liveSession       `json:"session"`
	Item           *itemResponse      `json:"item"`
	CurrentSpeaker *speakerResponse   `json:"current_speaker"`
	Queue          []*speakerResponse `json:"queue"`
	Ballot         *ballotResponse    `json:"ballot"`
	UpdatedAt      time.Time          `json:"updated_at"`
}

func liveJSON(v *domain.LiveView) *liveResponse {
	out := &liveResponse{Version: v.Version, Item: itemJSON(v.Item), Ballot: ballotJSON(v.Ballot), UpdatedAt: v.UpdatedAt, Queue: []*speakerResponse{}}
	if v.Session != nil && v.Item != nil {
		out.Session = &liveSession{ID: v.Session.ID, Title: v.Session.Title, Room: v.Session.RoomName, StartsAt: v.Session.StartsAt, EndsAt: v.Session.EndsAt}
	}
	if v.Speakers != nil {
		out.CurrentSpeaker, out.Queue = speakerJSON(v.Speakers.Current, false), speakersJSON(v.Speakers.Queue, false)
	}
	return out
}

// renderLive builds the event of a conference's live view, once for all its streams.
func (s *Server) renderLive(ctx context.Context, conferenceID string) (live.Event, error) {
	v, err := s.dom.LiveOf(ctx, conferenceID)
	if err != nil {
		return live.Event{}, err
	}
	data, err := json.Marshal(liveJSON(v))
	return live.Event{ID: v.Version, Data: data}, err
}

// getLive answers the live view's snapshot (domain.Service.Live).
func (s *Server) getLive(c *gin.Context) error {
	v, err := s.dom.Live(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, liveJSON(v))
	return nil
}

var errTooManyStreams = problem(http.StatusTooManyRequests, "too many live streams from this client")

// liveStream streams the live view as Server-Sent Events: the current view first (unless the
// client's Last-Event-ID is already the latest), an event `live` on every change, a comment every
// 15 s. A client that does not keep up is dropped and resumes with Last-Event-ID.
func (s *Server) liveStream(c *gin.Context) error {
	conf, err := s.dom.Conference(c.Request.Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	b := s.dom.Broadcaster()
	sub, err := b.Subscribe(conf.ID, "ip:"+c.ClientIP())
	if errors.Is(err, live.ErrTooMany) {
		c.Header("Retry-After", "5")
		return errTooManyStreams
	} else if err != nil {
		return err
	}
	defer sub.Close()
	lastID := int64(-1)
	if h := c.GetHeader("Last-Event-ID"); h != "" {
		if n, err := strconv.ParseInt(h, 10, 64); err == nil {
			lastID = n
		}
	}
	cur, err := b.Current(c.Request.Context(), conf.ID)
	if err != nil {
		return err
	}
	w := c.Writer
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if isHEAD(c.Request) {
		return nil
	}
	send := func(ev live.Event) bool {
		if ev.ID <= lastID {
			return true
		}
		lastID = ev.ID
		_ = rc.SetWriteDeadline(time.Now().Add(liveHeartbeat * 2))
		if _, err := fmt.Fprintf(w, "id: %d\nevent: live\ndata: %s\n\n", ev.ID, ev.Data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil || !send(cur) {
		return nil
	}
	_ = rc.Flush()
	beat := time.NewTicker(s.liveHeartbeat())
	defer beat.Stop()
	for {
		select {
		case <-c.Request.Context().Done():
			return nil
		case ev, ok := <-sub.Events():
			if !ok || !send(ev) {
				return nil
			}
		case <-beat.C:
			_ = rc.SetWriteDeadline(time.Now().Add(liveHeartbeat * 2))
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil || rc.Flush() != nil {
				return nil
			}
		}
	}
}

// liveHeartbeat is the heartbeat interval (shorter in tests).
func (s *Server) liveHeartbeat() time.Duration {
	if s.heartbeat > 0 {
		return s.heartbeat
	}
	return liveHeartbeat
}
