// Package mail owns everything about outgoing email: the Message type and
// its header-safe composition, the Sender implementations (SMTP through
// github.com/go-mail/mail/v2 with connection reuse, and a file sink writing
// .eml files for development), the embedded templates with one typed data
// struct per template, and the outbox Worker that claims queued jobs, renders
// and sends them, and retries or dead-letters failures.
//
// Privacy rules enforced here: one recipient per message, no CR or LF in any
// header value, neutral subjects, no remote content in HTML, and no address,
// subject or body in logs or in stored failure reasons.
//
// Package mail must not import any other package of this module except
// internal/... ones: never models, api, web or cmd, and never Gin or GORM.
// The outbox table is reached only through the Queue interface, which
// internal/outbox implements on the models Store.
package mail
