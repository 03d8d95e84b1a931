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
// fields as CSV. It needs the export permission of the account (Account.CanExport), not just a
// staff role; the export is audited ("delegates.export") before any data leaves.
func (s *Server) exportDelegatesCSV(c *gin.Context) error {
	if p := who(c); p.Account == nil || !p.Account.CanExport {
		return problem(http.StatusForbidden, "exporting personal data needs the export permission")
	}
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	orgs, err := s.store.ListOrganisations(ctx, models.OrganisationFilter{ConferenceID: conf.ID})
	if err != nil {
		return err
	}
	orgName := map[string]string{}
	for _, o := range orgs {
		orgName[o.ID] = o.Name
	}
	if err := s.audit(c, s.store, conf.ID, "delegates.export", "conference", conf.ID); err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(csvColumns)
	err = s.store.EachDelegate(ctx, conf.ID, func(d *models.Delegate) error {
		if d.ErasedAt != nil {
			return nil
		}
		org, orgID := "", ""
		if d.OrganisationID != nil {
			orgID, org = *d.OrganisationID, orgName[*d.OrganisationID]
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
