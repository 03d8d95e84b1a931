package models

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
)

// ErrNotFound is returned when a record does not exist (or is not visible to the caller).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a change collides with existing data (a duplicate, a lost race).
var ErrConflict = errors.New("conflict")

// Code is a stable, machine-readable error code in snake_case. Clients and the web pages key
// their messages by it, never by the English text beside it.
type Code string

// Problem codes: what went wrong with a request as a whole.
const (
	CodeMalformed         Code = "malformed_request"
	CodeUnauthorized      Code = "unauthorized"
	CodeForbidden         Code = "forbidden"
	CodeNotFound          Code = "not_found"
	CodeMethodNotAllowed  Code = "method_not_allowed"
	CodeConflict          Code = "conflict"
	CodeValidation        Code = "validation_failed"
	CodeRateLimited       Code = "rate_limited"
	CodeInternal          Code = "internal_error"
	CodeUnavailable       Code = "unavailable"
	CodeNotImplemented    Code = "not_implemented"
	CodeInvalidTransition Code = "invalid_transition"
	CodeQuotaFull         Code = "quota_full"
	CodeAlreadyVoted      Code = "already_voted"
	CodeBallotClosed      Code = "ballot_closed"
	CodeNoVotingRight     Code = "no_voting_right"
	CodeBadCursor         Code = "invalid_cursor"
	CodeWrongCredentials  Code = "wrong_credentials"
	CodeTokenInvalid      Code = "token_invalid"
	CodeRegistrationShut  Code = "registration_closed"
	CodeNotApproved       Code = "not_approved"
	CodeSessionFull       Code = "session_full"
	// Position statements.
	CodeStatementNotDraft    Code = "statement_not_draft"
	CodeStatementNotOpen     Code = "statement_not_open"
	CodeStatementNotAccepted Code = "statement_not_accepted"
	CodeVoteOpened           Code = "vote_opened"
	CodeNoOpenBallot         Code = "no_open_ballot"
	CodeAlreadyCosigned      Code = "already_cosigned"
	CodeOwnStatement         Code = "own_statement"
	// The plenary.
	CodeOrgNotVerified Code = "organisation_not_verified"
	// The plenary: lists of speakers.
	CodeSpeakersClosed   Code = "speakers_list_closed"
	CodeAlreadyQueued    Code = "already_on_list"
	CodeNoCurrentSpeaker Code = "no_current_speaker"
)

// Field codes: what is wrong with one field of a request (the error_codes map).
const (
	FieldRequired          Code = "required"
	FieldTooLong           Code = "too_long"
	FieldTooShort          Code = "too_short"
	FieldOneOf             Code = "one_of"
	FieldInvalid           Code = "invalid"
	FieldInvalidType       Code = "invalid_type"
	FieldInvalidEmail      Code = "invalid_email"
	FieldInvalidID         Code = "invalid_id"
	FieldInvalidCountry    Code = "invalid_country"
	FieldInvalidLanguage   Code = "invalid_language"
	FieldInvalidTimezone   Code = "invalid_timezone"
	FieldInvalidDate       Code = "invalid_date"
	FieldInvalidInstant    Code = "invalid_instant"
	FieldInvalidURL        Code = "invalid_url"
	FieldInvalidSlug       Code = "invalid_slug"
	FieldControlCharacters Code = "control_characters"
	FieldBadRange          Code = "bad_range"
	FieldUnknownReference  Code = "unknown_reference"
	FieldExclusive         Code = "exclusive_fields"
	FieldConsentRequired   Code = "consent_required"
	FieldTaken             Code = "taken"
	FieldUnknown           Code = "unknown_field"
	FieldRequiredToSubmit  Code = "required_to_submit"
	FieldNoSuchParagraph   Code = "no_such_paragraph"
	FieldRequiredForVisa   Code = "required_for_visa"
	FieldNeedsOrganisation Code = "organisation_required"
	FieldUnknownOrg        Code = "unknown_organisation"
	FieldNeedsLanguage     Code = "language_required"
	FieldEndsBeforeStart   Code = "ends_before_start"
	FieldTooManyVoting     Code = "too_many_voting"
	FieldTooManyChoices    Code = "too_many_choices"
	FieldInvalidOpenPGPKey Code = "invalid_openpgp_key"     // not one armoured public key that can encrypt now
	CodeTOTPRequired       Code = "totp_required"           // the account signs in with a second factor: give totp
	CodeTOTPEnrolment      Code = "totp_enrolment_required" // an admin requires a second factor: enrol first
)

