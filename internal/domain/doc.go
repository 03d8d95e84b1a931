// Package domain is Zimmerwald's rules layer: every operation that changes something (register,
// decide a delegate, publish a release, cast a vote…) and every read that depends on who asks is
// one method of Service. Each takes typed input and an Actor, loads, checks the rule, mutates,
// writes the audit event and the outbox mail in one transaction, and returns the result or an
// error that models.Classify turns into a stable code (*models.Error).
//
// The JSON API (api/) and the pages (web/) are two skins over it: they bind input, call it and
// render; neither calls the other. It knows nothing of HTTP.
//
// It imports models, mail (template names and data structs only) and internal/ packages; never
// api, web, cmd or Gin.
package domain
