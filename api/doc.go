// Package api is Zimmerwald's HTTP layer: the Gin router, handlers as methods on Server, request and
// response types, the one error path (RFC 9457 problem details), middleware and the OpenAPI document.
//
// Handlers bind JSON, call the rules layer (internal/domain) with the caller as actor, and render
// the answer; the domain writes the audit events and the outbox mail in the transaction of each
// change. Handlers never send mail.
//
// It imports internal/domain, models, mail and internal/ packages; never web or cmd.
package api
