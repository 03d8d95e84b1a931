// Package outbox owns turning the store's outbox rows into mail jobs: Queue implements the mail
// worker's mail.Queue on a models.Store. It leases due rows and converts them to jobs with a
// Message-ID derived from the row, fills announcement jobs with the subject and body of their
// announcement, and records the outcomes reported by the worker's concurrent senders in one
// transaction per batch (internal/batch). Its clock is injectable (Options.Now).
//
// It imports models, mail and internal/ packages only: never api, web or cmd, and never Gin.
// Only cmd/zimmerwald (and tests and bench) build a Queue; models and mail never import it.
package outbox
