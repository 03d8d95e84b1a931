package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// meRequest is the body of PATCH /me: the fields a delegate may change themself, all optional.
// status, role, organisation_id, email and id are not among them, so they change nothing.
type meRequest struct {
	DisplayName         *string  `json:"display_name" binding:"omitempty,max=100,nocrlf"`
	Country             *string  `json:"country" binding:"omitempty,max=2"`
	Languages           []string `json:"languages" binding:"omitempty,max=10,dive,max=12"`
	Attendance          *string  `json:"attendance" binding:"omitempty,oneof=in_person remote"`
	Visibility          *string  `json:"visibility" binding:"omitempty,oneof=public participants organisers"`
	InterpretationNeeds *string  `json:"interpretation_needs" binding:"omitempty,max=2000"`
	AccessibilityNeeds  *string  `json:"accessibility_needs" binding:"omitempty,max=2000"`
	LegalName           *string  `json:"legal_name" binding:"omitempty,max=200,nocrlf"`
	NeedsVisaLetter     *bool    `json:"needs_visa_letter"`
	NotifyAnnouncements *bool    `json:"notify_announcements"`
	NotifyAgenda        *bool    `json:"notify_agenda"`
}

// apply copies the set fields onto d and returns per-field errors.
func (r *meRequest) apply(d *models.Delegate) models.FieldErrors {
	fe := models.FieldErrors{}
	if r.DisplayName != nil {
		d.DisplayName = strings.TrimSpace(*r.DisplayName)
		checkName(fe, "display_name", d.DisplayName, 100, true)
	}
	if r.LegalName != nil {
		d.LegalName = strings.TrimSpace(*r.LegalName)
		checkName(fe, "legal_name", d.LegalName, 200, false)
	}
	if r.Country != nil {
		d.Country = strings.ToUpper(*r.Country)
		if d.Country != "" && !countryPattern.MatchString(d.Country) {
			fe.Set("country", models.FieldInvalidCountry, "must be a two-letter country code such as UA")
		}
	}
	if r.Languages != nil {
		checkLanguages(fe, r.Languages)
		if len(r.Languages) == 0 {
			fe.Set("languages", models.FieldRequired, "must name at least one language")
		}
		d.Languages = models.StringList(r.Languages)
	}
	setStr(&d.Attendance, r.Attendance)
	setStr(&d.Visibility, r.Visibility)
	setStr(&d.InterpretationNeeds, r.InterpretationNeeds)
	setStr(&d.AccessibilityNeeds, r.AccessibilityNeeds)
	for dst, src := range map[*bool]*bool{&d.NeedsVisaLetter: r.NeedsVisaLetter, &d.NotifyAnnouncements: r.NotifyAnnouncements, &d.NotifyAgenda: r.NotifyAgenda} {
		if src != nil {
			*dst = *src
		}
	}
	if d.NeedsVisaLetter && d.LegalName == "" {
		fe.Set("legal_name", models.FieldRequired, "is required for a visa letter")
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// getMe shows the delegate their own registration, personal fields included (never cached).
func (s *Server) getMe(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, delegateView(who(c).Delegate, true))
	return nil
}

// updateMe changes the delegate's own editable fields.
func (s *Server) updateMe(c *gin.Context) error {
	var req meRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	var d *models.Delegate
	err := s.store.Tx(ctx, func(tx *models.Store) error {
		var err error
		if d, err = tx.Delegate(ctx, who(c).Delegate.ID); err != nil {
			return err
		}
		if fe := req.apply(d); fe != nil {
			return fe
		}
		return tx.UpdateDelegate(ctx, d)
	})
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, delegateView(d, true))
	return nil
}

// deleteMe withdraws the delegate's registration and erases their personal data at once: sealed
// fields emptied, email index removed (the address can register again), display name replaced,
// sessions and links revoked, queued mail to them deleted. A place it frees goes to the next on
// the waiting list. The erasure is audited without data.
func (s *Server) deleteMe(c *gin.Context) error {
	ctx := c.Request.Context()
	err := s.store.Tx(ctx, func(tx *models.Store) error {
		out, err := tx.EraseDelegate(ctx, who(c).Delegate.ID)
		if err != nil {
			return err
		}
		if err := s.audit(c, tx, out.Delegate.ConferenceID, "delegate.erase", "delegate", out.Delegate.ID); err != nil {
			return err
		}
		return s.dom.EnqueuePromotions(ctx, tx, s.actor(c), out)
	})
	if err != nil {
		return err
	}
	s.notify()
	c.Status(http.StatusNoContent)
	return nil
}

// exportResponse is everything stored about a delegate, as JSON.
type exportResponse struct {
	ExportedAt   time.Time             `json:"exported_at"`
	Delegate     delegateResponse      `json:"delegate"`
	Notes        string                `json:"staff_notes"`
	ConsentAt    *time.Time            `json:"consent_at"`
	Organisation *organisationResponse `json:"organisation"`
	Tokens       []models.Record       `json:"sign_in_links_and_sessions"`
	Mail         []models.Record       `json:"mail"`
	Audit        []models.Record       `json:"audit_events"`
	Attendance   []models.Record       `json:"session_signups"`
	Speaking     []models.Record       `json:"session_roles"`
	Statements   []models.Record       `json:"statements"`
	Amendments   []models.Record       `json:"amendments"`
	Cosignatures []models.Record       `json:"cosignatures"`
}

// exportMe returns everything stored about the delegate as a JSON download.
func (s *Server) exportMe(c *gin.Context) error {
	x, err := s.store.ExportDelegate(c.Request.Context(), who(c).Delegate.ID)
	if err != nil {
		return err
	}
	out := exportResponse{ExportedAt: s.store.Now(), Delegate: delegateView(x.Delegate, true), Notes: x.Delegate.Notes,
		ConsentAt: x.Delegate.ConsentAt, Tokens: x.Tokens, Mail: x.Mail, Audit: x.Audit, Attendance: x.Attendance,
		Speaking: x.Speaking, Statements: x.Statements, Amendments: x.Amendments, Cosignatures: x.Cosignatures}
	if x.Organisation != nil {
		o := organisationView(x.Organisation, false)
		out.Organisation = &o
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="my-registration.json"`)
	c.JSON(http.StatusOK, out)
	return nil
}
