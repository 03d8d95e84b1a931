// Package models owns Zimmerwald's data: the GORM structs, the Store with its queries and
// transactions, and the domain rules that need no HTTP (state machines, agenda conflicts).
//
// Of our packages it imports only migrations (the embedded schema it applies) and internal/
// packages; it never imports Gin, api, web or mail. TestModelsImports checks this.
package models
