package api

import "github.com/gin-gonic/gin"

// createAnnouncement is not built yet.
func (s *Server) createAnnouncement(c *gin.Context) error { return errNotImplemented }

// listOutbox is not built yet.
func (s *Server) listOutbox(c *gin.Context) error { return errNotImplemented }
