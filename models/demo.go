package models

import (
	"context"
	"fmt"
	"time"
)

// DemoSlug is the slug of the demo conference.
const DemoSlug = "zimmerwald-2027"

// LoadDemo fills an empty database with a demo conference: organisations of several kinds and
// countries, delegates in every status and visibility, rooms, sessions and statements. It does
// nothing and returns false when any conference exists.
func (s *Store) LoadDemo(ctx context.Context) (bool, error) {
	var n int64
	if err := s.read(ctx).Model(&Conference{}).Count(&n).Error; err != nil || n > 0 {
		return false, err
	}
	err := s.Tx(ctx, func(tx *Store) error {
		opens := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		closes := time.Date(2027, 8, 1, 0, 0, 0, 0, time.UTC)
		conf := &Conference{Slug: DemoSlug, Title: "Zimmerwald Conference 2027", Acronym: "ZW27", Timezone: "Europe/Zurich",
			StartsOn: time.Date(2027, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 9, 8, 0, 0, 0, 0, time.UTC),
			Venue: "Zimmerwald, Canton of Bern", Languages: StringList{"en", "ru", "uk", "de", "fr"},
			RegistrationOpensAt: &opens, RegistrationClosesAt: &closes}
		if err := tx.CreateConference(ctx, conf); err != nil {
			return err
		}
		orgs := []*Organisation{
			{Name: "Swiss Workers' Union", Country: "CH", Kind: OrgUnion, Listed: true, DelegateQuota: 5},
			{Name: "Feminist Anti-War Resistance", Country: "RU", Kind: OrgMovement, Listed: false, DelegateQuota: 4},
			{Name: "Sotsialnyi Rukh", Country: "UA", Kind: OrgMovement, Listed: true, DelegateQuota: 5},
			{Name: "Die Linke Bern", Country: "CH", Kind: OrgParty, Listed: true, DelegateQuota: 3},
			{Name: "Collectif Paix et Travail", Country: "FR", Kind: OrgCollective, Listed: true, DelegateQuota: 3},
		}
		for _, o := range orgs {
			o.ConferenceID, o.Status = conf.ID, OrgVerified
			if err := tx.CreateOrganisation(ctx, o); err != nil {
				return err
			}
		}
		now := tx.Now()
		people := []struct {
			name, org string
			status    DelegateStatus
			vis       Visibility
			lang      string
		}{
			{"Anna K.", orgs[0].ID, DelegateApproved, VisibilityPublic, "de"},
			{"Comrade Vera", orgs[1].ID, DelegateApproved, VisibilityOrganisers, "ru"},
			{"Mykola", orgs[2].ID, DelegateApproved, VisibilityPublic, "uk"},
			{"Oksana P.", orgs[2].ID, DelegateSubmitted, VisibilityParticipants, "uk"},
			{"Lea", orgs[3].ID, DelegateWaitlist, VisibilityPublic, "de"},
			{"Jean-Marc", orgs[4].ID, DelegateApproved, VisibilityPublic, "fr"},
			{"Observer 7", "", DelegateApproved, VisibilityOrganisers, "en"},
		}
		var delegates []*Delegate
		for i, p := range people {
			d := &Delegate{ConferenceID: conf.ID, Role: RoleDelegate, Status: p.status, DisplayName: p.name,
				Email: fmt.Sprintf("demo%d@example.org", i+1), Languages: StringList{p.lang}, Attendance: AttendInPerson,
				Visibility: p.vis, NotifyAnnouncements: true, NotifyAgenda: true, ConsentAt: &now, ConfirmedAt: &now}
			if p.org != "" {
				org := p.org
				d.OrganisationID = &org
			} else {
				d.Role, d.Attendance = RoleObserver, AttendRemote
			}
			if err := tx.CreateDelegate(ctx, d); err != nil {
				return err
			}
			delegates = append(delegates, d)
		}
		if err := tx.demoAgenda(ctx, conf, orgs, delegates); err != nil {
			return err
		}
		return tx.demoStatements(ctx, conf, orgs, delegates)
	})
	return err == nil, err
}
