package metrics

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestNewGaugeSharedAndServed: a gauge registered twice under one name is the same gauge, and it
// is served with the prefix.
func TestNewGaugeSharedAndServed(t *testing.T) {
	a := NewGauge("test_stream_clients", "Clients on the live stream.")
	b := NewGauge("test_stream_clients", "Clients on the live stream.")
	a.Set(3)
	b.Inc()
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(w.Body.String(), "\nzimmerwald_test_stream_clients 4\n") {
		t.Errorf("gauge not served as one: %s", w.Body.String())
	}
}
