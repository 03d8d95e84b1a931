package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
)

// ballotRequest opens a vote: an open ballot records each voter's choice; a secret one records
// only who voted, and the counts.
type ballotRequest struct {
	Secret bool `json:"secret"`
}

// voteRequest is one vote.
type voteRequest struct {
	Choice string `json:"choice" binding:"required,oneof=yes no abstain"`
}

// voteResponse confirms a counted vote without repeating it.
type voteResponse struct {
	BallotID string `json:"ballot_id"`
	Counted  bool   `json:"counted"`
}

// rollCallEntry is one named vote of a closed open ballot: an organisation that is listed, or a
// delegate the reader may see.
type rollCallEntry struct {
	Organisation *organisationRef `json:"organisation,omitempty"`
	Delegate     *delegateRef     `json:"delegate,omitempty"`
	Choice       string           `json:"choice"`
}

// ballotResponse is a ballot. The counts and the result are published when staff close it.
type ballotResponse struct {
	ID        string          `json:"id"`
	Secret    bool            `json:"secret"`
	Rule      string          `json:"rule"`
	Status    string          `json:"status"`
	VotesCast int             `json:"votes_cast"`
	Yes       *int            `json:"yes,omitempty"`
	No        *int            `json:"no,omitempty"`
	Abstain   *int            `json:"abstain,omitempty"`
	Result    string          `json:"result,omitempty"`
	RollCall  []rollCallEntry `json:"roll_call,omitempty"`
	OpenedAt  time.Time       `json:"opened_at"`
	ClosedAt  *time.Time      `json:"closed_at"`
}

// ballotJSON is b as the API answers it, or nil.
func ballotJSON(b *domain.BallotView) *ballotResponse {
	if b == nil {
		return nil
	}
	out := &ballotResponse{ID: b.ID, Secret: b.Secret, Rule: string(b.Rule), Status: string(b.Status), VotesCast: b.VotesCast, Result: string(b.Result),
		OpenedAt: b.OpenedAt, ClosedAt: b.ClosedAt}
	if n := b.Counts; n != nil {
		out.Yes, out.No, out.Abstain = &n.Yes, &n.No, &n.Abstain
	}
	for _, e := range b.RollCall {
		out.RollCall = append(out.RollCall, rollCallEntry{Organisation: orgRefJSON(e.Organisation), Delegate: delegateRefJSON(e.Delegate), Choice: string(e.Choice)})
	}
	return out
}

// openBallot opens the vote on an accepted statement (domain.Service.OpenBallot).
func (s *Server) openBallot(c *gin.Context) error {
	var req ballotRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return err
	}
	b, err := s.dom.OpenBallot(c.Request.Context(), s.actor(c), c.Param("id"), req.Secret)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, ballotJSON(b))
	return nil
}

// castVote counts one vote (domain.Service.CastVote); a second vote is a 409 already_voted.
func (s *Server) castVote(c *gin.Context) error {
	var req voteRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	id, err := s.dom.CastVote(c.Request.Context(), s.actor(c), c.Param("id"), req.Choice)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, voteResponse{BallotID: id, Counted: true})
	return nil
}

// closeBallot closes the open vote and publishes the result (domain.Service.CloseBallot).
func (s *Server) closeBallot(c *gin.Context) error {
	out, err := s.dom.CloseBallot(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if out.HistoryErr != nil {
		s.log.Warn("forgetting the order of secret votes failed", "request_id", requestID(c), "err", out.HistoryErr)
	}
	c.JSON(http.StatusOK, ballotJSON(out.Ballot))
	return nil
}
