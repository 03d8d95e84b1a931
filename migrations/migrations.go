// Package migrations holds the versioned SQL schema, one folder per dialect, embedded into the binary
// and applied with goose. It imports nothing of ours.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// FS returns the migration files of one dialect: "sqlite" or "postgres".
func FS(dialect string) (fs.FS, error) {
	return fs.Sub(files, dialect)
}
