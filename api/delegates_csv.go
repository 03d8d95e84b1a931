package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// csvColumns are the columns of the delegates export; the import reads the same names.
var csvColumns = []string{"id", "status", "role", "display_name", "email", "legal_name", "organisation_id", "organisation",
	"country", "languages", "attendance", "visibility", "interpretation_needs", "accessibility_needs", "needs_visa_letter",
	"created_at", "confirmed_at", "decided_at"}

// exportDelegatesCSV exports every (not erased) registration of a conference with its personal
// fields as CSV (domain.Service.ExportDelegates: the export permission is needed, and the export
// is audited before any data leaves).
func (s *Server) exportDelegatesCSV(c *gin.Context) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(csvColumns)
	conf, err := s.dom.ExportDelegates(c.Request.Context(), s.actor(c), c.Param("slug"), func(d *models.Delegate, org string) error {
		orgID := ""
		if d.OrganisationID != nil {
			orgID = *d.OrganisationID
		}
		return w.Write(csvSafe(d.ID, string(d.Status), string(d.Role), d.DisplayName, d.Email, d.LegalName, orgID, org, d.Country,
			strings.Join(d.Languages, " "), string(d.Attendance), string(d.Visibility), d.InterpretationNeeds, d.AccessibilityNeeds,
			strconv.FormatBool(d.NeedsVisaLetter), csvTime(&d.CreatedAt), csvTime(d.ConfirmedAt), csvTime(d.DecidedAt)))
	})
	if err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="`+conf.Slug+`-delegates.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
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
