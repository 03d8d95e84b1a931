package models

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// BackupSQLite writes a consistent copy of the SQLite database to w, encrypted under the data key
// (see seal.Box.EncryptStream). It runs while the server serves: VACUUM INTO takes a snapshot into
// a temporary file beside the database, which is removed afterwards; writes wait meanwhile.
func (s *Store) BackupSQLite(ctx context.Context, dbPath string, w io.Writer) error {
	if s.dialect != SQLite {
		return errors.New("backup: PostgreSQL is backed up with pg_dump (see README)")
	}
	tmp := filepath.Join(filepath.Dir(dbPath), fmt.Sprintf(".backup-%s.db", NewID()))
	defer os.Remove(tmp)
	if err := s.write(ctx).Exec("VACUUM INTO '" + strings.ReplaceAll(tmp, "'", "''") + "'").Error; err != nil {
		return fmt.Errorf("backup: snapshot: %w", err)
	}
	f, err := os.Open(tmp)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	if err := s.box.EncryptStream(w, f); err != nil {
		return fmt.Errorf("backup: encrypt: %w", err)
	}
	return nil
}
