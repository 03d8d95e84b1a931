// Package metrics holds Zimmerwald's Prometheus metrics (github.com/prometheus/client_golang) and
// serves them at GET /metrics. Every name starts with zimmerwald_. No metric carries personal
// data or client addresses: HTTP requests are labelled by route pattern and status only, mail by
// outcome and outbox state, registrations by outcome. It imports nothing of ours.
//
// Other parts of the product add their own metrics with NewGauge, NewCounter or Register.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Prefix starts every metric name.
const Prefix = "zimmerwald_"

// Registry is the registry /metrics serves: the metrics below, Go's runtime and the process.
var Registry = prometheus.NewRegistry()

// The product's own metrics.
var (
	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: Prefix + "http_requests_total", Help: "HTTP requests answered, by method, route pattern and status.",
	}, []string{"method", "route", "status"})
	httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: Prefix + "http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"route"})
	registrations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: Prefix + "registrations_total", Help: "Public registrations, by outcome (accepted, rejected).",
	}, []string{"outcome"})
	mailAttempts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: Prefix + "mail_attempts_total", Help: "Mail delivery attempts, by outcome (sent, retry, dead).",
	}, []string{"outcome"})
	mailLatency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: Prefix + "mail_delivery_seconds", Help: "Time from a mail's enqueueing to its delivery.",
		Buckets: []float64{.1, .5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600},
	})
)

func init() {
	Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		httpRequests, httpDuration, registrations, mailAttempts, mailLatency, outbox)
}

// Handler serves the registry in the Prometheus text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{})
}

// ObserveHTTP counts one answered request. route is the route pattern ("(unmatched)" for none).
func ObserveHTTP(method, route string, status int, took time.Duration) {
	httpRequests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	httpDuration.WithLabelValues(route).Observe(took.Seconds())
}

// Registration counts one public registration attempt; accepted is whether it was taken.
func Registration(accepted bool) {
	outcome := "rejected"
	if accepted {
		outcome = "accepted"
	}
	registrations.WithLabelValues(outcome).Inc()
}

// MailAttempt counts one delivery attempt (outcome sent, retry or dead) and, for a sent mail
// whose enqueueing time is known, the time it took to deliver.
func MailAttempt(outcome string, enqueued, now time.Time) {
	mailAttempts.WithLabelValues(outcome).Inc()
	if outcome == "sent" && !enqueued.IsZero() {
		mailLatency.Observe(now.Sub(enqueued).Seconds())
	}
}

// NewGauge registers and returns a gauge called Prefix+name, or the one registered under that
// name before (so that several servers in one process share it).
func NewGauge(name, help string) prometheus.Gauge {
	return Register(prometheus.NewGauge(prometheus.GaugeOpts{Name: Prefix + name, Help: help}))
}

// NewCounter registers and returns a counter called Prefix+name, or the one registered before.
func NewCounter(name, help string) prometheus.Counter {
	return Register(prometheus.NewCounter(prometheus.CounterOpts{Name: Prefix + name, Help: help}))
}

// Register adds c to the registry and returns it, or returns the collector registered before
// with the same description. It panics on a name that is registered with another shape.
func Register[C prometheus.Collector](c C) C {
	if err := Registry.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}

// outbox reports the mail outbox by state at each scrape, from the function SetOutboxSource gave.
var outbox = &outboxCollector{desc: prometheus.NewDesc(Prefix+"mail_outbox_messages", "Messages in the mail outbox, by state.", []string{"state"}, nil)}

type outboxCollector struct {
	desc *prometheus.Desc
	mu   sync.Mutex
	src  func(context.Context) (map[string]int64, error)
}

// SetOutboxSource sets the function that counts the outbox by state (the server's store).
func SetOutboxSource(src func(context.Context) (map[string]int64, error)) {
	outbox.mu.Lock()
	defer outbox.mu.Unlock()
	outbox.src = src
}

func (o *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- o.desc }

func (o *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	o.mu.Lock()
	src := o.src
	o.mu.Unlock()
	if src == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := src(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(o.desc, err)
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(o.desc, prometheus.GaugeValue, float64(n), state)
	}
}
