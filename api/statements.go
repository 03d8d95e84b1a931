package api

import "github.com/gin-gonic/gin"

// listStatements is not built yet.
func (s *Server) listStatements(c *gin.Context) error { return errNotImplemented }

// createStatement is not built yet.
func (s *Server) createStatement(c *gin.Context) error { return errNotImplemented }

// submitStatement is not built yet.
func (s *Server) submitStatement(c *gin.Context) error { return errNotImplemented }

// cosignStatement is not built yet.
func (s *Server) cosignStatement(c *gin.Context) error { return errNotImplemented }

// decideStatement is not built yet.
func (s *Server) decideStatement(c *gin.Context) error { return errNotImplemented }

// proposeAmendment is not built yet.
func (s *Server) proposeAmendment(c *gin.Context) error { return errNotImplemented }

// castVote is not built yet.
func (s *Server) castVote(c *gin.Context) error { return errNotImplemented }
