package domain

import (
	"context"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/live"
	"github.com/zimmerwald/zimmerwald/internal/ratelimit"
	"github.com/zimmerwald/zimmerwald/models"
)

// Options are the Service's dependencies, built by cmd/zimmerwald.
type Options struct {
	Store  *models.Store
	Config config.Config
	// NotifyMail wakes the outbox worker after a commit that enqueued mail (may be nil).
	NotifyMail func()
	// ReadFreshness is how long a conference, once read, is served from memory (zero: always
	// read). Changes made through this process are seen at once.
	ReadFreshness time.Duration
	// Live is the process's live broadcaster (nil: the Service makes one).
	Live *live.Broadcaster
	// LoginPause waits before a login attempt beyond its account's limit (nil: a real timer of
	// loginSlowdown); tests pass one that records the pause.
	LoginPause func(ctx context.Context, d time.Duration) error
}

// Service runs the operations of the conference. It is safe for concurrent use.
type Service struct {
	store  *models.Store
	cfg    config.Config
	notify func()

	conferences   *conferenceCache   // conferences by slug, for ReadFreshness
	organisations *organisationCache // organisations named by registrations, for ReadFreshness
	agendas       *agendaCache       // the latest agenda release of each conference
	ballots       *ballotCache       // the open ballots, for votes
	publicLimiter *ratelimit.Limiter // public POSTs (registration, sign-in links) per client
	loginLimiter  *ratelimit.Limiter // staff logins per client (refused beyond)
	// accountLimiter counts staff logins per account (slowed down beyond, never refused).
	accountLimiter *ratelimit.Limiter
	pause          func(ctx context.Context, d time.Duration) error
	slowdown       time.Duration
	live           *live.Broadcaster  // the live views' streams, fed after commits
	checkinLimiter *ratelimit.Limiter // check-ins by code, per staff client
}

// New builds the Service.
func New(o Options) *Service {
	if o.NotifyMail == nil {
		o.NotifyMail = func() {}
	}
	if o.Live == nil {
		o.Live = live.New(live.Options{PerClient: o.Config.LiveStreamsPerClient})
	}
	if o.LoginPause == nil {
		o.LoginPause = sleep
	}
	keys := o.Config.RateLimitMaxKeys
	if keys <= 0 {
		keys = ratelimit.DefaultMaxKeys
	}
	// The limiters count on the store's clock, so a test's fake clock decides when buckets refill.
	limiter := func(perMinute float64, burst int) *ratelimit.Limiter {
		l := ratelimit.NewWithCapacity(perMinute, burst, keys)
		if o.Store != nil {
			l.WithClock(o.Store.Now)
		}
		return l
	}
	return &Service{live: o.Live,
		store: o.Store, cfg: o.Config, notify: o.NotifyMail,
		conferences:    newConferenceCache(o.ReadFreshness),
		organisations:  newFreshCache[models.Organisation](o.ReadFreshness),
		agendas:        newAgendaCache(o.ReadFreshness),
		ballots:        newBallotCache(),
		publicLimiter:  limiter(o.Config.RegistrationRatePerMin, o.Config.RegistrationRateBurst),
		loginLimiter:   limiter(10, 5),
		accountLimiter: limiter(10, 5),
		pause:          o.LoginPause,
		slowdown:       loginSlowdown,
		// A desk checks in at most a few people a minute; a guesser needs billions of tries.
		checkinLimiter: limiter(60, 20),
	}
}

// Store is the store the Service works on, for plain reads that need no rule.
func (s *Service) Store() *models.Store { return s.store }

// Config is the configuration the Service was built with.
func (s *Service) Config() config.Config { return s.cfg }

// Now is the Service's clock (the store's, which tests may set).
func (s *Service) Now() time.Time { return s.store.Now() }

// link returns an absolute URL of the product for a path, for mails.
func (s *Service) link(path string) string { return s.cfg.BaseURL + path }

// change runs fn in one transaction and wakes the mail worker after it commits: the shape of
// every operation that writes.
func (s *Service) change(ctx context.Context, fn func(tx *models.Store) error) error {
	if err := s.store.Tx(ctx, fn); err != nil {
		return err
	}
	s.notify()
	return nil
}

// AllowPublic reports whether the client (an opaque key, never logged or stored) may make one
// more public request such as a registration or a sign-in link.
func (s *Service) AllowPublic(client string) bool { return s.publicLimiter.Allow(client) }

// Conference returns the conference with slug, from memory when read within ReadFreshness.
func (s *Service) Conference(ctx context.Context, slug string) (*models.Conference, error) {
	if conf, ok := s.conferences.get(slug); ok {
		return conf, nil
	}
	conf, err := s.store.ConferenceBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	s.conferences.put(conf.Slug, conf)
	return conf, nil
}

// ForgetConferences drops the conferences held in memory, after a change to one of them.
func (s *Service) ForgetConferences() { s.conferences.forget() }

// registrationOrganisation returns the organisation id of conference confID that a registration
// names, from memory when read within ReadFreshness (only organisations found are kept, so a new
// one is seen at once; a status change made elsewhere is seen within ReadFreshness).
func (s *Service) registrationOrganisation(ctx context.Context, confID, id string) (*models.Organisation, error) {
	key := confID + "/" + id
	if o, ok := s.organisations.get(key); ok {
		return o, nil
	}
	o, err := s.store.Organisation(ctx, confID, id)
	if err != nil {
		return nil, err
	}
	s.organisations.put(key, o)
	return o, nil
}
