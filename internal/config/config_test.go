package config

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaultsAreValid(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.BaseURL != "http://localhost:8080" || c.DataDir != "./data" || c.OnlineReminderLead != 30*time.Minute {
		t.Errorf("got %+v", c)
	}
}

func TestInvalidValuesAreNamed(t *testing.T) {
	cases := map[string]map[string]string{
		"ZW_DATABASE_URL":         {"ZW_DATABASE_URL": "mysql://x"},
		"ZW_SMTP_URL":             {"ZW_SMTP_URL": "http://x"},
		"ZW_MAIL_FROM":            {"ZW_MAIL_FROM": "a@b.c\r\nBcc: x@y.z"},
		"ZW_BOOTSTRAP_ADMIN":      {"ZW_BOOTSTRAP_ADMIN_EMAIL": "a@b.c"},
		"ZW_SESSION_IDLE_TIMEOUT": {"ZW_SESSION_IDLE_TIMEOUT": "forever"},
		"ZW_LOG_LEVEL":            {"ZW_LOG_LEVEL": "loud"},
		"ZW_BASE_URL":             {"ZW_BASE_URL": "ftp://x"},
		"ZW_PUBLIC_RATE_BURST":    {"ZW_PUBLIC_RATE_BURST": "-1"},
		"ZW_ONLINE_REMINDER_LEAD": {"ZW_ONLINE_REMINDER_LEAD": "30s"},
	}
	for name, vars := range cases {
		_, err := FromEnv(env(vars))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%v: got %v, want an error naming %s", vars, err, name)
		}
	}
}

// TestOnlineReminderLeadBounds: the lead must outlast the minute between two looks for sessions
// due, and stay within a day.
func TestOnlineReminderLeadBounds(t *testing.T) {
	for v, ok := range map[string]bool{"30s": false, "2m": true, "1h": true, "24h": true, "25h": false, "0": false} {
		c, err := FromEnv(env(map[string]string{"ZW_ONLINE_REMINDER_LEAD": v}))
		if ok && (err != nil || c.OnlineReminderLead.String() == "") {
			t.Errorf("%s: %v", v, err)
		} else if !ok && (err == nil || !strings.Contains(err.Error(), "ZW_ONLINE_REMINDER_LEAD")) {
			t.Errorf("%s: got %v, want an error naming ZW_ONLINE_REMINDER_LEAD", v, err)
		}
	}
}

// TestEnvExampleDocumentsEveryVariable keeps .env.example and the code in step.
func TestEnvExampleDocumentsEveryVariable(t *testing.T) {
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"(ZW_[A-Z_]+)"`)
	inCode := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		inCode[m[1]] = true
	}
	inExample := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^(ZW_[A-Z_]+)=`).FindAllStringSubmatch(string(example), -1) {
		inExample[m[1]] = true
	}
	var missing, stale []string
	for k := range inCode {
		if !inExample[k] {
			missing = append(missing, k)
		}
	}
	for k := range inExample {
		if !inCode[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing)+len(stale) > 0 {
		t.Errorf("missing from .env.example: %v; in .env.example but unused: %v", missing, stale)
	}
}
