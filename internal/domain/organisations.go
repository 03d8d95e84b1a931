package domain

import (
	"context"

	"github.com/google/uuid"

	"github.com/zimmerwald/zimmerwald/models"
)

// OrganisationInput holds the fields of an organisation to set; a nil field is left as it is.
// Status is only changed on an update (a proposed organisation is verified or rejected).
type OrganisationInput struct {
	Name, Country, Kind *string
	Listed              *bool
	DelegateQuota       *int
	Status              *string
}

// CreateOrganisation adds an organisation to the conference with slug (organisers); organisations
// created by staff are verified. A taken name is a conflict on "name". The creation is audited.
func (s *Service) CreateOrganisation(ctx context.Context, a *Actor, slug string, in OrganisationInput) (*models.Organisation, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	o := &models.Organisation{ConferenceID: conf.ID, Status: models.OrgVerified}
	if err := in.apply(o, true); err != nil {
		return nil, err
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := tx.CreateOrganisation(ctx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, conf.ID, "organisation.create", "organisation", o.ID)
	})
	if err != nil {
		return nil, conflictOn(err, "name", "an organisation of this name exists already")
	}
	return o, nil
}

// UpdateOrganisation changes an organisation (organisers), including verifying a proposed one. A
// raised quota frees places: the waiting list moves up, in order, and each delegate promoted is
// mailed. The change and each promotion are audited.
func (s *Service) UpdateOrganisation(ctx context.Context, a *Actor, slug, id string, in OrganisationInput) (*models.Organisation, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, o, err := s.organisation(ctx, slug, id)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	if err := in.apply(o, false); err != nil {
		return nil, err
	}
	err = s.change(ctx, func(tx *models.Store) error {
		if err := tx.UpdateOrganisation(ctx, o); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, conf.ID, "organisation.update", "organisation", o.ID); err != nil {
			return err
		}
		ps, err := tx.PromoteWaitlisted(ctx, conf, o)
		if err != nil {
			return err
		}
		return s.EnqueuePromotions(ctx, tx, a, &models.ReviewOutcome{Conference: conf, Promoted: ps})
	})
	s.organisations.forget() // a rejection applies to this process's next registration at once
	if err != nil {
		return nil, conflictOn(err, "name", "an organisation of this name exists already")
	}
	return o, nil
}

// ListOrganisations lists the organisations of the conference with slug that a may see,
// by name: all of them (optionally of one status) for staff, the verified and listed ones for
// everyone else (status is then ignored).
func (s *Service) ListOrganisations(ctx context.Context, a *Actor, slug, status string) ([]models.Organisation, error) {
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	f := models.OrganisationFilter{ConferenceID: conf.ID, PublicOnly: !a.IsStaffIn(conf.ID, StaffAll...)}
	if !f.PublicOnly {
		f.Status = models.OrganisationStatus(status)
	}
	return s.store.ListOrganisations(ctx, f)
}

// Organisation returns one organisation of the conference with slug: to anyone but staff only if
// it is verified and listed (else not found).
func (s *Service) Organisation(ctx context.Context, a *Actor, slug, id string) (*models.Organisation, error) {
	_, o, err := s.organisation(ctx, slug, id)
	if err != nil {
		return nil, err
	}
	if !a.IsStaffIn(o.ConferenceID, StaffAll...) && (o.Status != models.OrgVerified || !o.Listed) {
		return nil, models.ErrNotFound
	}
	return o, nil
}

// organisation loads the conference with slug and its organisation id.
func (s *Service) organisation(ctx context.Context, slug, id string) (*models.Conference, *models.Organisation, error) {
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	if uuid.Validate(id) != nil {
		return nil, nil, models.ErrNotFound
	}
	o, err := s.store.Organisation(ctx, conf.ID, id)
	if err != nil {
		return nil, nil, err
	}
	return conf, o, nil
}

// apply copies the set fields of in onto o and returns per-field errors for rule violations.
func (in *OrganisationInput) apply(o *models.Organisation, creating bool) error {
	fe := models.FieldErrors{}
	if creating {
		if in.Name == nil || *in.Name == "" {
			fe.Set("name", models.FieldRequired, "is required")
		}
		if in.Kind == nil {
			fe.Set("kind", models.FieldRequired, "is required")
		}
	}
	setStr(&o.Name, in.Name)
	if in.Country != nil {
		if *in.Country != "" && !countryPattern.MatchString(*in.Country) {
			fe.Set("country", models.FieldInvalidCountry, "must be a two-letter country code such as UA")
		}
		o.Country = *in.Country
	}
	setStr(&o.Kind, in.Kind)
	if in.Listed != nil {
		o.Listed = *in.Listed
	}
	if in.DelegateQuota != nil {
		o.DelegateQuota = *in.DelegateQuota
	}
	if in.Status != nil && !creating {
		if err := o.SetStatus(models.OrganisationStatus(*in.Status)); err != nil {
			fe.Set("status", models.FieldOneOf, err.Error())
		}
	}
	return fe.Err()
}