// Codes lists every code above, problem and field codes alike, sorted: the web's message
// catalogues are tested against it.
func Codes() []Code {
	out := []Code{
		CodeMalformed, CodeUnauthorized, CodeForbidden, CodeNotFound, CodeMethodNotAllowed, CodeConflict,
		CodeValidation, CodeRateLimited, CodeInternal, CodeUnavailable, CodeNotImplemented, CodeInvalidTransition,
		CodeQuotaFull, CodeAlreadyVoted, CodeBallotClosed, CodeNoVotingRight, CodeBadCursor, CodeWrongCredentials,
		CodeTokenInvalid, CodeRegistrationShut, CodeNotApproved, CodeSessionFull,
		FieldRequired, FieldTooLong, FieldTooShort, FieldOneOf, FieldInvalid, FieldInvalidType, FieldInvalidEmail,
		FieldInvalidID, FieldInvalidCountry, FieldInvalidLanguage, FieldInvalidTimezone, FieldInvalidDate,
		FieldInvalidInstant, FieldInvalidURL, FieldInvalidSlug, FieldControlCharacters, FieldBadRange,
		FieldUnknownReference, FieldExclusive, FieldConsentRequired, FieldTaken, FieldUnknown,
		FieldRequiredForVisa, FieldNeedsOrganisation, FieldUnknownOrg, FieldNeedsLanguage, FieldEndsBeforeStart,
		CodeStatementNotDraft, CodeStatementNotOpen, CodeStatementNotAccepted, CodeVoteOpened, CodeNoOpenBallot,
		CodeAlreadyCosigned, CodeOwnStatement, FieldRequiredToSubmit, FieldNoSuchParagraph,
		CodeOrgNotVerified, FieldTooManyVoting, FieldTooManyChoices,
		CodeSpeakersClosed, CodeAlreadyQueued, CodeNoCurrentSpeaker,
		FieldInvalidOpenPGPKey, CodeTOTPRequired, CodeTOTPEnrolment,
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Kind is the class of an Error; the API maps it to an HTTP status, the pages to a page.
type Kind int

// The kinds of Error.
const (
	KindInternal     Kind = iota // unexpected: logged, never shown
	KindMalformed                // the request cannot be read (400)
	KindUnauthorized             // no or bad credentials (401)
	KindForbidden                // the actor may not do this (403)
	KindNotFound                 // no such record, or not visible to the actor (404)
	KindConflict                 // the state forbids it (409)
	KindInvalid                  // fields break a rule (422)
	KindTooMany                  // rate limited (429)
	KindUnavailable              // a temporary storage fault: try again shortly (503, Retry-After)
)

// Status is the HTTP status that fits the kind (both skins answer with it).
func (k Kind) Status() int {
	switch k {
	case KindMalformed:
		return http.StatusBadRequest
	case KindUnauthorized:
		return http.StatusUnauthorized
	case KindForbidden:
		return http.StatusForbidden
	case KindNotFound:
		return http.StatusNotFound
	case KindConflict:
		return http.StatusConflict
	case KindInvalid:
		return http.StatusUnprocessableEntity
	case KindTooMany:
		return http.StatusTooManyRequests
	case KindUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Error is a domain error with a stable code: every operation of the rules layer returns one (or
// an error that Classify turns into one) for anything a client can cause.
type Error struct {
	Kind   Kind
	Code   Code
	Detail string      // English, for API clients and logs; pages translate Code instead
	Fields FieldErrors // per-field problems, for KindInvalid and KindMalformed
}

// Error returns the detail, or the code.
func (e *Error) Error() string {
	if e.Detail != "" {
		return e.Detail
	}
	return string(e.Code)
}

// Fail builds an Error of kind with code and an English detail.
func Fail(kind Kind, code Code, detail string) *Error {
	return &Error{Kind: kind, Code: code, Detail: detail}
}

// Conflictf is a 409-kind Error with code and a formatted detail.
func Conflictf(code Code, format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: code, Detail: fmt.Sprintf(format, args...)}
}

// FieldError is what is wrong with one field: a stable code and an English message.
type FieldError struct {
	Code    Code
	Message string
}

// FieldErrors maps request field names to their problems for rule violations (quota full,
// unknown organisation, ...). It is reported to clients as 422 validation_failed.
type FieldErrors map[string]FieldError

// Error lists the fields.
func (f FieldErrors) Error() string {
	return fmt.Sprintf("invalid fields: %d", len(f))
}

// Set records the problem of field (the first one set for a field wins).
func (f FieldErrors) Set(field string, code Code, message string) {
	if _, ok := f[field]; !ok {
		f[field] = FieldError{Code: code, Message: message}
	}
}

// Has reports whether field has a problem.
func (f FieldErrors) Has(field string) bool {
	_, ok := f[field]
	return ok
}

// Err returns f as an error, or nil when it is empty.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

// Invalid is a KindInvalid Error for fields.
func Invalid(fields FieldErrors) *Error {
	return &Error{Kind: KindInvalid, Code: CodeValidation, Detail: "the request has invalid fields", Fields: fields}
}

// Malformed is a KindMalformed Error: the request cannot be read, optionally naming fields.
func Malformed(detail string, fields FieldErrors) *Error {
	return &Error{Kind: KindMalformed, Code: CodeMalformed, Detail: detail, Fields: fields}
}

// TransitionError is returned by state-machine methods for an illegal move.
type TransitionError struct {
	Entity, From, To string
}

// Error describes the refused move.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("%s cannot go from %s to %s", e.Entity, e.From, e.To)
}

// Classify turns any error a domain operation returns into an *Error with a code, and reports
// false for unexpected errors (a database failure, a bug), which callers log and hide.
func Classify(err error) (*Error, bool) {
	var e *Error
	var te *TransitionError
	var qe *QuotaError
	var fe FieldErrors
	switch {
	case err == nil:
		return nil, false
	case errors.As(err, &e):
		return e, true
	case errors.As(err, &fe):
		return Invalid(fe), true
	case errors.As(err, &qe):
		fields := FieldErrors{"decision": {Code: CodeQuotaFull, Message: qe.Error() + ": waitlist the delegate or raise the quota"}}
		return &Error{Kind: KindConflict, Code: CodeQuotaFull, Detail: qe.Error(), Fields: fields}, true
	case errors.As(err, &te):
		return Conflictf(CodeInvalidTransition, "%s", te.Error()), true
	case errors.Is(err, ErrNotFound):
		return Fail(KindNotFound, CodeNotFound, "no such resource"), true
	case errors.Is(err, ErrConflict):
		return Fail(KindConflict, CodeConflict, "this conflicts with an existing record"), true
	case errors.Is(err, ErrBadCursor):
		return Malformed("invalid cursor", FieldErrors{"cursor": {Code: CodeBadCursor, Message: "is not a cursor from a previous page"}}), true
	case IsTemporary(err):
		return Fail(KindUnavailable, CodeUnavailable, "storage is unavailable for a moment; try again shortly"), true
	}
	return nil, false
}

// FieldProblem is FieldErrors with one field's problem.
func FieldProblem(field string, code Code, message string) FieldErrors {
	return FieldErrors{field: {Code: code, Message: message}}
}
