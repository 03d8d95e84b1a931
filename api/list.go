package api

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/zimmerwald/zimmerwald/models"
)

// listResponse is the shape of every list: items and the cursor of the next page ("" at the end).
type listResponse[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// page reads ?limit= and ?cursor=.
func page(c *gin.Context) (models.Page, error) {
	limit := 0
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return models.Page{}, malformed("invalid limit", models.FieldProblem("limit", models.FieldInvalid, "must be a positive whole number"))
		}
		limit = n
	}
	return models.ParsePage(limit, c.Query("cursor"))
}

// conferencePage loads the :slug conference and the ?limit=/?cursor= page of a list.
func (s *Server) conferencePage(c *gin.Context) (*models.Conference, models.Page, error) {
	conf, err := s.conference(c)
	if err != nil {
		return nil, models.Page{}, err
	}
	pg, err := page(c)
	return conf, pg, err
}
