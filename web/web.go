package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	_ "time/tzdata" // the time zone select must work on hosts without zoneinfo

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/models"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options are the pages' dependencies.
type Options struct {
	// Domain runs every operation and every read that depends on who asks; the API shares it.
	Domain *domain.Service
	Store  *models.Store
	Config config.Config
	Logger *slog.Logger
}

// Pages is the web front's handler.
type Pages struct {
	dom    *domain.Service
	store  *models.Store
	cfg    config.Config
	log    *slog.Logger
	tmpl   map[string]*template.Template
	bundle *i18n.Bundle
	mux    *http.ServeMux
	csrf   *http.CrossOriginProtection

	agendaPages pageCache // the agenda page for anonymous visitors (agenda.go)
}

// New parses the embedded templates and message files (a broken one is an error) and builds the
// pages.
func New(o Options) (*Pages, error) {
	return newPages(o, templateFS, localeFS)
}

// newPages builds the pages from the given templates and message files.
func newPages(o Options, templates, locales fs.FS) (*Pages, error) {
	if o.Domain == nil {
		o.Domain = domain.New(domain.Options{Store: o.Store, Config: o.Config})
	}
	p := &Pages{dom: o.Domain, store: o.Store, cfg: o.Config, log: o.Logger, mux: http.NewServeMux(), csrf: http.NewCrossOriginProtection()}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if p.bundle, err = loadBundle(locales); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if p.tmpl, err = parseTemplates(templates); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	p.routes()
	p.csrf.AddInsecureBypassPattern("POST /u/{token}") // RFC 8058: mail programs post from elsewhere
	p.csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := p.newView(w, r, nil)
		v.Detail = v.T("err_cross_origin")
		p.render(w, http.StatusForbidden, "error", v)
	}))
	return p, nil
}

// parseTemplates parses every page together with the layout and the shared partials.
func parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	// The layout and partials are parsed once; each page is a clone of them (sharing their parse
	// trees, which are read-only) with its own file parsed on top, so they are held once, not once
	// per page.
	shared, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := shared.Clone()
		if err == nil {
			t, err = t.ParseFS(fsys, n)
		}
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		out[base] = t
	}
	for _, must := range []string{"error", "notfound"} {
		if out[must] == nil {
			return nil, fmt.Errorf("template %s is missing", must)
		}
	}
	return out, nil
}

