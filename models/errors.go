package models

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned when a record does not exist (or is not visible to the caller).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a change collides with existing data (a duplicate, a lost race).
var ErrConflict = errors.New("conflict")

// TransitionError is returned by state-machine methods for an illegal move.
type TransitionError struct {
	Entity, From, To string
}

// Error describes the refused move.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("%s cannot go from %s to %s", e.Entity, e.From, e.To)
}

// FieldErrors maps request field names to messages for rule violations found in the store
// (quota full, unknown organisation, ...). It is reported to clients as 422.
type FieldErrors map[string]string

// Error lists the fields.
func (f FieldErrors) Error() string {
	return fmt.Sprintf("invalid fields: %d", len(f))
}
