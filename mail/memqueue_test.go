package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// memQueue is an in-memory Queue with leases, for worker tests.
type memQueue struct {
	mu       sync.Mutex
	now      func() time.Time // the clock of leases and retries
	jobs     []*memJob
	failSent int         // the next failSent MarkSent calls fail, as if the process died before its commit
	sent     chan string // if set, receives the ID of each job recorded as sent (never blocks)
	claims   chan int    // if set, receives the size of each claim (never blocks)
}

type memJob struct {
	job        Job
	state      string // pending, sent, dead
	owner      string
	leaseUntil time.Time
	next       time.Time
	reasons    []string
}

func (q *memQueue) add(j Job) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.jobs = append(q.jobs, &memJob{job: j, state: "pending"})
}

func (q *memQueue) Claim(_ context.Context, owner string, limit int, lease time.Duration) ([]Job, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	var out []Job
	for _, j := range q.jobs {
		if len(out) == limit {
			break
		}
		if j.state != "pending" || j.next.After(now) || (j.owner != "" && j.leaseUntil.After(now)) {
			continue
		}
		j.owner, j.leaseUntil = owner, now.Add(lease)
		out = append(out, j.job)
	}
	select {
	case q.claims <- len(out):
	default:
	}
	return out, nil
}

func (q *memQueue) find(id, owner string) (*memJob, error) {
	for _, j := range q.jobs {
		if j.job.ID == id {
			if j.owner != owner {
				return nil, fmt.Errorf("job %s: lease held by %q, not %q", id, j.owner, owner)
			}
			return j, nil
		}
	}
	return nil, fmt.Errorf("job %s: not found", id)
}

func (q *memQueue) MarkSent(_ context.Context, id, owner string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.failSent > 0 {
		q.failSent--
		return errors.New("simulated crash before commit")
	}
	j, err := q.find(id, owner)
	if err != nil {
		return err
	}
	j.state, j.owner = "sent", ""
	j.job.Attempts++
	select {
	case q.sent <- id:
	default:
	}
	return nil
}

func (q *memQueue) MarkRetry(_ context.Context, id, owner string, next time.Time, reason string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	j, err := q.find(id, owner)
	if err != nil {
		return err
	}
	j.state, j.owner, j.next = "pending", "", next
	j.job.Attempts++
	j.reasons = append(j.reasons, reason)
	return nil
}

func (q *memQueue) MarkDead(_ context.Context, id, owner string, reason string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	j, err := q.find(id, owner)
	if err != nil {
		return err
	}
	j.state, j.owner = "dead", ""
	j.job.Attempts++
	j.reasons = append(j.reasons, reason)
	return nil
}

// snapshot returns a copy of the job with the given ID.
func (q *memQueue) snapshot(id string) memJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, j := range q.jobs {
		if j.job.ID == id {
			c := *j
			c.reasons = append([]string(nil), j.reasons...)
			return c
		}
	}
	return memJob{}
}

func (q *memQueue) count(state string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, j := range q.jobs {
		if j.state == state {
			n++
		}
	}
	return n
}

func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// syncBuffer is a bytes.Buffer safe for concurrent writes, for logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
