// Package live fans the live view of a conference out to the clients of its event stream: one
// Broadcaster per process, fed after commits, rendering each change once and handing it to every
// subscriber through a small bounded buffer. A subscriber that falls behind is dropped (it may
// resume with Last-Event-ID); subscriptions are limited per client. Open and dropped streams are counted in GET /metrics.
// It imports only internal/metrics of ours.
package live
