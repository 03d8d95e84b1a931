package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// checkpointEvery is how often the background checkpointer copies the WAL into the database.
const checkpointEvery = 250 * time.Millisecond

// checkpointer copies committed WAL frames into the SQLite database file from its own connection,
// so that the single writer never pays for checkpoints inside a commit (SQLite's automatic
// checkpoint runs in the committing connection). It uses PASSIVE checkpoints, which never block
// the writer or the readers.
type checkpointer struct {
	db   *sql.DB
	stop func()
}

// startCheckpointer turns off automatic checkpoints on the writer connection and starts the
// background checkpointer on a connection of its own.
func startCheckpointer(ctx context.Context, writer *sql.DB, path string) (*checkpointer, error) {
	if _, err := writer.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_busy_timeout=10000&_synchronous=FULL")
	if err != nil {
		return nil, fmt.Errorf("open sqlite checkpointer: %w", err)
	}
	db.SetMaxOpenConns(1)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(checkpointEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				var busy, frames, copied int
				// An error (a busy database, a closing one) is retried at the next tick.
				_ = db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
			}
		}
	}()
	var once sync.Once
	return &checkpointer{db: db, stop: func() { once.Do(func() { close(done); wg.Wait() }) }}, nil
}
