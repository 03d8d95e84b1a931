// Package markdown renders the Markdown that delegates write (position statements, amendments,
// translations) into HTML that is safe to embed in a page: goldmark parses it without raw HTML,
// and bluemonday's user-generated-content policy cleans the result, keeping only http(s), mailto
// and relative links, each with rel="nofollow noopener". Images become plain links, so that a
// statement never makes a reader's browser fetch from a third party.
//
// It imports nothing of ours.
package markdown
