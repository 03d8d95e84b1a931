package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
)

// backupCommand implements "zimmerwald backup [--out FILE]" and
// "zimmerwald backup decrypt --in FILE --out DB".
func backupCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	if len(args) > 0 && args[0] == "decrypt" {
		return decryptBackup(cfg, log, args[1:])
	}
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "encrypted backup file to write (default ZW_DATA_DIR/backups/zimmerwald-<time>.db.enc)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return errors.New("backup: with PostgreSQL use pg_dump and encrypt the dump (see README)")
	}
	if *out == "" {
		*out = filepath.Join(cfg.DataDir, "backups", "zimmerwald-"+time.Now().UTC().Format("20060102-150405")+".db.enc")
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o700); err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := st.BackupSQLite(ctx, cfg.SQLitePath(), f); err != nil {
		f.Close()
		os.Remove(*out)
		return err
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return err
	}
	fmt.Printf("encrypted backup written to %s (decrypt with the same data key: zimmerwald backup decrypt --in FILE --out DB)\n", *out)
	return nil
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
