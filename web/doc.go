// Package web serves the server-rendered pages (html/template and embedded static files, no build
// step): conference home, first-admin setup and, as features land, registration, agenda,
// statements and the organiser console. Forms work without JavaScript.
//
// It imports models and internal/ packages; never api or cmd.
package web
