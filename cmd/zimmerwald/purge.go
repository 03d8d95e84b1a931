package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/zimmerwald/zimmerwald/internal/config"
)

// purgeCommand implements "zimmerwald purge": it erases the personal data of every conference
// whose retention period is over (or of one conference, with --conference SLUG --now), then makes
// the erased bytes unrecoverable from the database files.
func purgeCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	slug := fs.String("conference", "", "purge only this conference")
	now := fs.Bool("now", false, "with --conference: purge even if its retention period is not over")
	dry := fs.Bool("dry-run", false, "only list what would be purged")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *now && *slug == "" {
		return errors.New("--now needs --conference")
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	confs, err := st.ListConferences(ctx)
	if err != nil {
		return err
	}
	purged := 0
	for i := range confs {
		c := &confs[i]
		if *slug != "" && c.Slug != *slug {
			continue
		}
		if !c.RetentionOver(st.Now()) && !*now {
			fmt.Printf("%s: retention runs until %s, kept\n", c.Slug, c.EndsOn.AddDate(0, 0, c.RetentionDays).Format("2006-01-02"))
			continue
		}
		if *dry {
			fmt.Printf("%s: would be purged\n", c.Slug)
			continue
		}
		res, err := st.PurgeConference(ctx, c.ID)
		if err != nil {
			return err
		}
		purged++
		fmt.Printf("%s: erased %d delegates, deleted %d mails and %d tokens\n", c.Slug, res.Delegates, res.Mails, res.Tokens)
	}
	if *slug != "" && len(confs) > 0 && purged == 0 && !*dry {
		found := false
		for _, c := range confs {
			found = found || c.Slug == *slug
		}
		if !found {
			return fmt.Errorf("no conference %q", *slug)
		}
	}
	if purged > 0 {
		if err := st.Compact(ctx); err != nil {
			return err
		}
		fmt.Println("database compacted: erased data is gone from the files (back-ups made before keep it until they expire)")
	}
	return nil
}
