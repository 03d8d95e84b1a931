package domain

import (
	"context"
	"errors"
	"slices"

	"github.com/zimmerwald/zimmerwald/models"
)

// RoleDelegate is the role of an actor signed in through a one-time link.
const RoleDelegate = "delegate"

// Role sets: who may do what among staff.
var (
	AdminOnly  = []models.StaffRole{models.StaffAdmin}
	Organisers = []models.StaffRole{models.StaffAdmin, models.StaffOrganiser}
	Reviewers  = []models.StaffRole{models.StaffAdmin, models.StaffOrganiser, models.StaffReviewer}
	StaffAll   = Reviewers
)

// Actor is who asks for an operation: a staff account, a delegate, or nobody (anonymous, the zero
// Account and Delegate). RequestID goes into audit events; Client is the opaque rate-limit key of
// the caller (never stored or logged).
type Actor struct {
	Role      string // admin, organiser, reviewer, delegate, or "" when anonymous
	Account   *models.Account
	Delegate  *models.Delegate
	Token     *models.AuthToken
	RequestID string
	Client    string
	// MustEnrol is true for a staff session while an admin requires a second factor that the
	// account has not set up: only enrolment (StartTOTP, ConfirmTOTP) is allowed.
	MustEnrol bool
}

// Anonymous is an actor who is not signed in.
func Anonymous(requestID, client string) *Actor {
	return &Actor{RequestID: requestID, Client: client}
}

// SignedIn reports whether the actor has an account or a delegate session.
func (a *Actor) SignedIn() bool { return a != nil && (a.Account != nil || a.Delegate != nil) }

// IsStaff reports whether the actor is a staff member with one of roles.
func (a *Actor) IsStaff(roles ...models.StaffRole) bool {
	return a != nil && a.Account != nil && slices.Contains(roles, a.Account.Role)
}

// IsDelegate reports whether the actor is a signed-in delegate.
func (a *Actor) IsDelegate() bool { return a != nil && a.Delegate != nil }

// ID is the account or delegate ID, for audit events ("" when anonymous).
func (a *Actor) ID() string {
	switch {
	case a == nil:
		return ""
	case a.Account != nil:
		return a.Account.ID
	case a.Delegate != nil:
		return a.Delegate.ID
	}
	return ""
}

// Kind is "account", "delegate" or "system", for audit events.
func (a *Actor) Kind() string {
	switch {
	case a == nil:
		return "system"
	case a.Account != nil:
		return "account"
	case a.Delegate != nil:
		return "delegate"
	}
	return "system"
}

// errSignInNeeded and errForbidden are the refusals of a guard.
var (
	errSignInNeeded = models.Fail(models.KindUnauthorized, models.CodeUnauthorized, "authentication required")
	errForbidden    = models.Fail(models.KindForbidden, models.CodeForbidden, "you may not do this")
	errTokenInvalid = models.Fail(models.KindUnauthorized, models.CodeTokenInvalid, "the token is invalid or expired")
)

// RequireStaff refuses actors that are not staff with one of roles (401 anonymous, 403 others).
func (a *Actor) RequireStaff(roles ...models.StaffRole) error {
	switch {
	case !a.SignedIn():
		return errSignInNeeded
	case !a.IsStaff(roles...):
		return errForbidden
	case a.MustEnrol:
		return errMustEnrol
	}
	return nil
}

// RequireDelegate refuses actors that are not signed-in delegates.
func (a *Actor) RequireDelegate() error {
	switch {
	case !a.SignedIn():
		return errSignInNeeded
	case !a.IsDelegate():
		return errForbidden
	}
	return nil
}

// RequireSignedIn refuses anonymous actors.
func (a *Actor) RequireSignedIn() error {
	if !a.SignedIn() {
		return errSignInNeeded
	}
	return nil
}

// Authenticate resolves a bearer or session token to its actor. A token that is unknown,
// expired, of a disabled account or of an erased delegate is a token_invalid error.
func (s *Service) Authenticate(ctx context.Context, secret, requestID, client string) (*Actor, error) {
	a, err := s.actorFor(ctx, secret)
	if errors.Is(err, models.ErrNotFound) {
		return nil, errTokenInvalid
	}
	if err != nil {
		return nil, err
	}
	a.RequestID, a.Client = requestID, client
	return a, nil
}

func (s *Service) actorFor(ctx context.Context, secret string) (*Actor, error) {
	t, err := s.store.ValidToken(ctx, secret, s.cfg.SessionIdleTimeout, models.TokenStaffSession, models.TokenAPI, models.TokenDelegateSession)
	if err != nil {
		return nil, err
	}
	switch {
	case t.AccountID != nil:
		a, err := s.store.Account(ctx, *t.AccountID)
		if err != nil {
			return nil, err
		}
		if a.DisabledAt != nil {
			return nil, models.ErrNotFound
		}
		must, err := s.mustEnrol(ctx, a)
		if err != nil {
			return nil, err
		}
		return &Actor{Role: string(a.Role), Account: a, Token: t, MustEnrol: must}, nil
	case t.DelegateID != nil:
		d, err := s.store.Delegate(ctx, *t.DelegateID)
		if err != nil {
			return nil, err
		}
		if d.ErasedAt != nil {
			return nil, models.ErrNotFound
		}
		return &Actor{Role: RoleDelegate, Delegate: d, Token: t}, nil
	}
	return nil, models.ErrNotFound
}

// Audit records what the actor did to a record, without the data itself, in st (a transaction
// or the store). Operations call it themselves; it is exported for the reads that stay in a skin.
func (s *Service) Audit(ctx context.Context, st *models.Store, a *Actor, conferenceID, action, targetKind, targetID string) error {
	return st.Audit(ctx, auditEvent(a, conferenceID, action, targetKind, targetID))
}

// auditEvent is the event of what the actor did to a record.
func auditEvent(a *Actor, conferenceID, action, targetKind, targetID string) *models.AuditEvent {
	e := &models.AuditEvent{ActorKind: a.Kind(), ActorID: a.ID(), Action: action, TargetKind: targetKind, TargetID: targetID}
	if a != nil {
		e.RequestID = a.RequestID
	}
	if conferenceID != "" {
		e.ConferenceID = &conferenceID
	}
	return e
}

func (s *Service) audit(ctx context.Context, st *models.Store, a *Actor, conferenceID, action, targetKind, targetID string) error {
	return s.Audit(ctx, st, a, conferenceID, action, targetKind, targetID)
}

// requestKey keys the request facts a skin hands to another handler in the context.
type requestKey struct{}

type requestFacts struct{ id, client string }

// WithRequest returns ctx carrying the request ID and the client's rate-limit key, so that a
// handler behind the router (the pages) builds the same Actor as the API would.
func WithRequest(ctx context.Context, requestID, client string) context.Context {
	return context.WithValue(ctx, requestKey{}, requestFacts{requestID, client})
}

// RequestFrom returns what WithRequest stored (empty strings when nothing was).
func RequestFrom(ctx context.Context) (requestID, client string) {
	f, _ := ctx.Value(requestKey{}).(requestFacts)
	return f.id, f.client
}
