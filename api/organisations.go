package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// organisationRequest is the body of POST (all required but listed/quota) and PATCH (all optional).
type organisationRequest struct {
	Name          *string `json:"name" binding:"omitempty,min=1,max=200,nocrlf"`
	Country       *string `json:"country" binding:"omitempty,max=2"`
	Kind          *string `json:"kind" binding:"omitempty,oneof=party union movement collective media other"`
	Listed        *bool   `json:"listed"`
	DelegateQuota *int    `json:"delegate_quota" binding:"omitempty,min=0,max=10000"`
	Status        *string `json:"status" binding:"omitempty,oneof=proposed verified rejected"`
}

// organisationResponse is an organisation as shown to the public or to staff.
type organisationResponse struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Country       string `json:"country"`
	Kind          string `json:"kind"`
	Status        string `json:"status,omitempty"`
	Listed        bool   `json:"listed"`
	DelegateQuota int    `json:"delegate_quota"`
}

func organisationView(o *models.Organisation, staff bool) organisationResponse {
	r := organisationResponse{ID: o.ID, Name: o.Name, Country: o.Country, Kind: string(o.Kind), Listed: o.Listed, DelegateQuota: o.DelegateQuota}
	if staff {
		r.Status = string(o.Status)
	}
	return r
}

// input is the request as the domain's organisation input.
func (r *organisationRequest) input() domain.OrganisationInput {
	return domain.OrganisationInput{Name: r.Name, Country: r.Country, Kind: r.Kind, Listed: r.Listed, DelegateQuota: r.DelegateQuota, Status: r.Status}
}

// createOrganisation adds an organisation (domain.Service.CreateOrganisation).
func (s *Server) createOrganisation(c *gin.Context) error {
	var req organisationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	o, err := s.dom.CreateOrganisation(c.Request.Context(), s.actor(c), c.Param("slug"), req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, organisationView(o, true))
	return nil
}

// updateOrganisation changes an organisation (domain.Service.UpdateOrganisation).
func (s *Server) updateOrganisation(c *gin.Context) error {
	var req organisationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	o, err := s.dom.UpdateOrganisation(c.Request.Context(), s.actor(c), c.Param("slug"), c.Param("id"), req.input())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, organisationView(o, true))
	return nil
}

// listOrganisations shows verified, listed organisations to the public and all of them (with
// an optional ?status= filter) to staff (domain.Service.ListOrganisations).
func (s *Server) listOrganisations(c *gin.Context) error {
	a := s.actor(c)
	os, err := s.dom.ListOrganisations(c.Request.Context(), a, c.Param("slug"), c.Query("status"))
	if err != nil {
		return err
	}
	staff := false
	if len(os) > 0 {
		staff = a.IsStaffIn(os[0].ConferenceID, staffAll...)
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
	a := s.actor(c)
	o, err := s.dom.Organisation(c.Request.Context(), a, c.Param("slug"), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, organisationView(o, a.IsStaffIn(o.ConferenceID, staffAll...)))
	return nil
}
