// Package web serves the server-rendered pages of Zimmerwald: conference home, registration,
// the links mailed to delegates, the delegate's own page, the agenda in the reader's time zone,
// participants, statements and the organiser console, in every language of web/locales
// (go-i18n message files; the language comes from ?lang=, the lang cookie, Accept-Language, then
// the conference). Templates (html/template) and static files are embedded; there is no build
// step and every form works without JavaScript (static/site.js only enhances).
//
// The pages are a client of the JSON API, in process: a handler turns a form into the API's
// request body, calls the API handler set with SetAPI (with the bearer token of the zw_session
// cookie), and renders the answer, showing problem-details field errors next to the fields. No
// business rule lives here. The exceptions are cheap reads of the store and the first-admin
// setup page, which has no API. Every POST goes through http.CrossOriginProtection.
//
// It imports models, internal/ packages and its own files; never api, mail or cmd.
package web
