// Package api is Zimmerwald's HTTP layer: the Gin router, handlers as methods on Server, request and
// response types, the one error path (RFC 9457 problem details), middleware and the OpenAPI document.
//
// It imports models, mail and internal/ packages; never cmd. Handlers never send mail: they write
// outbox rows in their transaction.
package api
