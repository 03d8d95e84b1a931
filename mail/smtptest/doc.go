// Package smtptest runs an in-process SMTP server (github.com/emersion/go-smtp)
// on 127.0.0.1 for tests, records what it receives and can inject failures.
//
// It owns no production code and must not import any other package of this
// module, so that every package's tests can use it.
package smtptest
