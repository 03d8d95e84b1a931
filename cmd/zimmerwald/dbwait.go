package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/models"
)

// Bounds of the wait for the database at start-up.
const (
	dbWaitFirst = 500 * time.Millisecond
	dbWaitMax   = 30 * time.Second
)

// openStoreWaiting opens the store like openStore, but while a PostgreSQL server cannot be
// reached it waits and tries again (doubling the pause up to dbWaitMax) until ctx ends, so that
// `serve` started before its database (compose, systemd, a restart) comes up when it does. A
// missing or broken data key, and SQLite, fail at once.
func openStoreWaiting(ctx context.Context, cfg config.Config, log *slog.Logger) (*models.Store, error) {
	box, err := loadKey(cfg, log)
	if err != nil {
		return nil, err
	}
	opts := models.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), ReadConns: cfg.DatabaseMaxReadConns, Logger: log}
	wait := dbWaitFirst
	for {
		st, err := models.Open(ctx, opts, box)
		if err == nil || cfg.DatabaseURL == "" {
			return st, err
		}
		log.Warn("waiting for the database", "retry_in", wait.String(), "err", err)
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		wait = min(2*wait, dbWaitMax)
	}
}
