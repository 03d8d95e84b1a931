// Package web serves the server-rendered pages of Zimmerwald: conference home, registration,
// the links mailed to delegates, the delegate's own page, the agenda in the reader's time zone,
// participants, statements and the organiser console, in every language of web/locales
// (go-i18n message files; the language comes from ?lang=, the lang cookie, Accept-Language, then
// the conference). Templates (html/template) and static files are embedded; there is no build
// step and every form works without JavaScript (static/site.js only enhances).
//
// The pages are the second skin over the rules layer (internal/domain), beside the JSON API: a
// handler binds the form, calls the domain operation with the visitor as actor (the account or
// delegate of the zw_session cookie), and renders the result or the error, translated by its
// stable code (locales/codes.*.toml). Neither skin calls the other, and no business rule lives
// here. Every route is listed in Pages.routes. Every POST goes through
// http.CrossOriginProtection.
//
// It imports internal/domain, models, internal/ packages and its own files; never api, mail or cmd.
package web
