package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// ballotRequest opens a vote: an open ballot records each voter's choice; a secret one records
// only who voted, and the counts.
type ballotRequest struct {
	Secret bool `json:"secret"`
}

// voteRequest is one vote.
type voteRequest struct {
	Choice models.VoteChoice `json:"choice" binding:"required,oneof=yes no abstain"`
}

// voteResponse confirms a counted vote without repeating it.
type voteResponse struct {
	BallotID string `json:"ballot_id"`
	Counted  bool   `json:"counted"`
}

// rollCallEntry is one named vote of a closed open ballot: an organisation that is listed, or a
// delegate the reader may see.
type rollCallEntry struct {
	Organisation *organisationRef  `json:"organisation,omitempty"`
	Delegate     *delegateRef      `json:"delegate,omitempty"`
	Choice       models.VoteChoice `json:"choice"`
}

// ballotResponse is a ballot. The counts and the result are published when staff close it.
type ballotResponse struct {
	ID        string                 `json:"id"`
	Secret    bool                   `json:"secret"`
	Rule      models.VoteRule        `json:"rule"`
	Status    models.BallotStatus    `json:"status"`
	VotesCast int                    `json:"votes_cast"`
	Yes       *int                   `json:"yes,omitempty"`
	No        *int                   `json:"no,omitempty"`
	Abstain   *int                   `json:"abstain,omitempty"`
	Result    models.StatementStatus `json:"result,omitempty"`
	RollCall  []rollCallEntry        `json:"roll_call,omitempty"`
	OpenedAt  time.Time              `json:"opened_at"`
	ClosedAt  *time.Time             `json:"closed_at"`
}

// ballotView builds the answer for b; detail adds the roll call of a closed open ballot, naming
// only listed organisations and delegates the reader may see.
func (s *Server) ballotView(ctx context.Context, r reader, b *models.Ballot, detail bool) (*ballotResponse, error) {
	v := &ballotResponse{ID: b.ID, Secret: b.Secret, Rule: b.Rule, Status: b.Status, VotesCast: b.VotesCast(), OpenedAt: b.OpenedAt, ClosedAt: b.ClosedAt}
	if b.Status != models.BallotClosed {
		return v, nil
	}
	yes, no, abstain := b.YesCount, b.NoCount, b.AbstainCount
	v.Yes, v.No, v.Abstain, v.Result = &yes, &no, &abstain, b.Result()
	if !detail || b.Secret {
		return v, nil
	}
	votes, err := s.store.BallotVotes(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	var orgIDs, delIDs []*string
	for _, bv := range votes {
		orgIDs, delIDs = append(orgIDs, bv.OrganisationID), append(delIDs, bv.DelegateID)
	}
	orgs, dels, err := s.parties(ctx, orgIDs, delIDs)
	if err != nil {
		return nil, err
	}
	for _, bv := range votes {
		if bv.Choice == nil {
			continue
		}
		e := rollCallEntry{Choice: *bv.Choice}
		switch {
		case strings.HasPrefix(bv.VoterKey, "org:") && bv.OrganisationID != nil:
			if o, ok := orgs[*bv.OrganisationID]; ok && publicOrganisation(&o) {
				e.Organisation = orgRef(&o)
			}
		case strings.HasPrefix(bv.VoterKey, "del:") && bv.DelegateID != nil:
			if d, ok := dels[*bv.DelegateID]; ok && r.showsDelegate(&d) {
				e.Delegate = &delegateRef{ID: d.ID, DisplayName: d.DisplayName}
			}
		}
		if e.Organisation != nil || e.Delegate != nil {
			v.RollCall = append(v.RollCall, e)
		}
	}
	return v, nil
}

// openBallot opens the vote on an accepted statement (organisers, admins) under the
// conference's vote rule.
func (s *Server) openBallot(c *gin.Context) error {
	st, conf, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	var req ballotRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	b := &models.Ballot{StatementID: st.ID, Secret: req.Secret, Rule: conf.VoteRule}
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		if st.Status != models.StatementAccepted {
			return problem(http.StatusConflict, "only an accepted statement can be put to the vote")
		}
		if err := tx.OpenBallot(ctx, b); errors.Is(err, models.ErrConflict) {
			return problem(http.StatusConflict, "a vote is already open on this statement")
		} else if err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "ballot.open", "ballot", b.ID)
	})
	if err != nil {
		return err
	}
	v, err := s.ballotView(ctx, r, b, false)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, v)
	return nil
}

