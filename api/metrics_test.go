package api

import (
	"regexp"
	"strings"
	"testing"
)

// TestMetrics: after a registration, its mail's delivery and a few reads, /metrics shows HTTP
// requests by route pattern and status, the registration, the delivery and its latency, and the
// outbox by state, under zimmerwald_ names, with no personal data or client address.
func TestMetrics(t *testing.T) {
	e := sqliteEnv(t)
	c := e.conference()
	o := e.organisation(c, "Union", true, 0)
	e.do("POST", "/api/v1/conferences/"+c.Slug+"/delegates", "", regBody("maria.k@example.org", "Maria Kowalska", o)).want(t, 202)
	e.deliver()
	e.do("GET", "/api/v1/conferences/"+c.Slug, "", nil).want(t, 200)
	r := e.do("GET", "/metrics", "", nil).want(t, 200)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q", ct)
	}
	body := string(r.Body)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^zimmerwald_http_requests_total\{method="GET",route="/api/v1/conferences/:slug",status="200"\} [1-9]`),
		regexp.MustCompile(`(?m)^zimmerwald_http_requests_total\{method="POST",route="/api/v1/conferences/:slug/delegates",status="202"\} [1-9]`),
		regexp.MustCompile(`(?m)^zimmerwald_http_request_duration_seconds_count\{route="/api/v1/conferences/:slug"\} [1-9]`),
		regexp.MustCompile(`(?m)^zimmerwald_registrations_total\{outcome="accepted"\} [1-9]`),
		regexp.MustCompile(`(?m)^zimmerwald_mail_attempts_total\{outcome="sent"\} [1-9]`),
		regexp.MustCompile(`(?m)^zimmerwald_mail_delivery_seconds_count [1-9]`),
		regexp.MustCompile(`(?m)^zimmerwald_mail_outbox_messages\{state="sent"\} [1-9]`),
	} {
		if !want.MatchString(body) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, secret := range []string{"maria", "Kowalska", "example.org", c.Slug, "192.0.2.10", o.ID} {
		if strings.Contains(body, secret) {
			t.Errorf("metrics contain %q", secret)
		}
	}
	name := regexp.MustCompile(`(?m)^([a-z_:]+)[{ ]`)
	for _, m := range name.FindAllStringSubmatch(body, -1) {
		if n := m[1]; !strings.HasPrefix(n, "zimmerwald_") && !strings.HasPrefix(n, "go_") && !strings.HasPrefix(n, "process_") {
			t.Errorf("metric %s is not prefixed zimmerwald_", n)
		}
	}
}
