// Package models owns Zimmerwald's data: the GORM structs, the Store with its queries and
// transactions, and the domain rules that need no HTTP (state machines, agenda conflicts).
//
// It imports nothing of ours but internal/ packages; it never imports Gin, api, web or mail.
package models
