package api

import "github.com/zimmerwald/zimmerwald/internal/domain"

// The tests of this package were written when these helpers lived here.
var (
	maskEmail     = domain.MaskEmail
	mailTemplates = domain.MailTemplates
	headerUnsafe  = domain.HeaderUnsafe
)
