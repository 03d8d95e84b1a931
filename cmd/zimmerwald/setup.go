package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/models"
)

// bootstrap creates the first admin from ZW_BOOTSTRAP_ADMIN_* or, when there is no account at all,
// prints a one-time link that lets whoever runs the server create it.
func bootstrap(ctx context.Context, cfg config.Config, st *models.Store, log *slog.Logger) error {
	n, err := st.CountAccounts(ctx)
	if err != nil || n > 0 {
		return err
	}
	if cfg.BootstrapAdminEmail != "" {
		if err := createAccount(ctx, st, cfg.BootstrapAdminEmail, cfg.BootstrapAdminPassword, models.StaffAdmin); err != nil {
			return fmt.Errorf("bootstrap admin: %w", err)
		}
		log.Info("created the first admin account from ZW_BOOTSTRAP_ADMIN_EMAIL")
		return nil
	}
	secret, err := st.IssueToken(ctx, &models.AuthToken{Kind: models.TokenSetup, ExpiresAt: st.Now().Add(24 * time.Hour)})
	if err != nil {
		return err
	}
	fmt.Printf("\nNo staff account exists yet. Create the first admin within 24 hours at:\n\n    %s/setup?token=%s\n\n", cfg.BaseURL, secret)
	fmt.Printf("(or set ZW_BOOTSTRAP_ADMIN_EMAIL and ZW_BOOTSTRAP_ADMIN_PASSWORD, or run: zimmerwald user add --email you@example.org --role admin)\n\n")
	return nil
}

func createAccount(ctx context.Context, st *models.Store, email, pw string, role models.StaffRole) error {
	if len(pw) < password.MinLength {
		return fmt.Errorf("the password must have at least %d characters", password.MinLength)
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	return st.CreateAccount(ctx, &models.Account{Email: email, PasswordHash: hash, Role: role, CanExport: role == models.StaffAdmin})
}

// userCommand implements "zimmerwald user add".
func userCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: zimmerwald user add --email E --role admin|organiser|reviewer [--conference SLUG[,SLUG...]] (password from ZW_NEW_PASSWORD or standard input)")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	email := fs.String("email", "", "the staff member's email")
	role := fs.String("role", string(models.StaffOrganiser), "admin, organiser or reviewer")
	confs := fs.String("conference", "", "for an organiser or reviewer: the conferences (slugs, comma-separated) it works on")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("--email is required")
	}
	pw := os.Getenv("ZW_NEW_PASSWORD")
	if pw == "" {
		fmt.Fprint(os.Stderr, "password: ")
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("no password given")
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	if !models.StaffRole(*role).Valid() {
		return fmt.Errorf("--role must be admin, organiser or reviewer")
	}
	// Roles are per conference: an organiser or reviewer works only on the conferences given.
	var confIDs []string
	for _, slug := range strings.Split(*confs, ",") {
		if slug = strings.TrimSpace(slug); slug == "" {
			continue
		}
		if *role == string(models.StaffAdmin) {
			return errors.New("--conference is for organisers and reviewers: an admin works on every conference")
		}
		c, err := st.ConferenceBySlug(ctx, slug)
		if err != nil {
			return fmt.Errorf("--conference %s: %w", slug, err)
		}
		confIDs = append(confIDs, c.ID)
	}
	if err := createAccount(ctx, st, *email, pw, models.StaffRole(*role)); err != nil {
		if errors.Is(err, models.ErrConflict) {
			return errors.New("an account with this email exists already")
		}
		return err
	}
	if len(confIDs) > 0 {
		acc, err := st.AccountByEmail(ctx, *email)
		if err != nil {
			return err
		}
		for _, id := range confIDs {
			if err := st.GrantConferenceRole(ctx, acc.ID, id, acc.Role); err != nil {
				return err
			}
		}
	}
	fmt.Println("account created")
	if *role != string(models.StaffAdmin) && len(confIDs) == 0 {
		fmt.Println("it works on no conference yet: an admin gives it conferences on the staff accounts page")
	}
	return nil
}

// loadDemo fills an empty database with the demo conference.
func loadDemo(ctx context.Context, st *models.Store, log *slog.Logger) error {
	loaded, err := st.LoadDemo(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if loaded {
		log.Info("loaded the demo conference", "slug", models.DemoSlug)
	} else {
		log.Info("database not empty: demo not loaded")
	}
	return nil
}
