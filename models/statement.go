package models

import (
	"fmt"
	"time"
)

// StatementStatus is where a position statement stands.
type StatementStatus string

// Statement statuses.
const (
	StatementDraft      StatementStatus = "draft"
	StatementSubmitted  StatementStatus = "submitted"
	StatementAccepted   StatementStatus = "accepted"
	StatementRejected   StatementStatus = "rejected"
	StatementWithdrawn  StatementStatus = "withdrawn"
	StatementAdopted    StatementStatus = "adopted"
	StatementNotAdopted StatementStatus = "not_adopted"
)

// statementMoves lists the legal transitions of a statement.
var statementMoves = map[StatementStatus][]StatementStatus{
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
	// BodyHTML is Body rendered from Markdown and sanitised when the body was written (reads
	// serve it as stored).
	BodyHTML    string `gorm:"column:body_html"`
	Language    string
	Status      StatementStatus
	Version     int
	SubmittedAt *time.Time
	DecidedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Move changes the statement's status if the move is legal.
func (s *Statement) Move(to StatementStatus, at time.Time) error {
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
	return &TransitionError{Entity: "statement", From: string(s.Status), To: string(to)}
}

// StatementDecision is a reviewer's decision on a submitted statement.
type StatementDecision string

// Statement decisions, as reviewers send them.
const (
	DecisionAccept         StatementDecision = "accept"
	DecisionReject         StatementDecision = "reject"
	DecisionRequestChanges StatementDecision = "request_changes"
)

// Decide applies a reviewer's decision to a submitted statement: accept, reject, or request
// changes (back to draft). It returns the status reached.
func (s *Statement) Decide(decision StatementDecision, at time.Time) (StatementStatus, error) {
	to, ok := map[StatementDecision]StatementStatus{DecisionAccept: StatementAccepted, DecisionReject: StatementRejected, DecisionRequestChanges: StatementDraft}[decision]
	if !ok {
		return "", fmt.Errorf("unknown decision %q", decision)
	}
	if s.Status != StatementSubmitted {
		return "", &TransitionError{Entity: "statement", From: string(s.Status), To: string(to)}
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
	BodyHTML    string `gorm:"column:body_html"` // Body rendered when written
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

// AmendmentStatus is where an amendment stands.
type AmendmentStatus string

// Amendment statuses.
const (
	AmendmentProposed AmendmentStatus = "proposed"
	AmendmentAccepted AmendmentStatus = "accepted"
	AmendmentRejected AmendmentStatus = "rejected"
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
	TextHTML       string `gorm:"column:text_html"` // Text rendered when written
	Rationale      string
	Status         AmendmentStatus
	DecidedAt      *time.Time
	CreatedAt      time.Time
}

// Decide accepts or rejects a proposed amendment.
func (a *Amendment) Decide(to AmendmentStatus, at time.Time) error {
	if a.Status != AmendmentProposed || (to != AmendmentAccepted && to != AmendmentRejected) {
		return &TransitionError{Entity: "amendment", From: string(a.Status), To: string(to)}
	}
	a.Status, a.DecidedAt = to, &at
	return nil
}

// BallotStatus is whether a ballot is open or closed.
type BallotStatus string

// VoteChoice is a voter's answer on a ballot.
type VoteChoice string

// Ballot statuses and choices.
const (
	BallotOpen   BallotStatus = "open"
	BallotClosed BallotStatus = "closed"

	VoteYes     VoteChoice = "yes"
	VoteNo      VoteChoice = "no"
	VoteAbstain VoteChoice = "abstain"
)

// BallotKind is what a ballot decides: a motion, a statement, an amendment or an election.
type BallotKind string

// Majority is the rule that decides a ballot: simple (yes > no), absolute (yes > half of all
// votes cast) or two_thirds (yes >= two thirds of yes + no).
type Majority string

// BallotOutcome is the result of a closed ballot.
type BallotOutcome string

// Ballot kinds, majorities and outcomes.
const (
	BallotMotion    BallotKind = "motion"
	BallotStatement BallotKind = "statement"
	BallotAmendment BallotKind = "amendment"
	BallotElection  BallotKind = "election"

	MajoritySimple    Majority = "simple"
	MajorityAbsolute  Majority = "absolute"
	MajorityTwoThirds Majority = "two_thirds"

	OutcomeAdopted  BallotOutcome = "adopted"
	OutcomeRejected BallotOutcome = "rejected"
	OutcomeNoQuorum BallotOutcome = "no_quorum"
)

// BallotKinds and Majorities list the valid values.
var (
	BallotKinds = []BallotKind{BallotMotion, BallotStatement, BallotAmendment, BallotElection}
	Majorities  = []Majority{MajoritySimple, MajorityAbsolute, MajorityTwoThirds}
)

// Ballot is one decision of the conference: a motion, a statement, an amendment or an election.
// The counts are kept in ballot_tallies (Counts once loaded), so a secret ballot needs no link
// between voter and choice. QuorumBP is the quorum in basis points of Eligible (the voters
// counted when the ballot opened).
type Ballot struct {
	ID           string
	ConferenceID string
	Kind         BallotKind
	Question     string
	StatementID  *string
	AmendmentID  *string
	Options      StringList
	Candidates   Candidates
	Seats        int
	Secret       bool
	Majority     Majority
	QuorumBP     int `gorm:"column:quorum_bp"`
	Weighting    VoteRule
	Status       BallotStatus
	Eligible     int
	VotesCast    int
	Outcome      BallotOutcome
	Elected      StringList
	OpenedAt     time.Time
	ClosedAt     *time.Time
	// Counts are the votes per option or candidate ID, loaded with the ballot.
	Counts map[string]int `gorm:"-"`
}

// BallotTally is the count of one option or candidate of a ballot.
type BallotTally struct {
	BallotID string `gorm:"primaryKey"`
	Choice   string `gorm:"primaryKey"`
	Votes    int
}

// BallotVote records that a voter (an organisation or a delegate, by VoterKey) voted; Choice is
// nil on a secret ballot.
type BallotVote struct {
	ID             string
	BallotID       string
	VoterKey       string
	DelegateID     *string
	OrganisationID *string
	Choice         *VoteChoice
	CreatedAt      time.Time
}
