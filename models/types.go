package models

import (
	"database/sql/driver"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

// Strings returns the values of a list of a named string type as plain strings.
func Strings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Typed converts strings (from a request or a form) to a named string type, nil for nil; the
// values are checked where they are used.
func Typed[T ~string](vs []string) []T {
	if vs == nil {
		return nil
	}
	out := make([]T, len(vs))
	for i, v := range vs {
		out[i] = T(v)
	}
	return out
}

// NewID returns a random (version 4) UUID string. IDs never reveal order or time.
func NewID() string { return uuid.NewString() }

// StringList is a list of strings stored as a JSON array in one text column.
type StringList []string

// Value encodes the list as JSON.
func (l StringList) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Scan decodes a JSON array from the database.
func (l *StringList) Scan(src any) error { return scanJSONList("string list", src, (*[]string)(l)) }

// scanJSONList decodes a JSON array column (text or bytes) into dst; NULL is a nil list.
func scanJSONList[T any](what string, src any, dst *[]T) error {
	if src == nil {
		*dst = nil
		return nil
	}
	return scanJSON(what, src, dst)
}

// scanJSON decodes a JSON column (text or bytes, not NULL) into dst.
func scanJSON(what string, src any, dst any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("%s: cannot scan %T", what, src)
	}
	return json.Unmarshal(b, dst)
}

// Page is the keyset position of a list: the last item's creation time and ID.
type Page struct {
	Limit     int
	AfterTime time.Time
	AfterID   string
}

// DefaultLimit and MaxLimit bound list sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// ErrBadCursor is returned for a cursor that was not produced by EncodeCursor.
var ErrBadCursor = errors.New("invalid cursor")

// EncodeCursor returns the opaque cursor that continues after (t, id).
func EncodeCursor(t time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(t.UTC().Format(time.RFC3339Nano) + "|" + id))
}

// ParsePage builds a Page from a limit and an optional cursor.
func ParsePage(limit int, cursor string) (Page, error) {
	p := Page{Limit: clampLimit(limit)}
	if cursor == "" {
		return p, nil
	}
	ts, id, err := splitCursor(cursor)
	if err != nil {
		return p, err
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil || uuid.Validate(id) != nil {
		return p, ErrBadCursor
	}
	p.AfterTime, p.AfterID = t, id
	return p, nil
}

// clampLimit bounds a requested list size to 1..MaxLimit, DefaultLimit when unset.
func clampLimit(limit int) int {
	if limit <= 0 {
		return DefaultLimit
	}
	return min(limit, MaxLimit)
}

// splitCursor decodes an opaque cursor into its two "|"-separated parts.
func splitCursor(cursor string) (string, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", "", ErrBadCursor
	}
	a, b, ok := strings.Cut(string(raw), "|")
	if !ok {
		return "", "", ErrBadCursor
	}
	return a, b, nil
}

// gormExpr is a raw SQL expression for an update map.
func gormExpr(sql string) clause.Expr { return clause.Expr{SQL: sql} }

// NewRowID returns a time-ordered (version 7) UUID for rows that are never shown outside the
// server and its staff (tokens, outbox messages): ordered keys keep their indexes compact and
// writes local. Rows about people (delegates, organisations) use NewID, which reveals no time.
func NewRowID() string { return uuid.Must(uuid.NewV7()).String() }
