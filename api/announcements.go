package api

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// audienceRequest selects the recipients of an announcement; every list is optional and an
// empty one does not narrow the audience.
type audienceRequest struct {
	Statuses        []models.DelegateStatus `json:"statuses" binding:"omitempty,max=10,dive,oneof=pending_confirmation submitted approved waitlisted rejected cancelled"`
	OrganisationIDs []string                `json:"organisation_ids" binding:"omitempty,max=500,dive,uuid"`
	Languages       []string                `json:"languages" binding:"omitempty,max=20,dive,max=12"`
	Roles           []models.DelegateRole   `json:"roles" binding:"omitempty,max=10,dive,oneof=delegate observer press guest"`
	Attendance      []models.AttendanceMode `json:"attendance" binding:"omitempty,max=4,dive,oneof=in_person remote"`
}

// announcementRequest is the body of POST …/announcements and …/announcements/preview. With
// dry_run (or on the preview route) nothing is sent: the answer is the recipient count and the
// mail rendered in preview_lang.
type announcementRequest struct {
	Subject     string          `json:"subject" binding:"required,max=200,nocrlf"`
	Body        string          `json:"body" binding:"required,max=20000"`
	Audience    audienceRequest `json:"audience"`
	DryRun      bool            `json:"dry_run"`
	PreviewLang string          `json:"preview_lang" binding:"omitempty,max=12"`
}

// announcementSent answers a real send: the announcement's ID and how many mails were queued.
type announcementSent struct {
	ID         string    `json:"id"`
	Recipients int       `json:"recipients"`
	Subject    string    `json:"subject"`
	CreatedAt  time.Time `json:"created_at"`
}

