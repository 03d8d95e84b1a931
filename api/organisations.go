package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// organisationRequest is the body of POST (all required but listed/quota) and PATCH (all optional).
type organisationRequest struct {
	Name          *string                    `json:"name" binding:"omitempty,min=1,max=200,nocrlf"`
	Country       *string                    `json:"country" binding:"omitempty,max=2"`
	Kind          *string                    `json:"kind" binding:"omitempty,oneof=party union movement collective media other"`
	Listed        *bool                      `json:"listed"`
	DelegateQuota *int                       `json:"delegate_quota" binding:"omitempty,min=0,max=10000"`
	Status        *models.OrganisationStatus `json:"status" binding:"omitempty,oneof=proposed verified rejected"`
}

// organisationResponse is an organisation as shown to the public or to staff.
type organisationResponse struct {
	ID            string                    `json:"id"`
	Name          string                    `json:"name"`
	Country       string                    `json:"country"`
	Kind          models.OrganisationKind   `json:"kind"`
	Status        models.OrganisationStatus `json:"status,omitempty"`
	Listed        bool                      `json:"listed"`
	DelegateQuota int                       `json:"delegate_quota"`
}

func organisationView(o *models.Organisation, staff bool) organisationResponse {
	r := organisationResponse{ID: o.ID, Name: o.Name, Country: o.Country, Kind: o.Kind, Listed: o.Listed, DelegateQuota: o.DelegateQuota}
	if staff {
		r.Status = o.Status
	}
	return r
}

func (r *organisationRequest) apply(o *models.Organisation, creating bool) models.FieldErrors {
	fe := models.FieldErrors{}
	if creating {
		if r.Name == nil || *r.Name == "" {
			fe.Set("name", models.FieldRequired, "is required")
		}
		if r.Kind == nil {
			fe.Set("kind", models.FieldRequired, "is required")
		}
	}
	setStr(&o.Name, r.Name)
	if r.Country != nil {
		if *r.Country != "" && !countryPattern.MatchString(*r.Country) {
			fe.Set("country", models.FieldInvalidCountry, "must be a two-letter country code such as UA")
		}
		o.Country = *r.Country
	}
	setStr(&o.Kind, r.Kind)
	if r.Listed != nil {
		o.Listed = *r.Listed
	}
	if r.DelegateQuota != nil {
		o.DelegateQuota = *r.DelegateQuota
	}
	if r.Status != nil && !creating {
		if err := o.SetStatus(*r.Status); err != nil {
			fe.Set("status", models.FieldOneOf, err.Error())
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// createOrganisation adds an organisation; organisations created by staff are verified.
func (s *Server) createOrganisation(c *gin.Context) error {
	var req organisationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	o := &models.Organisation{ConferenceID: conf.ID, Status: models.OrgVerified}
	if fe := req.apply(o, true); fe != nil {
		return fe
	}
	err = s.store.Tx(c.Request.Context(), func(tx *models.Store) error {
		if err := tx.CreateOrganisation(c.Request.Context(), o); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "organisation.create", "organisation", o.ID)
	})
	if err != nil {
		return conflictField(err, "name", "an organisation of this name exists already")
	}
	c.JSON(http.StatusCreated, organisationView(o, true))
	return nil
}

// updateOrganisation changes an organisation (staff), including verifying a proposed one.
func (s *Server) updateOrganisation(c *gin.Context) error {
	var req organisationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	o, err := s.store.Organisation(c.Request.Context(), conf.ID, c.Param("id"))
	if err != nil {
		return err
	}
	if fe := req.apply(o, false); fe != nil {
		return fe
	}
	promoted := false
	err = s.store.Tx(c.Request.Context(), func(tx *models.Store) error {
		if err := tx.UpdateOrganisation(c.Request.Context(), o); err != nil {
			return err
		}
		if err := s.audit(c, tx, conf.ID, "organisation.update", "organisation", o.ID); err != nil {
			return err
		}
		// A raised quota frees places: the waiting list moves up, in order, and is told.
		ps, err := tx.PromoteWaitlisted(c.Request.Context(), conf, o)
		if err != nil {
			return err
		}
		promoted = len(ps) > 0
		return s.dom.EnqueuePromotions(c.Request.Context(), tx, s.actor(c), &models.ReviewOutcome{Conference: conf, Promoted: ps})
	})
	if err != nil {
		return conflictField(err, "name", "an organisation of this name exists already")
	}
	if promoted {
		s.notify()
	}
	c.JSON(http.StatusOK, organisationView(o, true))
	return nil
}

// listOrganisations shows verified, listed organisations to the public and all of them (with
// an optional ?status= filter) to staff.
func (s *Server) listOrganisations(c *gin.Context) error {
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	staff := isStaff(c, staffAll...)
	f := models.OrganisationFilter{ConferenceID: conf.ID, PublicOnly: !staff}
	if staff {
		f.Status = models.OrganisationStatus(c.Query("status"))
	}
	os, err := s.store.ListOrganisations(c.Request.Context(), f)
	if err != nil {
		return err
	}
	items := make([]organisationResponse, 0, len(os))
	for i := range os {
		items = append(items, organisationView(&os[i], staff))
	}
	c.JSON(http.StatusOK, listResponse[organisationResponse]{Items: items})
	return nil
}

// getOrganisation shows one organisation: to the public only if verified and listed.
func (s *Server) getOrganisation(c *gin.Context) error {
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	o, err := s.store.Organisation(c.Request.Context(), conf.ID, c.Param("id"))
	if err != nil {
		return err
	}
	staff := isStaff(c, staffAll...)
	if !staff && (o.Status != models.OrgVerified || !o.Listed) {
		return errNotFound
	}
	c.JSON(http.StatusOK, organisationView(o, staff))
	return nil
}
