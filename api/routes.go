package api

import "github.com/zimmerwald/zimmerwald/internal/domain"

// routes lists every route of the product, so the API can be read in one screen. Access rules are
// the middleware in each line: public (no auth), s.staff(...) roles, s.delegate, s.anyone.
func (s *Server) routes() {
	e := s.engine
	e.GET("/healthz", s.h(s.healthz))
	e.GET("/readyz", s.h(s.readyz))
	e.GET("/api/openapi.yaml", s.h(s.openAPI))
	e.GET("/metrics", s.h(s.metrics))

	v1 := e.Group("/api/v1", s.authenticate)

	// Staff authentication and accounts.
	v1.POST("/auth/login", s.h(s.login))
	v1.POST("/auth/logout", s.anyone, s.h(s.logout))
	v1.GET("/accounts", s.staff(adminOnly...), s.h(s.listAccounts))
	v1.POST("/accounts", s.staff(adminOnly...), s.h(s.createAccount))
	v1.PUT("/accounts/:id/roles", s.staff(adminOnly...), s.h(s.setAccountRoles))
	v1.GET("/audit", s.staff(adminOnly...), s.h(s.listAudit))
	v1.GET("/tokens", s.staff(staffAll...), s.h(s.listAPITokens))
	v1.POST("/tokens", s.staff(staffAll...), s.h(s.createAPIToken))
	v1.DELETE("/tokens/:id", s.staff(staffAll...), s.h(s.revokeAPIToken))
	v1.POST("/auth/totp", s.staffAccount, s.h(s.startTOTP))
	v1.POST("/auth/totp/confirm", s.staffAccount, s.h(s.confirmTOTP))
	v1.GET("/settings", s.staff(adminOnly...), s.h(s.getSettings))
	v1.PATCH("/settings", s.staff(adminOnly...), s.h(s.updateSettings))

	// Conferences and organisations.
	v1.GET("/conferences", s.h(s.listConferences))
	v1.POST("/conferences", s.staff(adminOnly...), s.h(s.createConference))
	v1.GET("/conferences/:slug", s.h(s.getConference))
	v1.PATCH("/conferences/:slug", s.staff(organisers...), s.h(s.updateConference))
	v1.GET("/conferences/:slug/organisations", s.h(s.listOrganisations))
	v1.POST("/conferences/:slug/organisations", s.staff(organisers...), s.h(s.createOrganisation))
	v1.GET("/conferences/:slug/organisations/:id", s.h(s.getOrganisation))
	v1.PATCH("/conferences/:slug/organisations/:id", s.staff(organisers...), s.h(s.updateOrganisation))

	// Registration, review and self-service (delegates.go, me.go, magiclink.go).
	v1.POST("/auth/magic-link", s.h(s.requestMagicLink))
	v1.POST("/auth/magic-link/verify", s.h(s.verifyMagicLink))
	v1.POST("/conferences/:slug/delegates", s.h(s.registerDelegate))
	v1.POST("/delegates/confirm", s.h(s.confirmDelegate))
	v1.GET("/conferences/:slug/delegates", s.staff(staffAll...), s.h(s.listDelegates))
	v1.GET("/conferences/:slug/delegates.csv", s.staff(organisers...), s.h(s.exportDelegatesCSV))
	v1.GET("/conferences/:slug/participants", s.h(s.listParticipants))
	v1.GET("/delegates/:id", s.staff(staffAll...), s.h(s.getDelegate))
	v1.POST("/delegates/:id/decision", s.staff(organisers...), s.h(s.decideDelegate))
	v1.GET("/me", s.delegate, s.h(s.getMe))
	v1.PATCH("/me", s.delegate, s.h(s.updateMe))
	v1.DELETE("/me", s.delegate, s.h(s.deleteMe))
	v1.GET("/me/export", s.delegate, s.h(s.exportMe))

	// Agenda: rooms, sessions, sign-ups, conflicts, releases, exports (rooms.go, sessions*.go,
	// attendance.go, agenda*.go, exports*.go).
	v1.GET("/conferences/:slug/rooms", s.h(s.listRooms))
	v1.POST("/conferences/:slug/rooms", s.staff(organisers...), s.h(s.createRoom))
	v1.PATCH("/rooms/:id", s.staff(organisers...), s.h(s.updateRoom))
	v1.DELETE("/rooms/:id", s.staff(organisers...), s.h(s.deleteRoom))
	v1.GET("/conferences/:slug/sessions", s.h(s.listSessions))
	v1.POST("/conferences/:slug/sessions", s.staff(organisers...), s.h(s.createSession))
	v1.GET("/sessions/:id", s.h(s.getSession))
	v1.PATCH("/sessions/:id", s.staff(organisers...), s.h(s.updateSession))
	v1.DELETE("/sessions/:id", s.staff(organisers...), s.h(s.deleteSession))
	v1.POST("/sessions/:id/attendance", s.delegate, s.h(s.attendSession))
	v1.DELETE("/sessions/:id/attendance", s.delegate, s.h(s.leaveSession))
	v1.GET("/conferences/:slug/agenda/conflicts", s.staff(organisers...), s.h(s.agendaConflicts))
	v1.GET("/conferences/:slug/agenda/releases", s.h(s.listReleases))
	v1.POST("/conferences/:slug/agenda/releases", s.staff(organisers...), s.h(s.createRelease))
	v1.GET("/conferences/:slug/agenda", s.h(s.getAgenda))
	v1.GET("/conferences/:slug/schedule.xml", s.h(s.scheduleXML))
	v1.GET("/conferences/:slug/schedule.json", s.h(s.scheduleJSON))
	v1.GET("/conferences/:slug/agenda.ics", s.h(s.agendaICS))
	v1.POST("/me/feed", s.delegate, s.h(s.createFeed))
	v1.DELETE("/me/feed", s.delegate, s.h(s.deleteFeed))
	v1.GET("/feeds/:token/agenda.ics", s.h(s.feedICS))
	// The public exports again at the addresses the agenda page links to (next to /c/{slug}/agenda).
	e.GET("/c/:slug/schedule.xml", s.h(s.scheduleXML))
	e.GET("/c/:slug/schedule.json", s.h(s.scheduleJSON))
	e.GET("/c/:slug/agenda.ics", s.h(s.agendaICS))
	e.GET("/c/:slug/live/stream", s.h(s.liveStream)) // what the projector page /c/{slug}/live follows

	// Position statements (statements.go, statement_review.go, cosign.go, amendments.go, votes.go).
	// Readable ones answer anyone; handlers narrow by statement status and organisation.
	v1.GET("/conferences/:slug/statements", s.h(s.listStatements))
	v1.POST("/conferences/:slug/statements", s.anyone, s.h(s.createStatement))
	v1.GET("/statements/:id", s.h(s.getStatement))
	v1.PATCH("/statements/:id", s.anyone, s.h(s.updateStatement))
	v1.POST("/statements/:id/submit", s.anyone, s.h(s.submitStatement))
	v1.POST("/statements/:id/withdraw", s.anyone, s.h(s.withdrawStatement))
	v1.POST("/statements/:id/translations", s.anyone, s.h(s.saveTranslation))
	v1.GET("/statements/:id/versions", s.h(s.listVersions))
	v1.POST("/statements/:id/cosignatures", s.delegate, s.h(s.cosignStatement))
	v1.DELETE("/statements/:id/cosignatures", s.delegate, s.h(s.withdrawCosignature))
	v1.POST("/statements/:id/decision", s.staff(reviewers...), s.h(s.decideStatement))
	v1.GET("/statements/:id/comments", s.anyone, s.h(s.listComments))
	v1.POST("/statements/:id/comments", s.staff(reviewers...), s.h(s.addComment))
	v1.GET("/statements/:id/amendments", s.h(s.listAmendments))
	v1.POST("/statements/:id/amendments", s.delegate, s.h(s.proposeAmendment))
	v1.POST("/amendments/:id/decision", s.staff(reviewers...), s.h(s.decideAmendment))
	v1.POST("/statements/:id/ballot", s.staff(organisers...), s.h(s.openBallot))
	v1.POST("/statements/:id/ballot/close", s.staff(organisers...), s.h(s.closeBallot))
	v1.POST("/statements/:id/votes", s.delegate, s.h(s.castVote))

	// The plenary: credentials, ballots, check-in and presence (plenary.go, checkins.go).
	v1.GET("/conferences/:slug/organisations/:id/delegation", s.staff(organisers...), s.h(s.getDelegation))
	v1.PUT("/conferences/:slug/organisations/:id/delegation", s.staff(organisers...), s.h(s.putDelegation))
	v1.GET("/me/delegation", s.delegate, s.h(s.getMyDelegation))
	v1.GET("/conferences/:slug/ballots", s.anyone, s.h(s.listBallots))
	v1.POST("/conferences/:slug/ballots", s.staff(organisers...), s.h(s.createBallot))
	v1.GET("/ballots/:id", s.anyone, s.h(s.getBallot))
	v1.POST("/ballots/:id/votes", s.delegate, s.h(s.voteOnBallot))
	v1.POST("/ballots/:id/close", s.staff(organisers...), s.h(s.closeBallotByID))
	// The plenary: agenda items, lists of speakers, the live view (speakers.go, live.go).
	v1.GET("/sessions/:id/items", s.h(s.listItems))
	v1.POST("/sessions/:id/items", s.staff(organisers...), s.h(s.createItem))
	v1.PATCH("/items/:id", s.staff(organisers...), s.h(s.updateItem))
	v1.GET("/items/:id/speakers", s.h(s.listSpeakers))
	v1.POST("/items/:id/speakers", s.delegate, s.h(s.requestToSpeak))
	v1.DELETE("/items/:id/speakers/me", s.delegate, s.h(s.withdrawRequest))
	v1.POST("/items/:id/speakers/next", s.staff(organisers...), s.h(s.chair(domain.ChairNext)))
	v1.POST("/items/:id/speakers/extend", s.staff(organisers...), s.h(s.chair(domain.ChairExtend)))
	v1.POST("/items/:id/speakers/end", s.staff(organisers...), s.h(s.chair(domain.ChairEnd)))
	v1.POST("/items/:id/speakers/close", s.staff(organisers...), s.h(s.chair(domain.ChairClose)))
	v1.POST("/items/:id/speakers/reopen", s.staff(organisers...), s.h(s.chair(domain.ChairReopen)))
	v1.GET("/conferences/:slug/live", s.h(s.getLive))
	v1.GET("/conferences/:slug/live/stream", s.h(s.liveStream))
	v1.GET("/me/badge", s.delegate, s.h(s.getBadge))
	v1.GET("/me/badge.pdf", s.delegate, s.h(s.getBadgePDF))
	v1.POST("/me/presence", s.delegate, s.h(s.declarePresence))
	v1.DELETE("/me/presence", s.delegate, s.h(s.leavePresence))
	v1.POST("/conferences/:slug/checkins", s.staff(staffAll...), s.h(s.checkIn))
	v1.GET("/conferences/:slug/presence", s.staff(staffAll...), s.h(s.getPresence))

	// Mail: announcements and the delivery view (announcements.go, outbox.go).
	v1.GET("/conferences/:slug/announcements", s.staff(organisers...), s.h(s.listAnnouncements))
	v1.POST("/conferences/:slug/announcements", s.staff(organisers...), s.h(s.createAnnouncement))
	v1.POST("/conferences/:slug/announcements/preview", s.staff(organisers...), s.h(s.previewAnnouncement))
	v1.GET("/conferences/:slug/outbox", s.staff(organisers...), s.h(s.listOutbox))
	v1.POST("/conferences/:slug/outbox/:id/retry", s.staff(organisers...), s.h(s.retryOutbox))
}
