// Command zimmerwald runs the conference backend and its maintenance tasks.
//
// Usage:
//
//	zimmerwald serve [--demo]     run the HTTP server and the mail worker
//	zimmerwald migrate            apply pending database migrations and exit
//	zimmerwald user add --email E --role R   create a staff account (password from ZW_NEW_PASSWORD or stdin)
//	zimmerwald import --conference S [--check] FILE.csv   import delegates, all or nothing
//	zimmerwald purge [--conference S [--now]] [--dry-run]   erase personal data after retention
//	zimmerwald backup [--out FILE]          write an encrypted SQLite backup
//	zimmerwald backup decrypt --in F --out DB   decrypt a backup with the data key
//	zimmerwald key init [--passphrase]      create the data key file (argon2id-wrapped with a passphrase)
//	zimmerwald key rewrap [--no-passphrase] change the passphrase of the data key file
//	zimmerwald version                      print the version and commit
//	zimmerwald help [CMD]                   print usage (also --help, -h, CMD --help)
//
// Configuration comes from ZW_ environment variables (see .env.example), optionally from .env.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/zimmerwald/zimmerwald/api"
	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/outbox"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/web"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "zimmerwald:", err)
		os.Exit(1)
	}
}

func usage() error {
	return errors.New("usage: zimmerwald serve [--demo] | migrate | user add --email E --role admin|organiser|reviewer | import --conference SLUG [--check] FILE.csv | purge [--conference SLUG [--now]] [--dry-run] | backup [--out FILE] | backup decrypt --in FILE --out DB | key init [--passphrase] | key rewrap [--no-passphrase] | version | help [COMMAND]")
}

func run(args []string) error {
	if len(args) == 0 {
		return usage()
	}
	if helpRequest(args, os.Stdout) {
		return nil
	}
	if args[0] == "version" {
		fmt.Println(versionText())
		return nil
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel, cfg.LogFormat)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		demo := fs.Bool("demo", false, "load a demo conference into an empty database")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return serve(ctx, cfg, log, *demo)
	case "migrate":
		st, err := openStore(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer st.Close()
		v, err := st.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("database at migration version %d\n", v)
		return nil
	case "user":
		return userCommand(ctx, cfg, log, args[1:])
	case "import":
		return importCommand(ctx, cfg, log, args[1:])
	case "purge":
		return purgeCommand(ctx, cfg, log, args[1:])
	case "backup":
		return backupCommand(ctx, cfg, log, args[1:])
	case "key":
		return keyCommand(cfg, log, args[1:])
	}
	return usage()
}

// newLogger logs to standard error at level, as text or (format "json") one JSON object a line.
func newLogger(level, format string) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: l}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// openStore loads the data key and opens the configured database.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*models.Store, error) {
	box, err := loadKey(cfg, log)
	if err != nil {
		return nil, err
	}
	return models.Open(ctx, models.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), ReadConns: cfg.DatabaseMaxReadConns, Logger: log}, box)
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, demo bool) error {
	st, err := openStoreWaiting(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	if err := bootstrap(ctx, cfg, st, log); err != nil {
		return err
	}
	if demo {
		if err := loadDemo(ctx, st, log); err != nil {
			return err
		}
	}
	templates, err := mail.LoadTemplates()
	if err != nil {
		return fmt.Errorf("mail templates: %w", err)
	}
	sender, err := mail.NewSender(cfg.SMTPURL, cfg.MailDir(), log)
	if err != nil {
		return err
	}
	defer sender.Close()
	worker := mail.NewWorker(outbox.New(st, outbox.Options{From: cfg.MailFrom}), sender, templates,
		mail.WorkerConfig{From: cfg.MailFrom, RatePerSecond: cfg.MailRate, Concurrency: cfg.MailConcurrency, Batch: 200}, log)
	wakeMail := coalesce(worker.Notify, mailWakeDelay, afterDelay)
	dom := domain.New(domain.Options{Store: st, Config: cfg, NotifyMail: wakeMail, ReadFreshness: time.Second})
	pages, err := web.New(web.Options{Domain: dom, Store: st, Config: cfg, Logger: log})
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	srv := api.NewServer(api.Options{Domain: dom, Store: st, Config: cfg, Logger: log, NotifyMail: wakeMail, Web: pages, ReadFreshness: time.Second})
	httpSrv := &http.Server{
		Addr: cfg.Addr, Handler: srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	workerDone := make(chan error, 1)
	go func() { workerDone <- worker.Run(ctx) }()
	go housekeeping(ctx, st, log)
	go dom.WatchLive(ctx, cfg.LivePollInterval)
	reminderTick := time.NewTicker(reminderEvery)
	defer reminderTick.Stop()
	remindersDone := make(chan struct{})
	go func() { onlineReminders(ctx, dom, cfg.OnlineReminderLead, reminderTick.C, log); close(remindersDone) }()
	httpSrv.RegisterOnShutdown(dom.Broadcaster().CloseAll)
	backupsDone := make(chan struct{})
	go func() { scheduledBackups(ctx, cfg, st, log); close(backupsDone) }()
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "database", string(st.Dialect()), "mail", mailMode(cfg))
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = httpSrv.Shutdown(sctx)
	select { // the worker gives up sends in progress; ZW_SHUTDOWN_TIMEOUT bounds the rest
	case <-workerDone:
	case <-sctx.Done():
		log.Warn("mail worker still busy at the end of the shutdown timeout; its leased mail will be retried")
	}
	<-backupsDone // a backup being written is finished (or abandoned) before the store closes
	<-remindersDone
	return err
}

func mailMode(cfg config.Config) string {
	if cfg.SMTPURL == "" {
		return "files in " + cfg.MailDir()
	}
	return "smtp"
}

// sentMailKept is how long a delivered mail stays in the outbox (for the delivery view) before
// its sealed recipient and contents are deleted.
const sentMailKept = 14 * 24 * time.Hour

// housekeeping deletes expired login links and sessions, registration decoys (see
// models.SweepDecoys) and delivered mail older than sentMailKept, once an hour; and once a day
// (purgeEvery) erases the personal data of conferences past their retention period.
func housekeeping(ctx context.Context, st *models.Store, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	var lastPurge time.Time
	for {
		if time.Since(lastPurge) >= purgeEvery {
			if _, err := purgeExpired(ctx, st, log); err != nil && ctx.Err() == nil {
				log.Warn("scheduled purge failed; it runs again in an hour", "err", err)
				lastPurge = time.Now().Add(time.Hour - purgeEvery)
			} else {
				lastPurge = time.Now()
			}
		}
		if n, err := st.DeleteExpiredTokens(ctx); err != nil && ctx.Err() == nil {
			log.Warn("deleting expired tokens failed", "err", err)
		} else if n > 0 {
			log.Info("deleted expired tokens", "count", n)
		}
		if _, err := st.SweepDecoys(ctx); err != nil && ctx.Err() == nil {
			log.Warn("sweeping registration decoys failed", "err", err)
		}
		if n, err := st.DeleteSentOutbox(ctx, time.Now().Add(-sentMailKept)); err != nil && ctx.Err() == nil {
			log.Warn("deleting delivered mail failed", "err", err)
		} else if n > 0 {
			log.Info("deleted delivered mail", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