// renderedMail is one language's rendering of a mail, for previews.
type renderedMail struct {
	Lang    string `json:"lang"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
}

// announcementPreview answers a dry run: recipients in total and per mail language, and the mail.
type announcementPreview struct {
	DryRun     bool           `json:"dry_run"`
	Recipients int            `json:"recipients"`
	Languages  map[string]int `json:"languages"`
	Preview    renderedMail   `json:"preview"`
}

// announcementResponse is a sent announcement as organisers see it in the list.
type announcementResponse struct {
	ID         string          `json:"id"`
	Subject    string          `json:"subject"`
	Body       string          `json:"body"`
	Audience   audienceRequest `json:"audience"`
	Recipients int             `json:"recipients"`
	CreatedBy  string          `json:"created_by"`
	CreatedAt  time.Time       `json:"created_at"`
}

// audienceView shows an audience with empty lists as [] rather than null.
func audienceView(a models.Audience) audienceRequest {
	return audienceRequest{Statuses: nonNil(a.Statuses), OrganisationIDs: nonNil(a.OrganisationIDs), Languages: nonNil(a.Languages),
		Roles: nonNil(a.Roles), Attendance: nonNil(a.Attendance)}
}

// nonNil returns l, or an empty list for nil.
func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// announcementMailData is what an announcement's outbox row stores: mail.AnnouncementData
// without the subject and body, which OutboxQueue fills in from the announcement when it
// claims the row (the text is stored once, not once per recipient).
type announcementMailData struct {
	Conference     string
	Name           string
	UnsubscribeURL string
	Announcement   string `json:"announcement_id"`
}

// Template names the announcement template, whose subject and body OutboxQueue fills in.
func (announcementMailData) Template() mail.Template { return mail.TemplateAnnouncement }

// mailTemplates are the embedded templates, parsed once on first use (for previews).
var mailTemplates = sync.OnceValues(mail.LoadTemplates)

// headerUnsafe reports whether s holds a character that must never reach a mail header: any
// control character (CR and LF included) or a Unicode line or paragraph separator.
func headerUnsafe(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	})
}

// rules checks what binding tags cannot and returns the audience to select.
func (r *announcementRequest) rules() (models.Audience, models.FieldErrors) {
	fe := models.FieldErrors{}
	r.Subject = strings.TrimSpace(r.Subject)
	r.Body = strings.TrimSpace(strings.ReplaceAll(r.Body, "\r\n", "\n"))
	switch {
	case r.Subject == "":
		fe.Set("subject", models.FieldRequired, "is required")
	case headerUnsafe(r.Subject):
		fe.Set("subject", models.FieldControlCharacters, "must not contain line breaks or control characters")
	}
	switch {
	case r.Body == "":
		fe.Set("body", models.FieldRequired, "is required")
	case strings.ContainsFunc(r.Body, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\t' }):
		fe.Set("body", models.FieldControlCharacters, "must not contain control characters")
	}
	for _, l := range r.Audience.Languages {
		if !langPattern.MatchString(l) {
			fe.Set("audience.languages", models.FieldInvalidLanguage, "must be language codes such as en, ru, uk")
		}
	}
	if r.PreviewLang != "" && !langPattern.MatchString(r.PreviewLang) {
		fe.Set("preview_lang", models.FieldInvalidLanguage, "must be a language code such as en or uk")
	}
	a := r.Audience
	aud := models.Audience{Statuses: dedupe(a.Statuses), OrganisationIDs: dedupe(a.OrganisationIDs),
		Languages: dedupe(a.Languages), Roles: dedupe(a.Roles), Attendance: dedupe(a.Attendance)}
	if len(fe) > 0 {
		return aud, fe
	}
	return aud, nil
}

// dedupe returns the distinct values of l in their first order (nil for none).
func dedupe[T comparable](l []T) []T {
	var out []T
	for _, v := range l {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// createAnnouncement sends an announcement to an audience (organisers): one "announcement" mail
// per matching delegate, in their language; with dry_run it only previews.
func (s *Server) createAnnouncement(c *gin.Context) error { return s.announce(c, false) }

// previewAnnouncement counts the recipients of an announcement and renders it without sending.
func (s *Server) previewAnnouncement(c *gin.Context) error { return s.announce(c, true) }

func (s *Server) announce(c *gin.Context, preview bool) error {
	var req announcementRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	aud, fe := req.rules()
	if fe != nil {
		return fe
	}
	conf, err := s.conference(c)
	if err != nil {
		return err
	}
	if err := s.checkOrganisations(c, conf.ID, aud.OrganisationIDs); err != nil {
		return err
	}
	tmpl, err := mailTemplates()
	if err != nil {
		return err
	}
	if err := s.checkComposable(tmpl, conf, &req); err != nil {
		return err
	}
	if preview || req.DryRun {
		return s.sendPreview(c, tmpl, conf, &req, aud)
	}
	return s.sendAnnouncement(c, conf, &req, aud)
}

// checkComposable renders the announcement in every language and composes it as the worker
// will, so that a mail that could only be dead-lettered (the conference title holding a
// character no header may hold, say) is refused now rather than enqueued for everyone.
func (s *Server) checkComposable(tmpl *mail.Templates, conf *models.Conference, req *announcementRequest) error {
	for _, lang := range tmpl.Languages() {
		r, err := tmpl.Render(mail.TemplateAnnouncement, lang, &mail.AnnouncementData{Conference: conf.Title, Subject: req.Subject, Body: req.Body})
		if err != nil {
			return err
		}
		if _, err := mail.Compose(s.cfg.MailFrom, "check@example.org", "", r); err != nil {
			return models.FieldErrors{"subject": {Code: models.FieldInvalid, Message: "cannot be sent: with the conference title it is not a valid mail subject"}}
		}
	}
	return nil
}

// checkOrganisations refuses organisation IDs that are not the conference's.
func (s *Server) checkOrganisations(c *gin.Context, conferenceID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	os, err := s.store.ListOrganisations(c.Request.Context(), models.OrganisationFilter{ConferenceID: conferenceID})
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(os))
	for _, o := range os {
		known[o.ID] = true
	}
	for _, id := range ids {
		if !known[id] {
			return models.FieldErrors{"audience.organisation_ids": {Code: models.FieldUnknownReference, Message: "names an organisation that is not part of this conference"}}
		}
	}
	return nil
}

// sendPreview answers the recipient count per mail language and the mail rendered in one
// language (preview_lang, else the most common one), without enqueuing anything.
func (s *Server) sendPreview(c *gin.Context, tmpl *mail.Templates, conf *models.Conference, req *announcementRequest, aud models.Audience) error {
	members, err := s.store.AudienceRecipients(c.Request.Context(), conf.ID, aud, false)
	if err != nil {
		return err
	}
	langs := map[string]int{}
	for _, m := range members {
		langs[tmpl.Language(m.Lang)]++
	}
	lang := req.PreviewLang
	if lang == "" {
		lang = mail.DefaultLanguage
		for l, n := range langs {
			if n > langs[lang] || (n == langs[lang] && l < lang) {
				lang = l
			}
		}
	}
	lang = tmpl.Language(lang)
	r, err := tmpl.Render(mail.TemplateAnnouncement, lang, &mail.AnnouncementData{
		Conference: conf.Title, Subject: req.Subject, Body: req.Body, UnsubscribeURL: s.link("/me")})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, announcementPreview{DryRun: true, Recipients: len(members), Languages: langs,
		Preview: renderedMail{Lang: lang, Subject: r.Subject, Text: r.Text, HTML: r.HTML}})
	return nil
}

// sendAnnouncement selects the recipients through the read pool, builds and seals their rows
// outside the transaction, then in one short transaction drops those who left the audience
// meanwhile, saves the announcement, inserts the rows in batches and records the audit event.
func (s *Server) sendAnnouncement(c *gin.Context, conf *models.Conference, req *announcementRequest, aud models.Audience) error {
	ctx := c.Request.Context()
	start := time.Now()
	since := s.store.Now() // delegates changed after this are checked again in the transaction
	if start.Before(since) {
		since = start
	}
	since = since.Add(-time.Second)
	members, err := s.store.AudienceRecipients(ctx, conf.ID, aud, true)
	if err != nil {
		return err
	}
	selected := time.Now()
	ann := models.NewAnnouncement(conf.ID, who(c).ID(), req.Subject, req.Body, aud)
	msgs := make([]*models.OutboxMessage, 0, len(members))
	owners := make([]string, 0, len(members))
	unsubscribe := s.link("/me")
	for _, m := range members {
		data := announcementMailData{Conference: conf.Title, Name: m.Name, UnsubscribeURL: unsubscribe, Announcement: ann.ID}
		msg, err := domain.NewMail(domain.Envelope{ConferenceID: conf.ID, DelegateID: m.DelegateID, To: m.Email, Lang: m.Lang},
			"announcement:"+ann.ID, data)
		if err != nil {
			return err
		}
		msgs, owners = append(msgs, msg), append(owners, m.DelegateID)
	}
	s.store.SealOutbox(msgs...)
	built := time.Now()
	err = s.store.Tx(ctx, func(tx *models.Store) error {
		leavers, err := tx.AudienceLeavers(ctx, conf.ID, aud, since)
		if err != nil {
			return err
		}
		if len(leavers) > 0 {
			kept := msgs[:0]
			for i, m := range msgs {
				if !leavers[owners[i]] {
					kept = append(kept, m)
				}
			}
			msgs = kept
		}
		ann.Recipients = len(msgs)
		if err := tx.CreateAnnouncement(ctx, ann); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		return s.audit(c, tx, conf.ID, "announcement.send", "announcement", ann.ID)
	})
	if err != nil {
		return err
	}
	s.notify()
	done := time.Now()
	s.log.Info("announcement enqueued", "request_id", requestID(c), "announcement", ann.ID, "recipients", ann.Recipients,
		"select", selected.Sub(start), "build", built.Sub(selected), "transaction", done.Sub(built), "total", done.Sub(start))
	c.JSON(http.StatusAccepted, announcementSent{ID: ann.ID, Recipients: ann.Recipients, Subject: ann.Subject, CreatedAt: ann.CreatedAt})
	return nil
}

// listAnnouncements lists a conference's announcements, newest first (organisers).
func (s *Server) listAnnouncements(c *gin.Context) error {
	conf, pg, err := s.conferencePage(c)
	if err != nil {
		return err
	}
	as, err := s.store.ListAnnouncements(c.Request.Context(), conf.ID, pg)
	if err != nil {
		return err
	}
	out := listResponse[announcementResponse]{Items: make([]announcementResponse, 0, len(as))}
	for _, a := range as {
		out.Items = append(out.Items, announcementResponse{ID: a.ID, Subject: a.Subject, Body: a.Body, Audience: audienceView(a.Audience),
			Recipients: a.Recipients, CreatedBy: a.CreatedBy, CreatedAt: a.CreatedAt})
	}
	if len(as) == pg.Limit {
		last := as[len(as)-1]
		out.NextCursor = models.EncodeCursor(last.CreatedAt, last.ID)
	}
	c.JSON(http.StatusOK, out)
	return nil
}
