package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/zimmerwald/zimmerwald/internal/batch"
	"github.com/zimmerwald/zimmerwald/internal/seal"
	"github.com/zimmerwald/zimmerwald/migrations"
)

// Dialect names the database engine behind a Store.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Options says which database to open.
type Options struct {
	// DatabaseURL is a postgres:// URL; empty means SQLite at SQLitePath.
	DatabaseURL string
	// SQLitePath is the SQLite database file.
	SQLitePath string
	// ReadConns is the size of the SQLite read-only pool (and of PostgreSQL's pool).
	ReadConns int
	// Logger receives failed and slow (over a second) queries as SQL with placeholders, never
	// the values, which may be personal. Nil logs nothing.
	Logger *slog.Logger
}

// Store is the one way in and out of the database. On SQLite every write goes through a single
// connection that opens IMMEDIATE transactions, and reads go through a separate read-only pool.
type Store struct {
	w       *gorm.DB // writer (or the open transaction)
	r       *gorm.DB // reader (equal to w inside a transaction and on PostgreSQL)
	dialect Dialect
	box     *seal.Box
	now     func() time.Time
	closers []*sql.DB
	// registrar groups concurrent registrations into one transaction (group commit); it is
	// shared by the copies of the Store that transactions make.
	registrar *batch.Group[*Registration]
	// voters groups concurrent votes into one transaction (group commit).
	voters *batch.Group[*VoteCast]
}

// postgresRegistrationBatches is how many batches of registrations a process commits at once on
// PostgreSQL: while one batch waits for its commit, the next is written. (SQLite has one writer.)
const postgresRegistrationBatches = 2

