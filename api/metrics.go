package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/internal/metrics"
	"github.com/zimmerwald/zimmerwald/models"
)

// metrics serves the Prometheus metrics (internal/metrics): counts by route, status, outcome and
// state, never personal data or client addresses.
func (s *Server) metrics(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	metrics.Handler().ServeHTTP(c.Writer, c.Request)
	return nil
}

// outboxByState counts the whole outbox by state for the metrics.
func outboxByState(st *models.Store) func(context.Context) (map[string]int64, error) {
	return func(ctx context.Context) (map[string]int64, error) {
		counts, err := st.OutboxCounts(ctx, "")
		if err != nil {
			return nil, err
		}
		out := make(map[string]int64, len(counts))
		for state, n := range counts {
			out[string(state)] = n
		}
		return out, nil
	}
}