// routes lists every page. Pages that change something are POST forms; all of them go through
// the cross-origin protection in ServeHTTP.
func (p *Pages) routes() {
	m := p.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /{$}", p.home)
	m.HandleFunc("/", p.notFound)
	m.HandleFunc("GET /setup", p.setupForm)
	m.HandleFunc("POST /setup", p.setupSubmit)

	// Public conference pages (public.go, agenda.go).
	m.HandleFunc("GET /c/{slug}", p.conference)
	m.HandleFunc("GET /c/{slug}/participants", p.participants)
	m.HandleFunc("GET /c/{slug}/statements", p.statements)
	m.HandleFunc("GET /statements/{id}", p.statement)

	// A delegate's statement forms (statements_delegate.go).
	m.HandleFunc("POST /c/{slug}/statements", p.statementCreate)
	m.HandleFunc("POST /statements/{id}/edit", p.statementAction(formEdit, p.statementEdit))
	m.HandleFunc("POST /statements/{id}/submit", p.statementAction(formSubmit, p.statementSubmit))
	m.HandleFunc("POST /statements/{id}/cosign", p.statementAction(formCosign, p.statementCosign))
	m.HandleFunc("POST /statements/{id}/cosign/withdraw", p.statementAction(formUncosign, p.statementUncosign))
	m.HandleFunc("POST /statements/{id}/amendments", p.statementAction(formAmend, p.statementAmend))
	m.HandleFunc("POST /statements/{id}/vote", p.statementAction(formVote, p.statementVote))
	m.HandleFunc("GET /c/{slug}/agenda", p.agenda)
	m.HandleFunc("POST /c/{slug}/agenda/{id}/attend", p.agendaAttend)
	m.HandleFunc("GET /c/{slug}/sessions/{id}", p.agendaSession)
	m.HandleFunc("GET /c/{slug}/live", p.live)
	m.HandleFunc("POST /c/{slug}/live/{action}", p.liveSpeak)

	// Registration and delegate login (register.go).
	m.HandleFunc("GET /c/{slug}/register", p.registerForm)
	m.HandleFunc("POST /c/{slug}/register", p.registerSubmit)
	m.HandleFunc("GET /c/{slug}/register/sent", p.registerSent)
	m.HandleFunc("GET /c/{slug}/login", p.loginLinkForm)
	m.HandleFunc("POST /c/{slug}/login", p.loginLinkSubmit)
	m.HandleFunc("GET /c/{slug}/login/sent", p.loginLinkSent)
	m.HandleFunc("GET /confirm", p.landing(landingConfirm))
	m.HandleFunc("POST /confirm", p.landingSubmit(landingConfirm))
	m.HandleFunc("GET /login", p.landing(landingLogin))
	m.HandleFunc("POST /login", p.landingSubmit(landingLogin))
	m.HandleFunc("POST /logout", p.logout)

	// The delegate's own page (me.go).
	m.HandleFunc("GET /me", p.me)
	m.HandleFunc("POST /me", p.meUpdate)
	m.HandleFunc("GET /me/export", p.meExport)
	m.HandleFunc("GET /me/delete", p.meDeleteForm)
	m.HandleFunc("POST /me/delete", p.meDelete)
	m.HandleFunc("POST /me/sessions/{id}/leave", p.meLeaveSession)
	m.HandleFunc("POST /me/feed", p.meFeed)
	m.HandleFunc("GET /me/badge.pdf", p.meBadgePDF)
	m.HandleFunc("POST /me/presence", p.mePresence)
	m.HandleFunc("POST /me/ballots/{id}/vote", p.meVote)

	// One-click unsubscribe from announcements (RFC 8058; unsubscribe.go).
	m.HandleFunc("GET /u/{token}", p.unsubscribeForm)
	m.HandleFunc("POST /u/{token}", p.unsubscribe)

	// Organiser console (staff*.go).
	m.HandleFunc("GET /staff/login", p.staffLoginForm)
	m.HandleFunc("POST /staff/login", p.staffLogin)
	m.HandleFunc("GET /staff", p.staffHome)
	m.HandleFunc("GET /staff/totp", p.staffTOTP)
	m.HandleFunc("POST /staff/totp", p.staffTOTPStart)
	m.HandleFunc("POST /staff/totp/confirm", p.staffTOTPConfirm)
	m.HandleFunc("POST /staff/totp/require", p.staffTOTPRequire)
	m.HandleFunc("GET /staff/c/{slug}", p.staffConference)
	m.HandleFunc("GET /staff/c/{slug}/registrations", p.staffRegistrations)
	m.HandleFunc("POST /staff/c/{slug}/registrations/{id}/decision", p.staffDecide)
	m.HandleFunc("GET /staff/c/{slug}/agenda", p.staffAgenda)
	m.HandleFunc("POST /staff/c/{slug}/sessions", p.staffSessionCreate)
	m.HandleFunc("GET /staff/c/{slug}/sessions/{id}", p.staffSessionEdit)
	m.HandleFunc("POST /staff/c/{slug}/sessions/{id}", p.staffSessionUpdate)
	m.HandleFunc("POST /staff/c/{slug}/sessions/{id}/delete", p.staffSessionDelete)
	m.HandleFunc("POST /staff/c/{slug}/releases", p.staffRelease)
	m.HandleFunc("GET /staff/c/{slug}/statements", p.staffStatements)
	m.HandleFunc("POST /staff/c/{slug}/statements/{id}/decision", p.staffStatementDecide)
	m.HandleFunc("GET /staff/c/{slug}/announcements", p.staffAnnouncementForm)
	m.HandleFunc("POST /staff/c/{slug}/announcements", p.staffAnnouncementSend)
	m.HandleFunc("GET /staff/c/{slug}/outbox", p.staffOutbox)
	m.HandleFunc("POST /staff/c/{slug}/outbox/{id}/retry", p.staffOutboxRetry)

	// Console parity with the staff API (console*.go): organisations, registrants, export, rooms,
	// settings, statement review, accounts, audit log, API tokens.
	m.HandleFunc("GET /staff/c/{slug}/organisations", p.staffOrganisations)
	m.HandleFunc("POST /staff/c/{slug}/organisations", p.staffAction(true, backTo("organisations"), p.staffOrganisationCreate))
	m.HandleFunc("POST /staff/c/{slug}/organisations/{id}", p.staffAction(true, backTo("organisations"), p.staffOrganisationUpdate))
	m.HandleFunc("GET /staff/c/{slug}/registrations/{id}", p.staffRegistrant)
	m.HandleFunc("GET /staff/c/{slug}/delegates.csv", p.staffExportCSV)
	m.HandleFunc("GET /staff/c/{slug}/rooms", p.staffRooms)
	m.HandleFunc("POST /staff/c/{slug}/rooms", p.staffAction(true, backTo("rooms"), p.staffRoomCreate))
	m.HandleFunc("POST /staff/c/{slug}/rooms/{id}", p.staffAction(true, backTo("rooms"), p.staffRoomUpdate))
	m.HandleFunc("POST /staff/c/{slug}/rooms/{id}/delete", p.staffAction(true, backTo("rooms"), p.staffRoomDelete))
	m.HandleFunc("GET /staff/c/{slug}/settings", p.staffSettings)
	m.HandleFunc("POST /staff/c/{slug}/settings", p.staffSettingsSave)
	m.HandleFunc("POST /staff/conferences", p.staffAction(false, staffBack("/staff"), p.staffConferenceCreate))
	m.HandleFunc("GET /staff/c/{slug}/statements/{id}", p.staffStatementReview)
	m.HandleFunc("POST /staff/c/{slug}/statements/{id}/amendments", p.staffAction(true, backToStatement, p.staffAmendmentDecide))
	m.HandleFunc("POST /staff/c/{slug}/statements/{id}/comments", p.staffAction(true, backToStatement, p.staffComment))
	m.HandleFunc("POST /staff/c/{slug}/statements/{id}/translations", p.staffAction(true, backToStatement, p.staffTranslation))
	m.HandleFunc("POST /staff/c/{slug}/statements/{id}/ballot", p.staffAction(true, backToStatement, p.staffBallotOpen))
	m.HandleFunc("POST /staff/c/{slug}/statements/{id}/ballot/close", p.staffAction(true, backToStatement, p.staffBallotClose))
	m.HandleFunc("GET /staff/accounts", p.staffAccounts)
	m.HandleFunc("POST /staff/accounts", p.staffAction(false, staffBack("/staff/accounts"), p.staffAccountCreate))
	m.HandleFunc("POST /staff/accounts/{id}/roles", p.staffAction(false, staffBack("/staff/accounts"), p.staffAccountRoles))
	m.HandleFunc("GET /staff/audit", p.staffAudit)
	m.HandleFunc("GET /staff/tokens", p.staffTokens)
	m.HandleFunc("POST /staff/tokens", p.staffTokenCreate)
	m.HandleFunc("POST /staff/tokens/{id}/revoke", p.staffAction(false, staffBack("/staff/tokens"), p.staffTokenRevoke))

	// The plenary: delegations, check-in, presence and ballots (plenary*.go).
	m.HandleFunc("GET /staff/c/{slug}/plenary", p.staffPlenary)
	m.HandleFunc("POST /staff/c/{slug}/checkins", p.staffCheckin)
	m.HandleFunc("POST /staff/c/{slug}/ballots", p.staffBallotCreate)
	m.HandleFunc("POST /staff/c/{slug}/ballots/{id}/close", p.staffPlenaryBallotClose)
	m.HandleFunc("GET /staff/c/{slug}/delegations", p.staffDelegations)
	m.HandleFunc("POST /staff/c/{slug}/delegations/{id}", p.staffDelegationSave)

	// The plenary II: the chair's console (live.go).
	m.HandleFunc("GET /staff/c/{slug}/sessions/{id}/chair", p.staffChair)
	m.HandleFunc("POST /staff/c/{slug}/sessions/{id}/items", p.staffItemCreate)
	m.HandleFunc("POST /staff/c/{slug}/items/{id}", p.staffItemUpdate)
	m.HandleFunc("POST /staff/c/{slug}/items/{id}/chair/{action}", p.staffChairAction)
}

// Route returns the pattern of the page that serves r ("GET /c/{slug}"), or "" when none does,
// so that the access log names pages by route rather than by path.
func (p *Pages) Route(r *http.Request) string {
	_, pattern := p.mux.Handler(r)
	return pattern
}

// ServeHTTP serves the pages behind cross-origin (CSRF) protection.
func (p *Pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.csrf.Handler(p.mux).ServeHTTP(w, r)
}