// Open connects to the database described by opts. It does not migrate; call Migrate.
func Open(ctx context.Context, opts Options, box *seal.Box) (*Store, error) {
	cfg := &gorm.Config{
		Logger:                 queryLogger(opts.Logger),
		SkipDefaultTransaction: true,
		// Statements are prepared once per connection below GORM: by pgx's statement cache on
		// PostgreSQL, by stmtCacheDriver on SQLite. GORM's own preparation would, inside a
		// transaction, prepare every statement again.
		PrepareStmt:    false,
		NowFunc:        func() time.Time { return time.Now().UTC() },
		TranslateError: true,
	}
	s := &Store{box: box, now: func() time.Time { return time.Now().UTC() }}
	s.registrar = newRegistrar(s)
	s.voters = newVoteGroup(s)
	if opts.ReadConns <= 0 {
		opts.ReadConns = 8
	}
	if opts.DatabaseURL != "" {
		db, err := gorm.Open(postgres.New(postgres.Config{DSN: opts.DatabaseURL}), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, _ := db.DB()
		sqlDB.SetMaxOpenConns(opts.ReadConns + 8)
		sqlDB.SetMaxIdleConns(opts.ReadConns + 8)
		if err := sqlDB.PingContext(ctx); err != nil {
			sqlDB.Close()
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.w, s.r, s.dialect, s.closers = db, db, Postgres, []*sql.DB{sqlDB}
		s.registrar.Parallel(postgresRegistrationBatches)
		return s, nil
	}
	if err := os.MkdirAll(filepath.Dir(opts.SQLitePath), 0o700); err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	wcfg, rcfg := *cfg, *cfg
	w, err := gorm.Open(sqlite.New(sqlite.Config{DriverName: sqliteDriverName, DSN: sqliteDSN(opts.SQLitePath, false)}), &wcfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	wdb, _ := w.DB()
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	if err := wdb.PingContext(ctx); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	r, err := gorm.Open(sqlite.New(sqlite.Config{DriverName: sqliteDriverName, DSN: sqliteDSN(opts.SQLitePath, true)}), &rcfg)
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(opts.ReadConns)
	rdb.SetMaxIdleConns(opts.ReadConns)
	s.w, s.r, s.dialect, s.closers = w, r, SQLite, []*sql.DB{rdb, wdb}
	return s, nil
}

// sqliteDSN builds the mattn/go-sqlite3 connection string. The pragmas are checked by a test.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "FULL")
	if readOnly {
		q.Set("mode", "ro")
		q.Set("_query_only", "on")
	} else {
		q.Set("_txlock", "immediate")
		q.Set("_secure_delete", "on")
	}
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// Close releases every connection.
func (s *Store) Close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// Dialect reports which database engine is in use.
func (s *Store) Dialect() Dialect { return s.dialect }

// Box returns the field sealer the store encrypts personal data with.
func (s *Store) Box() *seal.Box { return s.box }

// Migrate applies every pending embedded migration with goose and returns the resulting version.
func (s *Store) Migrate(ctx context.Context) (int64, error) {
	fsys, err := migrations.FS(string(s.dialect))
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	sqlDB, err := s.w.DB()
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	gd := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == Postgres {
		gd = goose.DialectPostgres
		// Processes started together wait for each other: one migrates under a session-level
		// advisory lock, the others then find nothing left to do. (SQLite has one writer already.)
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 600)) // try each second, for 10 minutes
		if err != nil {
			return 0, fmt.Errorf("migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, sqlDB, fsys, opts...)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	if _, err := s.renderPending(ctx); err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	if err := s.sealPending(ctx); err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	return p.GetDBVersion(ctx)
}

// Ping checks that both the writer and the readers answer (readiness).
func (s *Store) Ping(ctx context.Context) error {
	for _, db := range []*gorm.DB{s.w, s.r} {
		sqlDB, err := db.DB()
		if err != nil {
			return err
		}
		if err := sqlDB.PingContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Tx runs fn in one write transaction; the Store passed to fn reads and writes inside it. On
// SQLite the transaction is IMMEDIATE, so a read followed by a write never fails with SQLITE_BUSY.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	if s.inTx() {
		return fn(s)
	}
	return s.w.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		tx := *s
		tx.w, tx.r = g, g
		return fn(&tx)
	})
}

func (s *Store) inTx() bool {
	_, ok := s.w.Statement.ConnPool.(gorm.TxCommitter)
	return ok
}

// read returns the reader bound to ctx.
func (s *Store) read(ctx context.Context) *gorm.DB { return s.r.WithContext(ctx) }

// write returns the writer bound to ctx.
func (s *Store) write(ctx context.Context) *gorm.DB { return s.w.WithContext(ctx) }

// Now is the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now() }

// SetClock replaces the store's clock (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = func() time.Time { return now().UTC() } }

// WithClock returns a Store that shares s's connections but reads the time from now, for a caller
// that keeps a clock of its own (the outbox adapter). Registrations through it still commit on s's
// clock. Close s, not the copy.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.SetClock(now)
	return &c
}

// notFound converts gorm's record-not-found into ErrNotFound and unique violations into ErrConflict.
func notFound(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey), isUniqueViolation(err):
		return fmt.Errorf("%w: %v", ErrConflict, err)
	}
	return err
}

func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// Pragma returns the value of a SQLite pragma as seen by the writer or a reader (tests, diagnostics).
func (s *Store) Pragma(ctx context.Context, name string, reader bool) (string, error) {
	if s.dialect != SQLite {
		return "", errors.New("pragma: not sqlite")
	}
	db := s.write(ctx)
	if reader {
		db = s.read(ctx)
	}
	var v string
	err := db.Raw("PRAGMA " + name).Row().Scan(&v)
	return v, err
}

// queryLogger logs failed and slow queries without their values (SECURITY T6: GORM's default
// logger prints them).
func queryLogger(l *slog.Logger) logger.Interface {
	if l == nil {
		return logger.Discard
	}
	return logger.New(slogPrinter{l}, logger.Config{SlowThreshold: time.Second, LogLevel: logger.Warn,
		IgnoreRecordNotFoundError: true, ParameterizedQueries: true, Colorful: false})
}

// slogPrinter adapts slog to GORM's logger.Writer.
type slogPrinter struct{ l *slog.Logger }

// Printf writes one GORM log line as a warning.
func (p slogPrinter) Printf(format string, args ...any) {
	p.l.Warn("database", "detail", strings.TrimSpace(fmt.Sprintf(format, args...)))
}
