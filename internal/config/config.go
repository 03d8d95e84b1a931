// Package config reads Zimmerwald's configuration from the environment (and an optional .env file)
// into one typed struct. It imports nothing of ours.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"
)

// Config is the whole runtime configuration. Every field comes from a ZW_ variable documented in
// .env.example.
type Config struct {
	Addr                    string        // ZW_ADDR
	BaseURL                 string        // ZW_BASE_URL
	DatabaseURL             string        // ZW_DATABASE_URL; empty means SQLite in DataDir
	DataDir                 string        // ZW_DATA_DIR
	SecretKey               string        // ZW_SECRET_KEY (base64, 32 bytes); empty means DataDir/secret.key
	SMTPURL                 string        // ZW_SMTP_URL; empty means the .eml file sink
	MailFrom                string        // ZW_MAIL_FROM
	MailRate                float64       // ZW_MAIL_RATE messages per second, 0 = unlimited
	MailConcurrency         int           // ZW_MAIL_CONCURRENCY messages rendered and sent in parallel per process
	BootstrapAdminEmail     string        // ZW_BOOTSTRAP_ADMIN_EMAIL
	BootstrapAdminPassword  string        // ZW_BOOTSTRAP_ADMIN_PASSWORD
	TrustedProxies          []string      // ZW_TRUSTED_PROXIES, comma separated; empty trusts none
	SessionIdleTimeout      time.Duration // ZW_SESSION_IDLE_TIMEOUT
	SessionMaxAge           time.Duration // ZW_SESSION_MAX_AGE
	LogLevel                string        // ZW_LOG_LEVEL: debug, info, warn, error
	LogFormat               string        // ZW_LOG_FORMAT: text or json
	ShutdownTimeout         time.Duration // ZW_SHUTDOWN_TIMEOUT
	DatabaseMaxReadConns    int           // ZW_DB_READ_CONNS
	RegistrationRatePerMin  float64       // ZW_PUBLIC_RATE_PER_MIN, public POSTs per client per minute
	RegistrationRateBurst   int           // ZW_PUBLIC_RATE_BURST
	RateLimitMaxKeys        int           // ZW_RATE_LIMIT_MAX_KEYS, clients each rate limiter remembers at once
	LiveStreamsPerClient    int           // ZW_LIVE_STREAMS_PER_CLIENT, open live streams per client
	LivePollInterval        time.Duration // ZW_LIVE_POLL_INTERVAL, how often other processes' live changes are looked for
	BackupKeep              int           // ZW_BACKUP_KEEP: encrypted backups kept in DataDir/backups
	BackupInterval          time.Duration // ZW_BACKUP_INTERVAL: serve writes a backup this often; 0 = never
	SecretKeyFile           string        // ZW_SECRET_KEY_FILE: the key file, e.g. on tmpfs; empty = DataDir/secret.key
	SecretKeyPassphraseFile string        // ZW_SECRET_KEY_PASSPHRASE_FILE: passphrase of a wrapped key file
	OnlineReminderLead      time.Duration // ZW_ONLINE_REMINDER_LEAD: how long before a session its online link is mailed
}

// Defaults returns the configuration of the embedded default: SQLite and mail files in ./data.
func Defaults() Config {
	return Config{
		Addr:                   ":8080",
		MailConcurrency:        8,
		DataDir:                "./data",
		MailFrom:               "Conference secretariat <noreply@localhost>",
		SessionIdleTimeout:     2 * time.Hour,
		SessionMaxAge:          24 * time.Hour,
		LogLevel:               "info",
		LogFormat:              "text",
		ShutdownTimeout:        15 * time.Second,
		DatabaseMaxReadConns:   8,
		RegistrationRatePerMin: 30,
		RegistrationRateBurst:  10,
		RateLimitMaxKeys:       3 << 20, // ratelimit.DefaultMaxKeys: 64 MiB per limiter when full
		LiveStreamsPerClient:   8,
		LivePollInterval:       250 * time.Millisecond,
		BackupKeep:             7,
		OnlineReminderLead:     30 * time.Minute,
	}
}

// Load reads .env (if present; the real environment wins) and the environment into a validated
// Config.
func Load() (Config, error) {
	if err := godotenv.Load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return Config{}, fmt.Errorf("config: reading .env: %w", err)
	}
	return FromEnv(os.LookupEnv)
}

