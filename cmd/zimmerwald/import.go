package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/models"
)

// importCommand runs `zimmerwald import --conference SLUG [--check] FILE.csv`: it imports a CSV of
// delegates (columns: models.ImportColumns) all or nothing, printing a report per row and progress.
func importCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	slug := fs.String("conference", "", "slug of the conference to import into")
	check := fs.Bool("check", false, "check the file against the database and import nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *slug == "" || fs.NArg() != 1 {
		return errors.New("usage: zimmerwald import --conference SLUG [--check] FILE.csv")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	return importDelegates(ctx, st, *slug, f, os.Stderr, *check)
}

var errCheckOnly = errors.New("check only")

// importDelegates parses, checks and imports a CSV into the conference slug in one transaction,
// writing the per-row report and progress to out. With checkOnly the transaction is rolled back.
func importDelegates(ctx context.Context, st *models.Store, slug string, r io.Reader, out io.Writer, checkOnly bool) error {
	conf, err := st.ConferenceBySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("import: conference %q: %w", slug, err)
	}
	rows, err := models.ParseDelegateCSV(r)
	if err != nil {
		return report(out, err)
	}
	fmt.Fprintf(out, "%d rows read, checking against %s\n", len(rows), conf.Slug)
	var n int
	err = st.Tx(ctx, func(tx *models.Store) error {
		var err error
		n, err = tx.ImportDelegates(ctx, conf.ID, rows, func(done, total int) {
			fmt.Fprintf(out, "\rstoring %d/%d", done, total)
		})
		if err == nil && checkOnly {
			return errCheckOnly
		}
		return err
	})
	switch {
	case errors.Is(err, errCheckOnly):
		fmt.Fprintf(out, "\nthe file is valid: %d delegates would be imported (nothing was stored)\n", n)
		return nil
	case err != nil:
		return report(out, err)
	}
	fmt.Fprintf(out, "\nimported %d delegates into %s\n", n, conf.Slug)
	return nil
}

// report prints the row problems of an *models.ImportError and returns a summary error.
func report(out io.Writer, err error) error {
	var ie *models.ImportError
	if !errors.As(err, &ie) {
		return fmt.Errorf("import: %w (nothing imported)", err)
	}
	for _, row := range ie.Rows {
		fmt.Fprintln(out, row.String())
	}
	return ie
}
