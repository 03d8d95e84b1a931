package domain

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/zimmerwald/zimmerwald/mail"
	"github.com/zimmerwald/zimmerwald/models"
)

// AnnouncementInput is an announcement to a conference's delegates: its text, its audience
// (empty lists do not narrow it) and, for a preview, the language to render it in.
type AnnouncementInput struct {
	Subject, Body string
	// Translations are the text in other languages of the conference, by language code: each
	// recipient gets their mail language's version, else Subject and Body.
	Translations map[string]models.AnnouncementText
	Audience     models.Audience
	PreviewLang  string
}

// text is the announcement's text with its translations.
func (in *AnnouncementInput) text() models.AnnouncementText {
	return models.AnnouncementText{Subject: in.Subject, Body: in.Body, Translations: in.Translations}
}

// AnnouncementPreview is a dry run: how many delegates an announcement reaches, in total and
// per mail language, and the mail as rendered in one language.
type AnnouncementPreview struct {
	Recipients int
	Languages  map[string]int
	Lang       string
	Mail       mail.Rendered
}

// AnnouncementSent is an announcement just enqueued, with how long each step of the fan-out took
// (for the log).
type AnnouncementSent struct {
	Announcement               *models.Announcement
	Select, Build, Transaction time.Duration
}

// announcementMailData is what an announcement's outbox row stores: mail.AnnouncementData
// without the subject and body, which the outbox queue fills in from the announcement when it
// claims the row (the text is stored once, not once per recipient).
type announcementMailData struct {
	Conference     string
	Name           string
	UnsubscribeURL string
	Announcement   string `json:"announcement_id"`
}

// Template names the announcement template, whose subject and body the outbox fills in.
func (announcementMailData) Template() mail.Template { return mail.TemplateAnnouncement }

// delegateStatuses are the registration statuses an audience may select.
var delegateStatuses = []models.DelegateStatus{models.DelegatePending, models.DelegateSubmitted, models.DelegateApproved,
	models.DelegateWaitlist, models.DelegateRejected, models.DelegateCancelled}

// MailTemplates are the embedded mail templates, parsed once on first use (for previews).
var MailTemplates = sync.OnceValues(mail.LoadTemplates)

// HeaderUnsafe reports whether s holds a character that must never reach a mail header: any
// control character (CR and LF included) or a Unicode line or paragraph separator.
func HeaderUnsafe(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	})
}

// PreviewAnnouncement counts the recipients of an announcement per mail language and renders it
// in PreviewLang (else the most common language) without sending anything (organisers).
func (s *Service) PreviewAnnouncement(ctx context.Context, a *Actor, slug string, in AnnouncementInput) (*AnnouncementPreview, error) {
	conf, tmpl, err := s.checkAnnouncement(ctx, a, slug, &in)
	if err != nil {
		return nil, err
	}
	members, err := s.store.AudienceRecipients(ctx, conf.ID, in.Audience, false)
	if err != nil {
		return nil, err
	}
	langs := map[string]int{}
	for _, m := range members {
		langs[tmpl.Language(m.Lang)]++
	}
	lang := in.PreviewLang
	if lang == "" {
		lang = mail.DefaultLanguage
		for l, n := range langs {
			if n > langs[lang] || (n == langs[lang] && l < lang) {
				lang = l
			}
		}
	}
	lang = tmpl.Language(lang)
	text := in.text().In(lang)
	r, err := tmpl.Render(mail.TemplateAnnouncement, lang, &mail.AnnouncementData{
		Discretion: mail.Discretion{NamesConference: conf.MailNamesConference},
		Conference: conf.Title, Subject: text.Subject, Body: text.Body, UnsubscribeURL: s.link("/u/…")})
	if err != nil {
		return nil, err
	}
	return &AnnouncementPreview{Recipients: len(members), Languages: langs, Lang: lang, Mail: r}, nil
}

