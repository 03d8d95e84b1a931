package models

import (
	"context"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// groupMax bounds how many callers share one commit.
const groupMax = 256

// groupReq is one caller's work waiting for the next group commit.
type groupReq struct {
	ctx  context.Context
	fn   func(tx *Store) error
	done chan error
}

// committer batches concurrent write transactions on SQLite into one transaction and one fsync
// (group commit). Each caller's work runs inside its own SAVEPOINT, so one caller's failure rolls
// back only its own changes.
type committer struct {
	mu      sync.Mutex
	queue   []groupReq
	running bool
}

// Group runs fn like Tx, but on SQLite shares the transaction — and its fsync under
// synchronous=FULL — with other callers arriving at the same time. fn must only use tx; its
// changes are committed (or not) before Group returns, and its error is its own. On PostgreSQL,
// and inside a transaction, Group is Tx.
func (s *Store) Group(ctx context.Context, fn func(tx *Store) error) error {
	if s.dialect != SQLite || s.inTx() {
		return s.Tx(ctx, fn)
	}
	req := groupReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	c := s.group
	c.mu.Lock()
	c.queue = append(c.queue, req)
	if !c.running {
		c.running = true
		go s.runGroups()
	}
	c.mu.Unlock()
	return <-req.done
}

// runGroups commits batches until the queue is empty.
func (s *Store) runGroups() {
	c := s.group
	for {
		c.mu.Lock()
		n := min(len(c.queue), groupMax)
		if n == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		batch := c.queue[:n:n]
		c.queue = c.queue[n:]
		c.mu.Unlock()
		s.commitGroup(batch)
	}
}

func (s *Store) commitGroup(batch []groupReq) {
	results := make([]error, len(batch))
	err := s.w.WithContext(context.Background()).Transaction(func(g *gorm.DB) error {
		for i, r := range batch {
			if err := r.ctx.Err(); err != nil {
				results[i] = err
				continue
			}
			sp := fmt.Sprintf("g%d", i)
			if err := g.SavePoint(sp).Error; err != nil {
				return err
			}
			tx := *s
			tx.w, tx.r = g.WithContext(r.ctx), g.WithContext(r.ctx)
			results[i] = runSafely(r.fn, &tx)
			if results[i] != nil {
				if err := g.RollbackTo(sp).Error; err != nil {
					return err
				}
			}
			if err := g.Exec("RELEASE SAVEPOINT " + sp).Error; err != nil {
				return err
			}
		}
		return nil
	})
	for i, r := range batch {
		if err != nil {
			r.done <- fmt.Errorf("group commit: %w", err)
			continue
		}
		r.done <- results[i]
	}
}

// runSafely turns a panic in one caller's work into that caller's error.
func runSafely(fn func(tx *Store) error, tx *Store) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in transaction: %v", p)
		}
	}()
	return fn(tx)
}
