package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
)

// amendmentRequest proposes replacement text for paragraph (1-based) or, without it, for the
// whole body.
type amendmentRequest struct {
	Paragraph *int   `json:"paragraph" binding:"omitempty,min=1,max=10000"`
	Text      string `json:"text" binding:"required,max=100000"`
	Rationale string `json:"rationale" binding:"max=10000"`
}

// amendmentDecisionRequest is staff's decision on an amendment.
type amendmentDecisionRequest struct {
	Decision string `json:"decision" binding:"required,oneof=accept reject"`
	Comment  string `json:"comment" binding:"max=10000"`
}

// amendmentResponse is an amendment as the reader may see it (domain.AmendmentView).
type amendmentResponse struct {
	ID             string           `json:"id"`
	StatementID    string           `json:"statement_id"`
	OrganisationID string           `json:"organisation_id,omitempty"`
	Organisation   *organisationRef `json:"organisation,omitempty"`
	Author         *delegateRef     `json:"author,omitempty"`
	BaseVersion    int              `json:"base_version"`
	Paragraph      *int             `json:"paragraph"`
	Text           string           `json:"text"`
	TextHTML       string           `json:"text_html"`
	Rationale      string           `json:"rationale"`
	Status         string           `json:"status"`
	DecidedAt      *time.Time       `json:"decided_at"`
	CreatedAt      time.Time        `json:"created_at"`
	// StatementVersion is the version an accepted amendment produced (decision answers only).
	StatementVersion int `json:"statement_version,omitempty"`
}

// amendmentJSON is v as the API answers it.
func amendmentJSON(v *domain.AmendmentView) amendmentResponse {
	out := amendmentResponse{ID: v.ID, StatementID: v.StatementID, Organisation: orgRefJSON(v.Organisation), Author: delegateRefJSON(v.Author),
		BaseVersion: v.BaseVersion, Paragraph: v.Paragraph, Text: v.Text, TextHTML: v.TextHTML, Rationale: v.Rationale, Status: string(v.Status),
		DecidedAt: v.DecidedAt, CreatedAt: v.CreatedAt, StatementVersion: v.StatementVersion}
	if v.Organisation != nil {
		out.OrganisationID = v.Organisation.ID
	}
	return out
}

// proposeAmendment proposes an amendment (domain.Service.ProposeAmendment).
func (s *Server) proposeAmendment(c *gin.Context) error {
	var req amendmentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := domain.AmendmentProposal{StatementID: c.Param("id"), Paragraph: req.Paragraph, Text: req.Text, Rationale: req.Rationale}
	v, err := s.dom.ProposeAmendment(c.Request.Context(), s.actor(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, amendmentJSON(v))
	return nil
}

// listAmendments lists a statement's amendments to whoever may read the statement
// (domain.Service.ListAmendments).
func (s *Server) listAmendments(c *gin.Context) error {
	vs, err := s.dom.ListAmendments(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	out := listResponse[amendmentResponse]{Items: make([]amendmentResponse, 0, len(vs))}
	for i := range vs {
		out.Items = append(out.Items, amendmentJSON(&vs[i]))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// decideAmendment accepts or rejects an amendment (domain.Service.DecideAmendment).
func (s *Server) decideAmendment(c *gin.Context) error {
	var req amendmentDecisionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.dom.DecideAmendment(c.Request.Context(), s.actor(c), domain.AmendmentDecision{AmendmentID: c.Param("id"), Decision: req.Decision})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, amendmentJSON(v))
	return nil
}
