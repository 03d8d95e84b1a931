package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/models"
)

// backupCommand implements "zimmerwald backup [--out FILE]" and
// "zimmerwald backup decrypt --in FILE --out DB".
func backupCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	if len(args) > 0 && args[0] == "decrypt" {
		return decryptBackup(cfg, log, args[1:])
	}
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "encrypted backup file to write (default ZW_DATA_DIR/backups/zimmerwald-<time>.db.enc, rotated: ZW_BACKUP_KEEP)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return errors.New("backup: with PostgreSQL use pg_dump and encrypt the dump (see README)")
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	path, err := writeBackup(ctx, cfg, st, *out)
	if err != nil {
		return err
	}
	fmt.Printf("encrypted backup written to %s (decrypt with the same data key: zimmerwald backup decrypt --in FILE --out DB)\n", path)
	return nil
}

// backupPrefix and backupSuffix frame the names of the backups that rotate: the time between
// them sorts as the names do.
const backupPrefix, backupSuffix = "zimmerwald-", ".db.enc"

// writeBackup writes an encrypted backup to out, or (out empty) to a new file in the backup
// directory, after which only the newest ZW_BACKUP_KEEP backups there are kept. It returns the
// path written.
func writeBackup(ctx context.Context, cfg config.Config, st *models.Store, out string) (string, error) {
	rotate := out == ""
	if rotate {
		out = filepath.Join(cfg.BackupDir(), backupPrefix+time.Now().UTC().Format("20060102-150405.000000000")+backupSuffix)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		return "", err
	}
	part := out + ".part" // a backup cut short (a kill) never takes the name of a complete one
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(part)
	if err := st.BackupSQLite(ctx, cfg.SQLitePath(), f); err != nil {
		f.Close()
		return "", err
	}
	if err := errors.Join(f.Sync(), f.Close(), os.Link(part, out)); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	if rotate {
		if err := rotateBackups(cfg.BackupDir(), cfg.BackupKeep); err != nil {
			return out, err
		}
	}
	return out, nil
}

// rotateBackups deletes all but the keep newest backups in dir (files named by writeBackup; other
// files are left alone).
func rotateBackups(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("rotate backups: %w", err)
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); e.Type().IsRegular() && strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n, backupSuffix) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var errs []error
	for len(names) > keep {
		errs = append(errs, os.Remove(filepath.Join(dir, names[0])))
		names = names[1:]
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("rotate backups: %w", err)
	}
	return nil
}

// scheduledBackups writes a rotating backup every ZW_BACKUP_INTERVAL while serve runs (SQLite
// only; PostgreSQL is backed up with pg_dump).
func scheduledBackups(ctx context.Context, cfg config.Config, st *models.Store, log *slog.Logger) {
	if cfg.BackupInterval <= 0 || st.Dialect() != models.SQLite {
		return
	}
	tick := time.NewTicker(cfg.BackupInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if path, err := writeBackup(ctx, cfg, st, ""); err != nil && ctx.Err() == nil {
			log.Warn("scheduled backup failed", "err", err)
		} else if err == nil {
			log.Info("backup written", "path", path, "kept", cfg.BackupKeep)
		}
	}
}

func decryptBackup(cfg config.Config, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("backup decrypt", flag.ContinueOnError)
	in := fs.String("in", "", "encrypted backup file")
	out := fs.String("out", "", "SQLite file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return errors.New("usage: zimmerwald backup decrypt --in FILE --out DB")
	}
	box, err := loadKey(cfg, log)
	if err != nil {
		return err
	}
	src, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := box.DecryptStream(dst, src); err != nil {
		dst.Close()
		os.Remove(*out)
		return err
	}
	return dst.Close()
}