// FromEnv builds a validated Config from a lookup function (os.LookupEnv in production).
func FromEnv(lookup func(string) (string, bool)) (Config, error) {
	c := Defaults()
	var errs []error
	str := func(name string, dst *string) {
		if v, ok := lookup(name); ok && strings.TrimSpace(v) != "" {
			*dst = strings.TrimSpace(v)
		}
	}
	dur := func(name string, dst *time.Duration) {
		if v, ok := lookup(name); ok && v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				errs = append(errs, fmt.Errorf("%s: want a positive duration like 2h, got %q", name, v))
				return
			}
			*dst = d
		}
	}
	num := func(name string, dst *float64) {
		if v, ok := lookup(name); ok && v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 {
				errs = append(errs, fmt.Errorf("%s: want a non-negative number, got %q", name, v))
				return
			}
			*dst = f
		}
	}
	integer := func(name string, dst *int) {
		if v, ok := lookup(name); ok && v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				errs = append(errs, fmt.Errorf("%s: want a positive integer, got %q", name, v))
				return
			}
			*dst = n
		}
	}
	str("ZW_ADDR", &c.Addr)
	str("ZW_BASE_URL", &c.BaseURL)
	str("ZW_DATABASE_URL", &c.DatabaseURL)
	str("ZW_DATA_DIR", &c.DataDir)
	str("ZW_SECRET_KEY", &c.SecretKey)
	str("ZW_SMTP_URL", &c.SMTPURL)
	str("ZW_MAIL_FROM", &c.MailFrom)
	num("ZW_MAIL_RATE", &c.MailRate)
	integer("ZW_MAIL_CONCURRENCY", &c.MailConcurrency)
	str("ZW_BOOTSTRAP_ADMIN_EMAIL", &c.BootstrapAdminEmail)
	str("ZW_BOOTSTRAP_ADMIN_PASSWORD", &c.BootstrapAdminPassword)
	var proxies string
	str("ZW_TRUSTED_PROXIES", &proxies)
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	dur("ZW_SESSION_IDLE_TIMEOUT", &c.SessionIdleTimeout)
	dur("ZW_SESSION_MAX_AGE", &c.SessionMaxAge)
	str("ZW_LOG_LEVEL", &c.LogLevel)
	str("ZW_LOG_FORMAT", &c.LogFormat)
	dur("ZW_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout)
	integer("ZW_DB_READ_CONNS", &c.DatabaseMaxReadConns)
	num("ZW_PUBLIC_RATE_PER_MIN", &c.RegistrationRatePerMin)
	integer("ZW_PUBLIC_RATE_BURST", &c.RegistrationRateBurst)
	integer("ZW_RATE_LIMIT_MAX_KEYS", &c.RateLimitMaxKeys)
	integer("ZW_LIVE_STREAMS_PER_CLIENT", &c.LiveStreamsPerClient)
	dur("ZW_LIVE_POLL_INTERVAL", &c.LivePollInterval)
	integer("ZW_BACKUP_KEEP", &c.BackupKeep)
	dur("ZW_BACKUP_INTERVAL", &c.BackupInterval)
	str("ZW_SECRET_KEY_FILE", &c.SecretKeyFile)
	str("ZW_SECRET_KEY_PASSPHRASE_FILE", &c.SecretKeyPassphraseFile)
	dur("ZW_ONLINE_REMINDER_LEAD", &c.OnlineReminderLead)
	if err := errors.Join(errs...); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	return c, c.Validate()
}

// Validate checks values that cannot be checked field by field while reading.
func (c *Config) Validate() error {
	var errs []error
	if c.BaseURL == "" {
		host := c.Addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		c.BaseURL = "http://" + host
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("ZW_BASE_URL: want an absolute http(s) URL, got %q", c.BaseURL))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("ZW_DATABASE_URL: want empty (SQLite) or a postgres:// URL"))
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			errs = append(errs, errors.New("ZW_SMTP_URL: want smtp://user:pass@host:port?tls=starttls"))
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil || strings.ContainsAny(c.MailFrom, "\r\n") {
		errs = append(errs, fmt.Errorf("ZW_MAIL_FROM: want one address like \"Secretariat <noreply@example.org>\""))
	}
	if (c.BootstrapAdminEmail == "") != (c.BootstrapAdminPassword == "") {
		errs = append(errs, errors.New("ZW_BOOTSTRAP_ADMIN_EMAIL and ZW_BOOTSTRAP_ADMIN_PASSWORD go together"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("ZW_LOG_LEVEL: want debug, info, warn or error, got %q", c.LogLevel))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("ZW_LOG_FORMAT: want text or json, got %q", c.LogFormat))
	}
	if c.OnlineReminderLead < MinOnlineReminderLead || c.OnlineReminderLead > MaxOnlineReminderLead {
		errs = append(errs, fmt.Errorf("ZW_ONLINE_REMINDER_LEAD: want a duration from %s to %s, got %s", MinOnlineReminderLead, MaxOnlineReminderLead, c.OnlineReminderLead))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// The bounds of ZW_ONLINE_REMINDER_LEAD: at least the minute between two looks for sessions due
// (or a session could start unreminded), at most a day (a link mailed days ahead is forgotten, and
// the session may still move).
const (
	MinOnlineReminderLead = 2 * time.Minute
	MaxOnlineReminderLead = 24 * time.Hour
)

// SQLitePath is the database file used when DatabaseURL is empty.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "zimmerwald.db") }

// MailDir is where the file sink writes .eml files.
func (c Config) MailDir() string { return filepath.Join(c.DataDir, "mail") }

// BackupDir is where backups are written and rotated.
func (c Config) BackupDir() string { return filepath.Join(c.DataDir, "backups") }

// KeyFile is where the data key is kept when ZW_SECRET_KEY is unset: ZW_SECRET_KEY_FILE, or
// secret.key in the data directory.
func (c Config) KeyFile() string {
	if c.SecretKeyFile != "" {
		return c.SecretKeyFile
	}
	return filepath.Join(c.DataDir, "secret.key")
}
