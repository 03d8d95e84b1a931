package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/models"
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

// purgeEvery is how often serve erases the personal data of conferences past their retention.
const purgeEvery = 24 * time.Hour

// purgeExpired erases the personal data of every conference whose retention period is over, as
// "zimmerwald purge" does, and compacts the database when anything was erased. serve runs it
// at start and then once a day, so that no cron job is needed. It returns how many delegates
// were erased.
func purgeExpired(ctx context.Context, st *models.Store, log *slog.Logger) (int64, error) {
	confs, err := st.ListConferences(ctx)
	if err != nil {
		return 0, err
	}
	var erased, total int64
	for i := range confs {
		c := &confs[i]
		if !c.RetentionOver(st.Now()) {
			continue
		}
		res, err := st.PurgeConference(ctx, c.ID)
		if err != nil {
			return erased, err
		}
		if n := res.Delegates + res.Mails + res.Tokens; n > 0 {
			log.Info("purged a conference past its retention period", "conference", c.Slug, "delegates", res.Delegates, "mails", res.Mails, "tokens", res.Tokens)
			total += n
		}
		erased += res.Delegates
	}
	if total > 0 {
		if err := st.Compact(ctx); err != nil {
			return erased, err
		}
	}
	return erased, nil
}
