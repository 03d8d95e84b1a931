package web

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/password"
	"github.com/zimmerwald/zimmerwald/models"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options are the pages' dependencies.
type Options struct {
	Store  *models.Store
	Config config.Config
	Logger *slog.Logger
}

// Pages is the web front's handler.
type Pages struct {
	store *models.Store
	cfg   config.Config
	log   *slog.Logger
	tmpl  map[string]*template.Template
	mux   *http.ServeMux
	csrf  *http.CrossOriginProtection
}

// New parses the embedded templates (a broken one is an error) and builds the pages.
func New(o Options) (*Pages, error) {
	p := &Pages{store: o.Store, cfg: o.Config, log: o.Logger, tmpl: map[string]*template.Template{}, mux: http.NewServeMux(), csrf: http.NewCrossOriginProtection()}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if strings.HasSuffix(n, "layout.html") {
			continue
		}
		t, err := template.New("layout.html").ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		p.tmpl[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
	}
	static, _ := fs.Sub(staticFS, "static")
	p.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	p.mux.HandleFunc("GET /{$}", p.home)
	p.mux.HandleFunc("GET /c/{slug}", p.conference)
	p.mux.HandleFunc("GET /setup", p.setupForm)
	p.mux.HandleFunc("POST /setup", p.setupSubmit)
	return p, nil
}

// ServeHTTP serves the pages behind cross-origin (CSRF) protection.
func (p *Pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.csrf.Handler(p.mux).ServeHTTP(w, r)
}

func (p *Pages) render(w http.ResponseWriter, status int, name string, data any) {
	t, ok := p.tmpl[name]
	if !ok {
		http.Error(w, "page not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := t.Execute(w, data); err != nil {
		p.log.Error("render page", "page", name, "err", err)
	}
}

type homeData struct {
	Conferences []models.Conference
}

func (p *Pages) home(w http.ResponseWriter, r *http.Request) {
	cs, err := p.store.ListConferences(r.Context())
	if err != nil {
		p.log.Error("home", "err", err)
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	p.render(w, http.StatusOK, "home", homeData{Conferences: cs})
}

type conferenceData struct {
	Conference    *models.Conference
	Organisations []models.Organisation
}

func (p *Pages) conference(w http.ResponseWriter, r *http.Request) {
	c, err := p.store.ConferenceBySlug(r.Context(), r.PathValue("slug"))
	if errors.Is(err, models.ErrNotFound) {
		p.render(w, http.StatusNotFound, "notfound", nil)
		return
	}
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	orgs, err := p.store.ListOrganisations(r.Context(), models.OrganisationFilter{ConferenceID: c.ID, PublicOnly: true})
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	p.render(w, http.StatusOK, "conference", conferenceData{Conference: c, Organisations: orgs})
}

type setupData struct {
	Token, Email, Error string
	Done                bool
}

func (p *Pages) setupForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, http.StatusOK, "setup", setupData{Token: r.URL.Query().Get("token")})
}

// setupSubmit creates the first admin with the one-time setup token printed at first start.
func (p *Pages) setupSubmit(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		p.render(w, http.StatusBadRequest, "setup", setupData{Error: "The form could not be read."})
		return
	}
	d := setupData{Token: r.PostFormValue("token"), Email: strings.TrimSpace(r.PostFormValue("email"))}
	pw := r.PostFormValue("password")
	switch {
	case !strings.Contains(d.Email, "@") || strings.ContainsAny(d.Email, "\r\n <>"):
		d.Error = "Enter one email address."
	case len(pw) < password.MinLength || len(pw) > password.MaxLength:
		d.Error = "The password must have between 12 and 256 characters."
	}
	if d.Error != "" {
		p.render(w, http.StatusUnprocessableEntity, "setup", d)
		return
	}
	hash, err := password.Hash(pw)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	ctx := r.Context()
	err = p.store.Tx(ctx, func(tx *models.Store) error {
		if n, err := tx.CountAccounts(ctx); err != nil || n > 0 {
			return errors.Join(err, models.ErrNotFound)
		}
		if _, err := tx.UseToken(ctx, d.Token, models.TokenSetup); err != nil {
			return err
		}
		return tx.CreateAccount(ctx, &models.Account{Email: d.Email, PasswordHash: hash, Role: models.StaffAdmin, CanExport: true})
	})
	if errors.Is(err, models.ErrNotFound) {
		p.render(w, http.StatusForbidden, "setup", setupData{Error: "This setup link is invalid, used or expired."})
		return
	}
	if err != nil {
		p.log.Error("setup", "err", err)
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	p.render(w, http.StatusOK, "setup", setupData{Done: true})
}
