package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
)

// reminderEvery is how often serve looks for sessions whose online reminders are due.
const reminderEvery = time.Minute

// onlineReminders mails the online link of each session starting within lead to those who may
// join it online (domain.Service.RemindOnline), at once and then at every tick, until ctx ends.
// Every process runs it; the outbox's idempotency keys make each reminder go out once.
func onlineReminders(ctx context.Context, dom *domain.Service, lead time.Duration, tick <-chan time.Time, log *slog.Logger) {
	for {
		if n, err := dom.RemindOnline(ctx, lead); err != nil && ctx.Err() == nil {
			log.Warn("online reminders failed; they are tried again in a minute", "err", err, "enqueued", n)
		} else if n > 0 {
			log.Info("online reminders enqueued", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
	}
}
