package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// delegationMember is one member of a delegation.
type delegationMember struct {
	DelegateID  string `json:"delegate_id"`
	DisplayName string `json:"display_name,omitempty"`
	Role        string `json:"role"`
}

// delegationRequest is the credentials decision on an organisation's delegation.
type delegationRequest struct {
	VotingMandates *int               `json:"voting_mandates"`
	Members        []delegationMember `json:"members"`
}

// delegationResponse is an organisation's delegation; Role is the reader's own (on /me).
type delegationResponse struct {
	OrganisationID string             `json:"organisation_id"`
	Organisation   string             `json:"organisation"`
	VotingMandates int                `json:"voting_mandates"`
	Members        []delegationMember `json:"members"`
	Role           *string            `json:"role,omitempty"`
}

func delegationJSON(d *domain.Delegation) *delegationResponse {
	out := &delegationResponse{OrganisationID: d.Organisation.ID, Organisation: d.Organisation.Name, VotingMandates: d.VotingMandates, Members: []delegationMember{}}
	for _, m := range d.Members {
		out.Members = append(out.Members, delegationMember{DelegateID: m.DelegateID, DisplayName: m.DisplayName, Role: string(m.Role)})
	}
	return out
}

// getDelegation answers an organisation's delegation (domain.Service.GetDelegation).
func (s *Server) getDelegation(c *gin.Context) error {
	d, err := s.dom.GetDelegation(c.Request.Context(), s.actor(c), c.Param("slug"), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, delegationJSON(d))
	return nil
}

// putDelegation sets an organisation's delegation (domain.Service.SetDelegation).
func (s *Server) putDelegation(c *gin.Context) error {
	var req delegationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := make([]domain.DelegationEntry, len(req.Members))
	for i, m := range req.Members {
		in[i] = domain.DelegationEntry{DelegateID: m.DelegateID, Role: models.DelegationRole(m.Role)}
	}
	d, err := s.dom.SetDelegation(c.Request.Context(), s.actor(c), c.Param("slug"), c.Param("id"), req.VotingMandates, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, delegationJSON(d))
	return nil
}

// getMyDelegation answers the delegate's own delegation and role (domain.Service.MyDelegation);
// 404 for a delegate without an organisation.
func (s *Server) getMyDelegation(c *gin.Context) error {
	d, role, err := s.dom.MyDelegation(c.Request.Context(), s.actor(c))
	if err != nil {
		return err
	}
	if d == nil {
		return models.ErrNotFound
	}
	out := delegationJSON(d)
	r := string(role)
	out.Role = &r
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
	return nil
}

// createBallotRequest opens a ballot.
type createBallotRequest struct {
	Kind       string   `json:"kind"`
	Question   string   `json:"question"`
	SubjectID  string   `json:"subject_id"`
	Options    []string `json:"options"`
	Candidates []string `json:"candidates"`
	Seats      int      `json:"seats"`
	Secret     *bool    `json:"secret"`
	Rule       string   `json:"rule"`
	Quorum     float64  `json:"quorum"`
	Weighting  string   `json:"weighting"`
}

// castRequest is one vote: a choice, or candidates in an election.
type castRequest struct {
	Choice  string   `json:"choice"`
	Choices []string `json:"choices"`
}

// ballotResult is the published result of a closed ballot.
type ballotResult struct {
	Counts  map[string]int `json:"counts"`
	Outcome string         `json:"outcome"`
	Elected []string       `json:"elected"`
}

// plenaryBallot is a ballot of the general model. Rule is the majority; Weighting who votes.
type plenaryBallot struct {
	ID         string             `json:"id"`
	Kind       string             `json:"kind"`
	Question   string             `json:"question,omitempty"`
	SubjectID  string             `json:"subject_id,omitempty"`
	Options    []string           `json:"options,omitempty"`
	Candidates []models.Candidate `json:"candidates,omitempty"`
	Seats      int                `json:"seats,omitempty"`
	Secret     bool               `json:"secret"`
	Rule       string             `json:"rule"`
	Quorum     float64            `json:"quorum"`
	Weighting  string             `json:"weighting"`
	Status     string             `json:"status"`
	Eligible   int                `json:"eligible"`
	VotesCast  int                `json:"votes_cast"`
	Result     *ballotResult      `json:"result,omitempty"`
	OpenedAt   time.Time          `json:"opened_at"`
	ClosedAt   *time.Time         `json:"closed_at"`
}

func plenaryBallotJSON(b *domain.BallotView) *plenaryBallot {
	out := &plenaryBallot{ID: b.ID, Kind: string(b.Kind), Question: b.Question, SubjectID: b.SubjectID, Options: b.Options, Candidates: b.Candidates,
		Seats: b.Seats, Secret: b.Secret, Rule: string(b.Majority), Quorum: b.Quorum, Weighting: string(b.Rule), Status: string(b.Status),
		Eligible: b.Eligible, VotesCast: b.VotesCast, OpenedAt: b.OpenedAt, ClosedAt: b.ClosedAt}
	if b.Status == models.BallotClosed {
		out.Result = &ballotResult{Counts: b.Tally, Outcome: string(b.Outcome), Elected: b.Elected}
		if out.Result.Elected == nil {
			out.Result.Elected = []string{}
		}
	}
	return out
}

// createBallot opens a ballot (domain.Service.CreateBallot).
func (s *Server) createBallot(c *gin.Context) error {
	var req createBallotRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	b, err := s.dom.CreateBallot(c.Request.Context(), s.actor(c), c.Param("slug"), domain.BallotInput(req))
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, plenaryBallotJSON(b))
	return nil
}

// listBallots answers the ballots of a conference (domain.Service.ListBallots).
func (s *Server) listBallots(c *gin.Context) error {
	bs, err := s.dom.ListBallots(c.Request.Context(), s.actor(c), c.Param("slug"))
	if err != nil {
		return err
	}
	out := make([]*plenaryBallot, len(bs))
	for i := range bs {
		out[i] = plenaryBallotJSON(&bs[i])
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next_cursor": nil})
	return nil
}

// getBallot answers one ballot (domain.Service.GetBallot).
func (s *Server) getBallot(c *gin.Context) error {
	b, err := s.dom.GetBallot(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, plenaryBallotJSON(b))
	return nil
}

// voteOnBallot casts a vote (domain.Service.Vote).
func (s *Server) voteOnBallot(c *gin.Context) error {
	var req castRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	choices := req.Choices
	if req.Choice != "" {
		if len(choices) > 0 {
			return models.Invalid(models.FieldProblem("choices", models.FieldExclusive, "send choice or choices, not both"))
		}
		choices = []string{req.Choice}
	}
	if err := s.dom.Vote(c.Request.Context(), s.actor(c), c.Param("id"), choices); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, voteResponse{BallotID: c.Param("id"), Counted: true})
	return nil
}

// closeBallotByID closes a ballot and publishes its result (domain.Service.CloseBallotByID).
func (s *Server) closeBallotByID(c *gin.Context) error {
	out, err := s.dom.CloseBallotByID(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if out.HistoryErr != nil {
		s.log.Warn("forgetting the order of secret votes failed", "request_id", requestID(c), "err", out.HistoryErr)
	}
	c.JSON(http.StatusOK, plenaryBallotJSON(out.Ballot))
	return nil
}
