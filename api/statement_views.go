package api

import (
	"time"

	"github.com/zimmerwald/zimmerwald/internal/domain"
)

// organisationRef names an organisation.
type organisationRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Country string `json:"country,omitempty"`
}

// orgRefJSON is o in JSON, or nil.
func orgRefJSON(o *domain.OrganisationRef) *organisationRef {
	if o == nil {
		return nil
	}
	return &organisationRef{ID: o.ID, Name: o.Name, Country: o.Country}
}

// delegateRef names a delegate by the name they chose.
type delegateRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
}

// delegateRefJSON is d in JSON, or nil.
func delegateRefJSON(d *domain.DelegateRef) *delegateRef {
	if d == nil {
		return nil
	}
	return &delegateRef{ID: d.ID, DisplayName: d.DisplayName}
}

// cosignatureResponse is one signature as staff see it.
type cosignatureResponse struct {
	OrganisationID string    `json:"organisation_id"`
	Name           string    `json:"name"`
	Named          bool      `json:"named"`
	CreatedAt      time.Time `json:"created_at"`
}

// statementResponse is a statement as the reader may see it (domain.StatementView). Title,
// summary and body are in Language: the translation asked for with ?lang= when there is one,
// else OriginalLanguage.
type statementResponse struct {
	ID               string                `json:"id"`
	ConferenceID     string                `json:"conference_id"`
	OrganisationID   string                `json:"organisation_id,omitempty"`
	Organisation     *organisationRef      `json:"organisation,omitempty"`
	Author           *delegateRef          `json:"author,omitempty"`
	SessionID        *string               `json:"session_id"`
	Title            string                `json:"title"`
	Summary          string                `json:"summary"`
	Body             string                `json:"body"`
	BodyHTML         string                `json:"body_html"`
	Language         string                `json:"language"`
	OriginalLanguage string                `json:"original_language"`
	Translated       bool                  `json:"translated"`
	Languages        []string              `json:"languages"`
	Status           string                `json:"status"`
	Version          int                   `json:"version"`
	Cosigners        []organisationRef     `json:"cosigners"`
	UnnamedCosigners int                   `json:"unnamed_cosigners"`
	Cosignatures     []cosignatureResponse `json:"cosignatures,omitempty"`
	Ballot           *ballotResponse       `json:"ballot,omitempty"`
	SubmittedAt      *time.Time            `json:"submitted_at"`
	DecidedAt        *time.Time            `json:"decided_at"`
	CreatedAt        time.Time             `json:"created_at"`
	UpdatedAt        time.Time             `json:"updated_at"`
}

// statementJSON is v as the API answers it.
func statementJSON(v *domain.StatementView) *statementResponse {
	out := &statementResponse{ID: v.ID, ConferenceID: v.ConferenceID, Organisation: orgRefJSON(v.Organisation), Author: delegateRefJSON(v.Author),
		SessionID: v.SessionID, Title: v.Title, Summary: v.Summary, Body: v.Body, BodyHTML: v.BodyHTML, Language: v.Language,
		OriginalLanguage: v.OriginalLanguage, Translated: v.Translated, Languages: v.Languages, Status: string(v.Status), Version: v.Version,
		Cosigners: make([]organisationRef, 0, len(v.Cosigners)), UnnamedCosigners: v.UnnamedCosigners, Ballot: ballotJSON(v.Ballot),
		SubmittedAt: v.SubmittedAt, DecidedAt: v.DecidedAt, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	if v.Organisation != nil {
		out.OrganisationID = v.Organisation.ID
	}
	for i := range v.Cosigners {
		out.Cosigners = append(out.Cosigners, *orgRefJSON(&v.Cosigners[i]))
	}
	for _, cs := range v.Cosignatures {
		out.Cosignatures = append(out.Cosignatures, cosignatureResponse{OrganisationID: cs.OrganisationID, Name: cs.Name, Named: cs.Named, CreatedAt: cs.CreatedAt})
	}
	return out
}