// castVote counts one vote: one per organisation (the first of its delegates to vote casts it) or
// one per delegate, as the ballot's rule says. A second vote is a 409.
func (s *Server) castVote(c *gin.Context) error {
	st, conf, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	if r.delegate == nil {
		return problem(http.StatusForbidden, "only approved delegates of this conference can vote")
	}
	var req voteRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	b, err := s.store.OpenBallotOf(ctx, st.ID)
	if errors.Is(err, models.ErrNotFound) {
		return errNoBallot
	} else if err != nil {
		return err
	}
	key, err := models.VoterKey(b.Rule, r.delegate)
	if errors.Is(err, models.ErrNoVote) {
		return problem(http.StatusForbidden, "votes are cast by organisations and you have none")
	} else if err != nil {
		return err
	}
	vote := &models.BallotVote{VoterKey: key, DelegateID: &r.delegate.ID, OrganisationID: r.delegate.OrganisationID}
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.CastVote(ctx, b, vote, req.Choice); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "ballot.vote", "ballot", b.ID)
	})
	switch {
	case errors.Is(err, models.ErrConflict) && b.Rule == models.VotePerOrganisation:
		return problem(http.StatusConflict, "your organisation has already voted")
	case errors.Is(err, models.ErrConflict):
		return problem(http.StatusConflict, "you have already voted")
	case errors.Is(err, models.ErrBallotClosed):
		return errNoBallot
	case err != nil:
		return err
	}
	c.JSON(http.StatusCreated, voteResponse{BallotID: b.ID, Counted: true})
	return nil
}

// closeBallot closes the open vote (organisers, admins), publishes the result, moves the
// statement to adopted or not_adopted and mails the result to its organisation's delegates.
func (s *Server) closeBallot(c *gin.Context) error {
	st, conf, r, err := s.statementFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	var b *models.Ballot
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		if st, err = tx.StatementForUpdate(ctx, st.ID); err != nil {
			return err
		}
		open, err := tx.OpenBallotOf(ctx, st.ID)
		if errors.Is(err, models.ErrNotFound) {
			return errNoBallot
		} else if err != nil {
			return err
		}
		if b, err = tx.CloseBallot(ctx, open.ID); errors.Is(err, models.ErrBallotClosed) {
			return errNoBallot
		} else if err != nil {
			return err
		}
		if err := st.Move(b.Result(), tx.Now()); err != nil {
			return err
		}
		if err := tx.UpdateStatement(ctx, st); err != nil {
			return err
		}
		if err := s.mailVoteResult(ctx, tx, conf, st, b); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "ballot.close", "ballot", b.ID)
	})
	if err != nil {
		return err
	}
	s.notify()
	if b.Secret {
		// The vote rows and counter changes were written together: drop the record of their order.
		if err := s.store.ForgetHistory(ctx, "ballots", "ballot_votes"); err != nil {
			s.log.Warn("forgetting the order of secret votes failed", "request_id", requestID(c), "err", err)
		}
	}
	v, err := s.ballotView(ctx, r, b, true)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

// mailVoteResult sends vote_result to each active delegate of the statement's organisation.
func (s *Server) mailVoteResult(ctx context.Context, tx *models.Store, conf *models.Conference, st *models.Statement, b *models.Ballot) error {
	ds, err := tx.ActiveDelegatesOf(ctx, st.OrganisationID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		data := mail.VoteResultData{Conference: conf.Title, Name: d.DisplayName, Statement: st.Title, Result: string(b.Result()),
			Yes: b.YesCount, No: b.NoCount, Abstain: b.AbstainCount}
		m, err := domain.NewMail(domain.EnvelopeOf(&d), "vote_result:"+b.ID, &data)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// errNoBallot answers a vote, or a closing, when no ballot is open.
var errNoBallot = problem(http.StatusConflict, "no vote is open on this statement")

// noBallotYet returns a 409 once a ballot was ever opened on the statement: its text and its
// signatures are then frozen.
func noBallotYet(ctx context.Context, tx *models.Store, st *models.Statement, what string) error {
	has, err := tx.HasBallot(ctx, st.ID)
	if err != nil {
		return err
	}
	if has {
		return problem(http.StatusConflict, what+" is no longer possible: the vote has opened")
	}
	return nil
}
