package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"
)

// exportDelegatesCSV exports every (not erased) registration of a conference with its personal
// fields as CSV (domain.Service.WriteDelegatesCSV: the export permission is needed, and the export
// is audited before any data leaves).
func (s *Server) exportDelegatesCSV(c *gin.Context) error {
	var buf bytes.Buffer
	conf, err := s.dom.WriteDelegatesCSV(c.Request.Context(), s.actor(c), c.Param("slug"), &buf)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="`+conf.Slug+`-delegates.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}
