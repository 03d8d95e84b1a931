package api

import "github.com/gin-gonic/gin"

// listSessions is not built yet.
func (s *Server) listSessions(c *gin.Context) error { return errNotImplemented }

// createSession is not built yet.
func (s *Server) createSession(c *gin.Context) error { return errNotImplemented }

// updateSession is not built yet.
func (s *Server) updateSession(c *gin.Context) error { return errNotImplemented }

// deleteSession is not built yet.
func (s *Server) deleteSession(c *gin.Context) error { return errNotImplemented }

// attendSession is not built yet.
func (s *Server) attendSession(c *gin.Context) error { return errNotImplemented }

// leaveSession is not built yet.
func (s *Server) leaveSession(c *gin.Context) error { return errNotImplemented }

// agendaConflicts is not built yet.
func (s *Server) agendaConflicts(c *gin.Context) error { return errNotImplemented }

// createRelease is not built yet.
func (s *Server) createRelease(c *gin.Context) error { return errNotImplemented }

// getAgenda is not built yet.
func (s *Server) getAgenda(c *gin.Context) error { return errNotImplemented }

// scheduleXML is not built yet.
func (s *Server) scheduleXML(c *gin.Context) error { return errNotImplemented }

// scheduleJSON is not built yet.
func (s *Server) scheduleJSON(c *gin.Context) error { return errNotImplemented }

// agendaICS is not built yet.
func (s *Server) agendaICS(c *gin.Context) error { return errNotImplemented }
