package domain

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/zimmerwald/zimmerwald/models"
)

// DelegateCSVColumns are the columns of the delegates export; the import reads the same names.
var DelegateCSVColumns = []string{"id", "status", "role", "display_name", "email", "legal_name", "organisation_id", "organisation",
	"country", "languages", "attendance", "visibility", "interpretation_needs", "accessibility_needs", "needs_visa_letter",
	"created_at", "confirmed_at", "decided_at"}

// WriteDelegatesCSV writes the export of ExportDelegates (same permission, same audit event) as
// CSV to out (write to a buffer: on an error part of it may be written), spreadsheet formulas defused. Both skins serve it: the API's delegates.csv and the
// console's export link.
func (s *Service) WriteDelegatesCSV(ctx context.Context, a *Actor, slug string, out io.Writer) (*models.Conference, error) {
	w := csv.NewWriter(out)
	if err := w.Write(DelegateCSVColumns); err != nil {
		return nil, err
	}
	conf, err := s.ExportDelegates(ctx, a, slug, func(d *models.Delegate, org string) error {
		orgID := ""
		if d.OrganisationID != nil {
			orgID = *d.OrganisationID
		}
		return w.Write(csvSafe(d.ID, string(d.Status), string(d.Role), d.DisplayName, d.Email, d.LegalName, orgID, org, d.Country,
			strings.Join(d.Languages, " "), string(d.Attendance), string(d.Visibility), d.InterpretationNeeds, d.AccessibilityNeeds,
			strconv.FormatBool(d.NeedsVisaLetter), csvTime(&d.CreatedAt), csvTime(d.ConfirmedAt), csvTime(d.DecidedAt)))
	})
	if err != nil {
		return nil, err
	}
	w.Flush()
	return conf, w.Error()
}

// csvSafe defuses spreadsheet formulas: a cell starting with = + - @ or a control character is
// prefixed with an apostrophe.
func csvSafe(cells ...string) []string {
	for i, v := range cells {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			cells[i] = "'" + v
		}
	}
	return cells
}

func csvTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
