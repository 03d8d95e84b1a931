package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/zimmerwald/zimmerwald/api"
	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/domain"
	"github.com/zimmerwald/zimmerwald/internal/seal"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/web"
)

// instance is the real server on a fresh SQLite database, listening on loopback.
type instance struct {
	dir   string
	drop  func() // drops the PostgreSQL schema (nil on SQLite)
	store *models.Store
	srv   *http.Server
	base  string
	conf  *models.Conference
	org   *models.Organisation
	cfg   config.Config
	dom   *domain.Service
}

// startServer migrates a fresh database in a temp dir, creates an open conference and serves the
// real router on 127.0.0.1, with the web pages wired in as cmd/zimmerwald wires them.
func startServer() (*instance, error) {
	dir, err := os.MkdirTemp("", "zw-bench")
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	box, _ := seal.New(seal.NewKey())
	opts := models.Options{SQLitePath: filepath.Join(dir, "zimmerwald.db")}
	var drop func()
	if postgresURL != "" {
		if opts.DatabaseURL, drop, err = freshSchema(postgresURL); err != nil {
			return nil, err
		}
	}
	st, err := models.Open(ctx, opts, box)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		return nil, err
	}
	cfg, err := config.FromEnv(func(k string) (string, bool) {
		if v, ok := serverEnv[k]; ok {
			return v, true
		}
		switch k {
		case "ZW_DATA_DIR":
			return dir, true
		case "ZW_PUBLIC_RATE_PER_MIN":
			return "100000000", true
		case "ZW_PUBLIC_RATE_BURST":
			return "100000000", true
		case "ZW_LIVE_STREAMS_PER_CLIENT": // every bench client comes from 127.0.0.1
			return "100000", true
		case "ZW_TRUSTED_PROXIES": // the limiter figure names its clients in X-Forwarded-For
			return "127.0.0.1", true
		}
		return "", false
	})
	if err != nil {
		return nil, err
	}
	conf, org, err := seedConference(ctx, st)
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// One rules layer for both skins, as cmd/zimmerwald wires it.
	dom := domain.New(domain.Options{Store: st, Config: cfg, ReadFreshness: time.Second})
	pages, err := web.New(web.Options{Domain: dom, Store: st, Config: cfg, Logger: log})
	if err != nil {
		return nil, err
	}
	srv := api.NewServer(api.Options{Domain: dom, Store: st, Config: cfg, Logger: log, Web: pages, ReadFreshness: time.Second})
	base, hs, err := listen(srv.Handler())
	if err != nil {
		return nil, err
	}
	return &instance{dir: dir, drop: drop, store: st, srv: hs, base: base, conf: conf, org: org, cfg: cfg, dom: dom}, nil
}

// serverEnv overrides the configuration startServer gives the next servers, for one figure.
var serverEnv map[string]string

// listen serves h on a free loopback port.
func listen(h http.Handler) (string, *http.Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(l)
	return "http://" + l.Addr().String(), hs, nil
}

func (in *instance) close() {
	in.srv.Close()
	in.store.Close()
	if in.drop != nil {
		in.drop()
	}
	os.RemoveAll(in.dir)
}

func (in *instance) url(path string) string { return in.base + path }

// seedConference creates the open conference "bench" with one verified organisation.
func seedConference(ctx context.Context, st *models.Store) (*models.Conference, *models.Organisation, error) {
	opens, closes := time.Now().Add(-time.Hour).UTC(), time.Now().Add(30*24*time.Hour).UTC()
	conf := &models.Conference{Slug: "bench", Title: "Bench Conference", Timezone: "Europe/Zurich",
		StartsOn: time.Date(2027, 9, 5, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 9, 8, 0, 0, 0, 0, time.UTC),
		Languages: models.StringList{"en", "ru", "uk", "de", "fr"}, RegistrationOpensAt: &opens, RegistrationClosesAt: &closes, QuotaPolicy: models.QuotaNone}
	if err := st.CreateConference(ctx, conf); err != nil {
		return nil, nil, err
	}
	org := &models.Organisation{ConferenceID: conf.ID, Name: "Bench Union", Kind: models.OrgUnion, Status: models.OrgVerified, Listed: true}
	if err := st.CreateOrganisation(ctx, org); err != nil {
		return nil, nil, err
	}
	return conf, org, nil
}
