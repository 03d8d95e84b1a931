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
	// Roles maps each conference ID to the account's role there (models.ConferenceRole). An
	// admin's role is instance-wide and needs none; anyone else is staff only where listed.
	Roles map[string]models.StaffRole
}

// Anonymous is an actor who is not signed in.
func Anonymous(requestID, client string) *Actor {
	return &Actor{RequestID: requestID, Client: client}
}

// SignedIn reports whether the actor has an account or a delegate session.
func (a *Actor) SignedIn() bool { return a != nil && (a.Account != nil || a.Delegate != nil) }

// IsStaff reports whether the actor is a staff account whose own role (Account.Role) or role on
// some conference is one of roles. It is the coarse gate of a route (a delegate or a reviewer
// asking for an organisers' operation is refused 403); what touches a conference asks
// IsStaffIn or RequireStaffIn.
func (a *Actor) IsStaff(roles ...models.StaffRole) bool {
	if a == nil || a.Account == nil {
		return false
	}
	if slices.Contains(roles, a.Account.Role) {
		return true
	}
	for _, r := range a.Roles {
		if slices.Contains(roles, r) {
			return true
		}
	}
	return false
}

// RoleIn is the actor's staff role on the conference: an admin's everywhere, an organiser's or
// reviewer's where the account holds one, "" for anyone else.
func (a *Actor) RoleIn(conferenceID string) models.StaffRole {
	switch {
	case a == nil || a.Account == nil:
		return ""
	case a.Account.Role == models.StaffAdmin:
		return models.StaffAdmin
	}
	return a.Roles[conferenceID]
}

// IsStaffIn reports whether the actor holds one of roles on the conference.
func (a *Actor) IsStaffIn(conferenceID string, roles ...models.StaffRole) bool {
	r := a.RoleIn(conferenceID)
	return r != "" && slices.Contains(roles, r)
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

// RequireStaffIn is the one guard of every staff operation on a conference: it refuses actors
// that do not hold one of roles on that conference. Anonymous is 401, a delegate or a staff
// account without one of roles anywhere 403; a staff account with no role on this conference
// gets 404 not_found (the conference's staff side, and every record in it, does not exist for
// it: an organiser of one conference learns nothing of another), and one whose role there is
// not among roles 403.
func (a *Actor) RequireStaffIn(conferenceID string, roles ...models.StaffRole) error {
	if err := a.RequireStaff(roles...); err != nil {
		return err
	}
	switch r := a.RoleIn(conferenceID); {
	case r == "":
		return models.ErrNotFound
	case !slices.Contains(roles, r):
		return errForbidden
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
		return s.staffActor(ctx, a, t, must)
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

// staffActor is the actor of a staff account, with its conference roles (none for an admin,
// whose role is instance-wide). API tokens and console sessions resolve through it alike, so a
// token carries exactly the account's scope, as it is now.
func (s *Service) staffActor(ctx context.Context, acc *models.Account, t *models.AuthToken, mustEnrol bool) (*Actor, error) {
	a := &Actor{Role: string(acc.Role), Account: acc, Token: t, MustEnrol: mustEnrol}
	if acc.Role != models.StaffAdmin {
		roles, err := s.store.ConferenceRoles(ctx, acc.ID)
		if err != nil {
			return nil, err
		}
		a.Roles = roles
	}
	return a, nil
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
