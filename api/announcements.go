package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

// audienceRequest selects the recipients of an announcement; every list is optional and an
// empty one does not narrow the audience.
type audienceRequest struct {
	Statuses        []string `json:"statuses" binding:"omitempty,max=10,dive,oneof=pending_confirmation submitted approved waitlisted rejected cancelled"`
	OrganisationIDs []string `json:"organisation_ids" binding:"omitempty,max=500,dive,uuid"`
	Languages       []string `json:"languages" binding:"omitempty,max=20,dive,max=12"`
	Roles           []string `json:"roles" binding:"omitempty,max=10,dive,oneof=delegate observer press guest"`
	Attendance      []string `json:"attendance" binding:"omitempty,max=4,dive,oneof=in_person remote"`
}

// announcementRequest is the body of POST …/announcements and …/announcements/preview. With
// dry_run (or on the preview route) nothing is sent: the answer is the recipient count and the
// mail rendered in preview_lang.
type announcementRequest struct {
	Subject string `json:"subject" binding:"required,max=200,nocrlf"`
	Body    string `json:"body" binding:"required,max=20000"`
	// Translations are the text in the conference's other languages (issue 13).
	Translations map[string]announcementTranslation `json:"translations" binding:"omitempty,max=20,dive"`
	Audience     audienceRequest                    `json:"audience"`
	DryRun       bool                               `json:"dry_run"`
	PreviewLang  string                             `json:"preview_lang" binding:"omitempty,max=12"`
}

// announcementTranslation is an announcement's subject and body in one more language.
type announcementTranslation struct {
	Subject string `json:"subject" binding:"max=200,nocrlf"`
	Body    string `json:"body" binding:"max=20000"`
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
	ID           string                             `json:"id"`
	Subject      string                             `json:"subject"`
	Body         string                             `json:"body"`
	Translations map[string]announcementTranslation `json:"translations"`
	Audience     audienceRequest                    `json:"audience"`
	Recipients   int                                `json:"recipients"`
	CreatedBy    string                             `json:"created_by"`
	CreatedAt    time.Time                          `json:"created_at"`
}

// audienceView shows an audience with empty lists as [] rather than null.
func audienceView(a models.Audience) audienceRequest {
	list := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	return audienceRequest{Statuses: list(models.Strings(a.Statuses)), OrganisationIDs: list(a.OrganisationIDs), Languages: list(a.Languages),
		Roles: list(models.Strings(a.Roles)), Attendance: list(models.Strings(a.Attendance))}
}

// input is the request as the domain's announcement input.
func (r *announcementRequest) input() domain.AnnouncementInput {
	a := r.Audience
	var trs map[string]models.AnnouncementText
	for lang, t := range r.Translations {
		if trs == nil {
			trs = map[string]models.AnnouncementText{}
		}
		trs[lang] = models.AnnouncementText{Subject: t.Subject, Body: t.Body}
	}
	return domain.AnnouncementInput{Subject: r.Subject, Body: r.Body, PreviewLang: r.PreviewLang, Translations: trs,
		Audience: models.Audience{Statuses: models.Typed[models.DelegateStatus](a.Statuses), OrganisationIDs: a.OrganisationIDs, Languages: a.Languages,
			Roles: models.Typed[models.DelegateRole](a.Roles), Attendance: models.Typed[models.AttendanceMode](a.Attendance)}}
}

// createAnnouncement sends an announcement to an audience (domain.Service.CreateAnnouncement);
// with dry_run it only previews.
func (s *Server) createAnnouncement(c *gin.Context) error { return s.announce(c, false) }

// previewAnnouncement counts the recipients of an announcement and renders it without sending
// (domain.Service.PreviewAnnouncement).
func (s *Server) previewAnnouncement(c *gin.Context) error { return s.announce(c, true) }

func (s *Server) announce(c *gin.Context, preview bool) error {
	var req announcementRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx, a := c.Request.Context(), s.actor(c)
	if preview || req.DryRun {
		pv, err := s.dom.PreviewAnnouncement(ctx, a, c.Param("slug"), req.input())
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, announcementPreview{DryRun: true, Recipients: pv.Recipients, Languages: pv.Languages,
			Preview: renderedMail{Lang: pv.Lang, Subject: pv.Mail.Subject, Text: pv.Mail.Text, HTML: pv.Mail.HTML}})
		return nil
	}
	sent, err := s.dom.CreateAnnouncement(ctx, a, c.Param("slug"), req.input())
	if err != nil {
		return err
	}
	ann := sent.Announcement
	s.log.Info("announcement enqueued", "request_id", requestID(c), "announcement", ann.ID, "recipients", ann.Recipients,
		"select", sent.Select, "build", sent.Build, "transaction", sent.Transaction, "total", sent.Select+sent.Build+sent.Transaction)
	c.JSON(http.StatusAccepted, announcementSent{ID: ann.ID, Recipients: ann.Recipients, Subject: ann.Subject, CreatedAt: ann.CreatedAt})
	return nil
}

// listAnnouncements lists a conference's announcements, newest first (domain.Service.ListAnnouncements).
func (s *Server) listAnnouncements(c *gin.Context) error {
	pg, err := page(c)
	if err != nil {
		return err
	}
	as, err := s.dom.ListAnnouncements(c.Request.Context(), s.actor(c), c.Param("slug"), pg)
	if err != nil {
		return err
	}
	out := listResponse[announcementResponse]{Items: make([]announcementResponse, 0, len(as))}
	for _, a := range as {
		trs := map[string]announcementTranslation{}
		for lang, t := range a.Translations {
			trs[lang] = announcementTranslation{Subject: t.Subject, Body: t.Body}
		}
		out.Items = append(out.Items, announcementResponse{ID: a.ID, Subject: a.Subject, Body: a.Body, Translations: trs, Audience: audienceView(a.Audience),
			Recipients: a.Recipients, CreatedBy: a.CreatedBy, CreatedAt: a.CreatedAt})
	}
	if len(as) == pg.Limit {
		last := as[len(as)-1]
		out.NextCursor = models.EncodeCursor(last.CreatedAt, last.ID)
	}
	c.JSON(http.StatusOK, out)
	return nil
}
