package domain

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/zimmerwald/zimmerwald/models"
)

// ConferenceRoleInput is one role of an account on one conference, named by its slug.
type ConferenceRoleInput struct {
	Conference string
	Role       string
}

// AccountRole is one role of an account on one conference.
type AccountRole struct {
	ConferenceID string
	Conference   string // slug
	Role         models.StaffRole
}

// StaffAccount is a staff account with the role it holds on each conference it works on (none
// for an admin, whose role is instance-wide).
type StaffAccount struct {
	models.Account
	Conferences []AccountRole
}

// ConferenceRoleChoices are the roles an account may hold on one conference: admins are admins
// everywhere.
var ConferenceRoleChoices = []models.StaffRole{models.StaffOrganiser, models.StaffReviewer}

// StaffAccounts lists every staff account with its conference roles, oldest first (admins).
func (s *Service) StaffAccounts(ctx context.Context, a *Actor) ([]StaffAccount, error) {
	accs, err := s.ListAccounts(ctx, a)
	if err != nil {
		return nil, err
	}
	roles, err := s.store.ListConferenceRoles(ctx)
	if err != nil {
		return nil, err
	}
	confs, err := s.store.ListConferences(ctx)
	if err != nil {
		return nil, err
	}
	slug := make(map[string]string, len(confs))
	for _, c := range confs {
		slug[c.ID] = c.Slug
	}
	by := map[string][]AccountRole{}
	for _, r := range roles {
		by[r.AccountID] = append(by[r.AccountID], AccountRole{ConferenceID: r.ConferenceID, Conference: slug[r.ConferenceID], Role: r.Role})
	}
	out := make([]StaffAccount, len(accs))
	for i := range accs {
		out[i] = StaffAccount{Account: accs[i], Conferences: by[accs[i].ID]}
		if out[i].Conferences == nil {
			out[i].Conferences = []AccountRole{}
		}
	}
	return out, nil
}

// SetAccountRoles replaces the conferences an organiser or reviewer account works on, and its
// role on each (admins): in lists every conference it keeps, by slug, with role organiser or
// reviewer; a conference left out is taken away. An admin account works on every conference:
// roles for it are an invalid "roles" field. The change is audited, and takes effect at the
// account's next request, API tokens included.
func (s *Service) SetAccountRoles(ctx context.Context, a *Actor, accountID string, in []ConferenceRoleInput) (*StaffAccount, error) {
	if err := a.RequireStaff(AdminOnly...); err != nil {
		return nil, err
	}
	acc, err := s.store.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	fe := models.FieldErrors{}
	if acc.Role == models.StaffAdmin && len(in) > 0 {
		fe.Set("roles", models.FieldInvalid, "an admin works on every conference: give organisers and reviewers conferences")
	}
	if len(in) > 1000 {
		fe.Set("roles", models.FieldTooLong, "must list at most 1000 conferences")
	}
	roles := map[string]models.StaffRole{}
	out := &StaffAccount{Account: *acc, Conferences: []AccountRole{}}
	for i, r := range in {
		field := fmt.Sprintf("roles.%d", i)
		role := models.StaffRole(r.Role)
		if !slices.Contains(ConferenceRoleChoices, role) {
			fe.Set(field+".role", models.FieldOneOf, "must be one of: organiser, reviewer")
		}
		conf, err := s.Conference(ctx, r.Conference)
		switch {
		case err == nil:
		case errors.Is(err, models.ErrNotFound):
			fe.Set(field+".conference", models.FieldUnknownReference, "no such conference")
			continue
		default:
			return nil, err
		}
		if _, dup := roles[conf.ID]; dup {
			fe.Set(field+".conference", models.FieldTaken, "is listed twice")
			continue
		}
		roles[conf.ID] = role
		out.Conferences = append(out.Conferences, AccountRole{ConferenceID: conf.ID, Conference: conf.Slug, Role: role})
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := tx.SetConferenceRoles(ctx, acc.ID, roles); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "", "account.roles", "account", acc.ID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
