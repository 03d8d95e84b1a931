package main

import (
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// naiveDelegate is the baseline's table: what a first Gin+GORM tutorial would write.
type naiveDelegate struct {
	ID                  string `gorm:"primaryKey"`
	Email               string `gorm:"uniqueIndex"`
	DisplayName         string
	OrganisationID      string
	Role                string
	Country             string
	Attendance          string
	Visibility          string
	InterpretationNeeds string
	CreatedAt           time.Time
}

type naiveRequest struct {
	Email               string `json:"email" binding:"required"`
	DisplayName         string `json:"display_name" binding:"required"`
	OrganisationID      string `json:"organisation_id"`
	Role                string `json:"role"`
	Country             string `json:"country"`
	Attendance          string `json:"attendance"`
	Visibility          string `json:"visibility"`
	InterpretationNeeds string `json:"interpretation_needs"`
}

type naiveServer struct {
	dir  string
	base string
	srv  *http.Server
	db   *gorm.DB
}

// startNaive serves the baseline: default GORM on SQLite (WAL, synchronous=FULL, a busy timeout
// so it does not fail outright), one transaction per request.
func startNaive() (*naiveServer, error) {
	dir, err := os.MkdirTemp("", "zw-naive")
	if err != nil {
		return nil, err
	}
	dsn := "file:" + filepath.Join(dir, "naive.db") + "?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000&_foreign_keys=on"
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return nil, err
	}
	if err := db.AutoMigrate(&naiveDelegate{}); err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.POST("/register", func(c *gin.Context) {
		var req naiveRequest
		if err := c.ShouldBindJSON(&req); err != nil {
			c.JSON(400, gin.H{"error": err.Error()})
			return
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			return tx.Create(&naiveDelegate{ID: uuid.NewString(), Email: req.Email, DisplayName: req.DisplayName, OrganisationID: req.OrganisationID,
				Role: req.Role, Country: req.Country, Attendance: req.Attendance, Visibility: req.Visibility, InterpretationNeeds: req.InterpretationNeeds}).Error
		})
		if err != nil {
			c.JSON(500, gin.H{"error": "failed"})
			return
		}
		c.JSON(202, gin.H{"status": "accepted"})
	})
	base, hs, err := listen(r)
	if err != nil {
		return nil, err
	}
	return &naiveServer{dir: dir, base: base, srv: hs, db: db}, nil
}

func (n *naiveServer) close() {
	n.srv.Close()
	if sqlDB, err := n.db.DB(); err == nil {
		sqlDB.Close()
	}
	os.RemoveAll(n.dir)
}