// CreateAnnouncement sends an announcement (organisers): one "announcement" mail per delegate of
// the audience, in their language. It selects the recipients through the read pool, builds and
// seals their rows outside the transaction, then in one short transaction drops those who left
// the audience meanwhile, saves the announcement, inserts the rows in batches and audits.
func (s *Service) CreateAnnouncement(ctx context.Context, a *Actor, slug string, in AnnouncementInput) (*AnnouncementSent, error) {
	conf, _, err := s.checkAnnouncement(ctx, a, slug, &in)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	since := s.store.Now() // delegates changed after this are checked again in the transaction
	if start.Before(since) {
		since = start
	}
	since = since.Add(-time.Second)
	aud := in.Audience
	members, err := s.store.AudienceRecipients(ctx, conf.ID, aud, true)
	if err != nil {
		return nil, err
	}
	selected := time.Now()
	ann := models.NewAnnouncement(conf.ID, a.ID(), in.Subject, in.Body, aud)
	ann.Translations = in.Translations
	msgs := make([]*models.OutboxMessage, 0, len(members))
	owners := make([]string, 0, len(members))
	for _, m := range members {
		data := announcementMailData{Conference: conf.Title, Name: m.Name, UnsubscribeURL: s.UnsubscribeURL(m.DelegateID), Announcement: ann.ID}
		msg, err := NewMail(Envelope{ConferenceID: conf.ID, DelegateID: m.DelegateID, To: m.Email, Lang: m.Lang},
			"announcement:"+ann.ID, data)
		if err != nil {
			return nil, err
		}
		msgs, owners = append(msgs, msg), append(owners, m.DelegateID)
	}
	s.store.SealOutbox(msgs...)
	built := time.Now()
	err = s.change(ctx, func(tx *models.Store) error {
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
		return s.audit(ctx, tx, a, conf.ID, "announcement.send", "announcement", ann.ID)
	})
	if err != nil {
		return nil, err
	}
	return &AnnouncementSent{Announcement: ann, Select: selected.Sub(start), Build: built.Sub(selected), Transaction: time.Since(built)}, nil
}

// ListAnnouncements lists the announcements of the conference with slug, newest first
// (organisers).
func (s *Service) ListAnnouncements(ctx context.Context, a *Actor, slug string, pg models.Page) ([]models.Announcement, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, err
	}
	return s.store.ListAnnouncements(ctx, conf.ID, pg)
}

