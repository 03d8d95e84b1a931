// Package ical writes iCalendar (RFC 5545) documents: content lines ending in CRLF, folded at 75
// octets without splitting a UTF-8 character, TEXT values escaped, and VTIMEZONE components built
// from Go's time zone database. It only writes; it imports nothing of ours.
package ical
