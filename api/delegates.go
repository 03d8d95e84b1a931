package api

import "github.com/gin-gonic/gin"

// requestMagicLink is not built yet.
func (s *Server) requestMagicLink(c *gin.Context) error { return errNotImplemented }

// verifyMagicLink is not built yet.
func (s *Server) verifyMagicLink(c *gin.Context) error { return errNotImplemented }

// registerDelegate is not built yet.
func (s *Server) registerDelegate(c *gin.Context) error { return errNotImplemented }

// confirmDelegate is not built yet.
func (s *Server) confirmDelegate(c *gin.Context) error { return errNotImplemented }

// listDelegates is not built yet.
func (s *Server) listDelegates(c *gin.Context) error { return errNotImplemented }

// listParticipants is not built yet.
func (s *Server) listParticipants(c *gin.Context) error { return errNotImplemented }

// getDelegate is not built yet.
func (s *Server) getDelegate(c *gin.Context) error { return errNotImplemented }

// decideDelegate is not built yet.
func (s *Server) decideDelegate(c *gin.Context) error { return errNotImplemented }

// getMe is not built yet.
func (s *Server) getMe(c *gin.Context) error { return errNotImplemented }

// updateMe is not built yet.
func (s *Server) updateMe(c *gin.Context) error { return errNotImplemented }

// deleteMe is not built yet.
func (s *Server) deleteMe(c *gin.Context) error { return errNotImplemented }

// exportMe is not built yet.
func (s *Server) exportMe(c *gin.Context) error { return errNotImplemented }