// checkAnnouncement checks the actor, normalises and checks in, and returns the conference and
// the mail templates.
func (s *Service) checkAnnouncement(ctx context.Context, a *Actor, slug string, in *AnnouncementInput) (*models.Conference, *mail.Templates, error) {
	if err := a.RequireStaff(Organisers...); err != nil {
		return nil, nil, err
	}
	if err := in.normalise().Err(); err != nil {
		return nil, nil, err
	}
	conf, err := s.Conference(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	if err := a.RequireStaffIn(conf.ID, Organisers...); err != nil {
		return nil, nil, err
	}
	if err := s.checkOrganisations(ctx, conf.ID, in.Audience.OrganisationIDs); err != nil {
		return nil, nil, err
	}
	if err := checkTranslations(conf, in); err != nil {
		return nil, nil, err
	}
	tmpl, err := MailTemplates()
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkComposable(tmpl, conf, in); err != nil {
		return nil, nil, err
	}
	return conf, tmpl, nil
}

// normalise trims the text, drops repeated audience values and checks the fields.
func (in *AnnouncementInput) normalise() models.FieldErrors {
	fe := models.FieldErrors{}
	in.Subject = strings.TrimSpace(in.Subject)
	in.Body = strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	switch {
	case in.Subject == "":
		fe.Set("subject", models.FieldRequired, "is required")
	case HeaderUnsafe(in.Subject):
		fe.Set("subject", models.FieldControlCharacters, "must not contain line breaks or control characters")
	}
	switch {
	case in.Body == "":
		fe.Set("body", models.FieldRequired, "is required")
	case strings.ContainsFunc(in.Body, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\t' }):
		fe.Set("body", models.FieldControlCharacters, "must not contain control characters")
	}
	checkAmong(fe, "audience.statuses", in.Audience.Statuses, delegateStatuses)
	checkAmong(fe, "audience.roles", in.Audience.Roles, models.DelegateRoles)
	checkAmong(fe, "audience.attendance", in.Audience.Attendance, models.Attendances)
	for _, l := range in.Audience.Languages {
		if !langPattern.MatchString(l) {
			fe.Set("audience.languages", models.FieldInvalidLanguage, "must be language codes such as en, ru, uk")
		}
	}
	if in.PreviewLang != "" && !langPattern.MatchString(in.PreviewLang) {
		fe.Set("preview_lang", models.FieldInvalidLanguage, "must be a language code such as en or uk")
	}
	a := in.Audience
	in.Audience = models.Audience{Statuses: Distinct(a.Statuses), OrganisationIDs: Distinct(a.OrganisationIDs),
		Languages: Distinct(a.Languages), Roles: Distinct(a.Roles), Attendance: Distinct(a.Attendance)}
	return fe
}

// checkAmong marks field when a value of got is not among valid.
func checkAmong[T ~string](fe models.FieldErrors, field string, got, valid []T) {
	for _, v := range got {
		if !slices.Contains(valid, v) {
			fe.Set(field, models.FieldOneOf, "must be among: "+strings.Join(models.Strings(valid), ", "))
		}
	}
}

// Distinct returns the distinct values of l in their first order (nil for none).
func Distinct[T comparable](l []T) []T {
	var out []T
	for _, v := range l {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// checkComposable renders the announcement in every language and composes it as the worker
// will, so that a mail that could only be dead-lettered (the conference title holding a
// character no header may hold, say) is refused now rather than enqueued for everyone.
func (s *Service) checkComposable(tmpl *mail.Templates, conf *models.Conference, in *AnnouncementInput) error {
	for _, lang := range tmpl.Languages() {
		text := in.text().In(lang)
		r, err := tmpl.Render(mail.TemplateAnnouncement, lang, &mail.AnnouncementData{Discretion: mail.Discretion{NamesConference: conf.MailNamesConference},
			Conference: conf.Title, Subject: text.Subject, Body: text.Body})
		if err != nil {
			return err
		}
		if _, err := mail.Compose(s.cfg.MailFrom, "check@example.org", "", r); err != nil {
			return models.FieldProblem("subject", models.FieldInvalid, "cannot be sent: with the conference title it is not a valid mail subject")
		}
	}
	return nil
}

// checkOrganisations refuses organisation IDs that are not the conference's.
func (s *Service) checkOrganisations(ctx context.Context, conferenceID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	os, err := s.store.ListOrganisations(ctx, models.OrganisationFilter{ConferenceID: conferenceID})
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(os))
	for _, o := range os {
		known[o.ID] = true
	}
	for _, id := range ids {
		if !known[id] {
			return models.FieldProblem("audience.organisation_ids", models.FieldUnknownReference, "names an organisation that is not part of this conference")
		}
	}
	return nil
}

// checkTranslations trims the translations and refuses one in a language the conference does not
// use, or with a missing or unsafe subject or body (field "translations.<lang>.subject|body").
func checkTranslations(conf *models.Conference, in *AnnouncementInput) error {
	fe := models.FieldErrors{}
	for lang, t := range in.Translations {
		if !slices.Contains(conf.Languages, lang) {
			fe.Set("translations", models.FieldInvalidLanguage, "must be languages of the conference: "+strings.Join(conf.Languages, ", "))
			continue
		}
		t.Subject, t.Body = strings.TrimSpace(t.Subject), strings.TrimSpace(strings.ReplaceAll(t.Body, "\r\n", "\n"))
		if t.Subject == "" && t.Body == "" {
			delete(in.Translations, lang) // an empty language block means no translation
			continue
		}
		switch {
		case t.Subject == "":
			fe.Set("translations."+lang+".subject", models.FieldRequired, "is required")
		case HeaderUnsafe(t.Subject):
			fe.Set("translations."+lang+".subject", models.FieldControlCharacters, "must not contain line breaks or control characters")
		}
		if t.Body == "" {
			fe.Set("translations."+lang+".body", models.FieldRequired, "is required")
		}
		in.Translations[lang] = t
	}
	return fe.Err()
}
