package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// delegateResponse is a registration as staff or the delegate themself see it
// (domain.DelegateRecord: personal fields only where the domain allows them).
type delegateResponse = domain.DelegateRecord

// delegateView shows d as the domain's sight allows.
func delegateView(d *models.Delegate, sight domain.Sight) delegateResponse {
	return domain.RecordOf(d, sight)
}

// listDelegates lists a conference's registrations for review (domain.Service.ListDelegates),
// oldest first, filtered by ?status=, ?organisation_id=, ?role=, ?attendance= and ?q= (a part of
// the display name). The list holds no personal fields.
func (s *Server) listDelegates(c *gin.Context) error {
	pg, err := page(c)
	if err != nil {
		return err
	}
	ds, sight, err := s.dom.ListDelegates(c.Request.Context(), s.actor(c), domain.DelegateQuery{Conference: c.Param("slug"),
		Status: c.Query("status"), OrganisationID: c.Query("organisation_id"), Role: c.Query("role"),
		Attendance: c.Query("attendance"), Query: c.Query("q"), Page: pg})
	if err != nil {
		return err
	}
	out := listResponse[delegateResponse]{Items: make([]delegateResponse, 0, len(ds))}
	for i := range ds {
		out.Items = append(out.Items, delegateView(&ds[i], sight))
	}
	if len(ds) == pg.Limit {
		last := ds[len(ds)-1]
		out.NextCursor = models.EncodeCursor(last.CreatedAt, last.ID)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// getDelegate shows one registration to staff (domain.Service.GetDelegate): organisers and
// admins see the personal fields, and each such read is audited; reviewers see the record
// without them.
func (s *Server) getDelegate(c *gin.Context) error {
	d, sight, err := s.dom.GetDelegate(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, delegateView(d, sight))
	return nil
}

// decisionRequest is the body of POST /delegates/{id}/decision.
type decisionRequest struct {
	Decision string `json:"decision" binding:"required,oneof=approve waitlist reject"`
	Reason   string `json:"reason" binding:"max=1000"`
}

// decideDelegate records an organiser's decision on a registration (domain.Service.DecideDelegate).
func (s *Server) decideDelegate(c *gin.Context) error {
	var req decisionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	d, err := s.dom.DecideDelegate(c.Request.Context(), s.actor(c), domain.Decision{DelegateID: c.Param("id"), Decision: req.Decision, Reason: req.Reason})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, delegateView(d, domain.SightStaff))
	return nil
}

// participantResponse is one public participant: what they chose to show, nothing else.
type participantResponse struct {
	DisplayName  string `json:"display_name"`
	Country      string `json:"country,omitempty"`
	Organisation string `json:"organisation,omitempty"`
	// Visibility is "public", or "participants" for a delegate shown to approved delegates only.
	Visibility models.Visibility `json:"visibility"`
}

// listParticipants lists approved delegates by display name: those with visibility public to
// everyone, and also those with visibility participants when the caller is an approved delegate
// of the conference (domain.Service.ParticipantsFor); such an answer is private. The
// organisation is named only if it is verified and listed. Nothing in it depends on any other
// delegate.
func (s *Server) listParticipants(c *gin.Context) error {
	limit := 0
	if v := c.Query("limit"); v != "" {
		var err error
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return malformed("invalid limit", models.FieldProblem("limit", models.FieldInvalid, "must be a positive whole number"))
		}
	}
	pg, err := models.ParseParticipantPage(limit, c.Query("cursor"))
	if err != nil {
		return err
	}
	ps, tier, err := s.dom.ParticipantsFor(c.Request.Context(), s.actor(c), c.Param("slug"), pg)
	if err != nil {
		return err
	}
	if tier {
		c.Header("Cache-Control", "private, no-store")
	}
	out := listResponse[participantResponse]{Items: make([]participantResponse, 0, len(ps))}
	for _, p := range ps {
		vis := p.Visibility
		if vis == "" {
			vis = models.VisibilityPublic
		}
		out.Items = append(out.Items, participantResponse{DisplayName: p.DisplayName, Country: p.Country, Organisation: p.Organisation, Visibility: vis})
	}
	if len(ps) == pg.Limit {
		out.NextCursor = models.EncodeParticipantCursor(ps[len(ps)-1])
	}
	c.JSON(http.StatusOK, out)
	return nil
}
