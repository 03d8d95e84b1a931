package models

import (
	"fmt"
	"time"
)

// Statement statuses.
const (
	StatementDraft      = "draft"
	StatementSubmitted  = "submitted"
	StatementAccepted   = "accepted"
	StatementRejected   = "rejected"
	StatementWithdrawn  = "withdrawn"
	StatementAdopted    = "adopted"
	StatementNotAdopted = "not_adopted"
)

// statementMoves lists the legal transitions of a statement.
var statementMoves = map[string][]string{
	StatementDraft:     {StatementSubmitted, StatementWithdrawn},
	StatementSubmitted: {StatementAccepted, StatementRejected, StatementWithdrawn, StatementDraft},
	StatementAccepted:  {StatementAdopted, StatementNotAdopted, StatementWithdrawn},
}

// Statement is a position statement owned by an organisation.
type Statement struct {
	ID             string
	ConferenceID   string
	OrganisationID string
	AuthorID       *string
	SessionID      *string
	Title          string
	Summary        string
	Body           string
	Language       string
	Status         string
	Version        int
	SubmittedAt    *time.Time
	DecidedAt      *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Move changes the statement's status if the move is legal.
func (s *Statement) Move(to string, at time.Time) error {
	for _, ok := range statementMoves[s.Status] {
		if ok == to {
			s.Status = to
			switch to {
			case StatementSubmitted:
				s.SubmittedAt = &at
			case StatementAccepted, StatementRejected, StatementAdopted, StatementNotAdopted:
				s.DecidedAt = &at
			}
			return nil
		}
	}
	return &TransitionError{Entity: "statement", From: s.Status, To: to}
}

// Statement decisions, as reviewers send them.
const (
	DecisionAccept         = "accept"
	DecisionReject         = "reject"
	DecisionRequestChanges = "request_changes"
)

// Decide applies a reviewer's decision to a submitted statement: accept, reject, or request
// changes (back to draft). It returns the status reached.
func (s *Statement) Decide(decision string, at time.Time) (string, error) {
	to, ok := map[string]string{DecisionAccept: StatementAccepted, DecisionReject: StatementRejected, DecisionRequestChanges: StatementDraft}[decision]
	if !ok {
		return "", fmt.Errorf("unknown decision %q", decision)
	}
	if s.Status != StatementSubmitted {
		return "", &TransitionError{Entity: "statement", From: s.Status, To: to}
	}
	if err := s.Move(to, at); err != nil {
		return "", err
	}
	if to == StatementDraft {
		s.SubmittedAt = nil
	}
	return to, nil
}

// IsPublished reports whether anyone may read the statement: accepted or adopted.
func (s *Statement) IsPublished() bool {
	return s.Status == StatementAccepted || s.Status == StatementAdopted
}

// Amendable reports whether the text may still change through amendments: submitted or accepted
// (the caller also checks that no ballot was opened).
func (s *Statement) Amendable() bool {
	return s.Status == StatementSubmitted || s.Status == StatementAccepted
}

// StatementTranslation is the statement in another language.
type StatementTranslation struct {
	ID          string
	StatementID string
	Language    string
	Title       string
	Summary     string
	Body        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// StatementVersion keeps every text a statement has had; accepted amendments make new versions.
type StatementVersion struct {
	ID          string
	StatementID string
	Version     int
	Title       string
	Summary     string
	Body        string
	AmendmentID *string
	CreatedAt   time.Time
}

// StatementComment is a reviewer's comment.
type StatementComment struct {
	ID          string
	StatementID string
	AccountID   *string
	Body        string
	CreatedAt   time.Time
}

// Cosignature is an organisation's signature under another organisation's statement.
type Cosignature struct {
	ID             string
	StatementID    string
	OrganisationID string
	DelegateID     *string
	Named          bool
	WithdrawnAt    *time.Time
	CreatedAt      time.Time
}

// Amendment statuses.
const (
	AmendmentProposed = "proposed"
	AmendmentAccepted = "accepted"
	AmendmentRejected = "rejected"
)

// Amendment proposes replacement text for a whole statement or one paragraph.
type Amendment struct {
	ID             string
	StatementID    string
	DelegateID     *string
	OrganisationID *string
	BaseVersion    int
	Paragraph      *int
	Text           string
	Rationale      string
	Status         string
	DecidedAt      *time.Time
	CreatedAt      time.Time
}

// Decide accepts or rejects a proposed amendment.
func (a *Amendment) Decide(to string, at time.Time) error {
	if a.Status != AmendmentProposed || (to != AmendmentAccepted && to != AmendmentRejected) {
		return &TransitionError{Entity: "amendment", From: a.Status, To: to}
	}
	a.Status, a.DecidedAt = to, &at
	return nil
}

// Ballot statuses and choices.
const (
	BallotOpen   = "open"
	BallotClosed = "closed"

	VoteYes     = "yes"
	VoteNo      = "no"
	VoteAbstain = "abstain"
)

// Ballot is a vote on a statement. Counts are kept on the ballot so a secret ballot needs no link
// between voter and choice.
type Ballot struct {
	ID           string
	StatementID  string
	Secret       bool
	Rule         string
	Status       string
	YesCount     int
	NoCount      int
	AbstainCount int
	OpenedAt     time.Time
	ClosedAt     *time.Time
}

// BallotVote records that a voter (an organisation or a delegate, by VoterKey) voted; Choice is
// nil on a secret ballot.
type BallotVote struct {
	ID             string
	BallotID       string
	VoterKey       string
	DelegateID     *string
	OrganisationID *string
	Choice         *string
	CreatedAt      time.Time
}
