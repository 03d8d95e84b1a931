package main

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/models"
)

// `zimmerwald import` imports a valid file whole, and a file with one bad line not at all,
// reporting each problem by line (without the values) and failing.
func TestImportCommandAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.FromEnv(func(k string) (string, bool) {
		if k == "ZW_DATA_DIR" {
			return dir, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	conf := &models.Conference{Slug: "zw-import", Title: "Import", Timezone: "UTC", StartsOn: time.Now(), EndsOn: time.Now()}
	if err := st.CreateConference(ctx, conf); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateOrganisation(ctx, &models.Organisation{ConferenceID: conf.ID, Name: "Union", Kind: models.OrgUnion, Status: models.OrgVerified}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	run := func(file string, args ...string) (string, error) {
		path := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(binary, append(append([]string{"import"}, args...), path)...)
		cmd.Dir, cmd.Env = dir, []string{"ZW_DATA_DIR=" + dir, "HOME=" + dir}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	count := func() int64 {
		st, err := openStore(ctx, cfg, log)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		n, err := st.CountDelegates(ctx, models.DelegateFilter{ConferenceID: conf.ID})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	bad := "email,display_name,organisation\nok@example.org,Ok,Union\nsecret-not-an-address,Bad,Union\nx@example.org,X,Nowhere\n"
	out, err := run(bad, "--conference", "zw-import")
	if err == nil || !strings.Contains(out, "line 3: email") || strings.Contains(out, "secret-not-an-address") {
		t.Errorf("bad file: got %v\n%s", err, out)
	}
	good := "email,display_name,organisation,status\nok@example.org,Ok,Union,approved\nother@example.org,Other,Union,\n"
	out, err = run(good+"dup@example.org,D,Union,\nDUP@example.org,D2,Union,\n", "--conference", "zw-import")
	if err == nil || !strings.Contains(out, "line 5: email") {
		t.Errorf("duplicate in file: got %v\n%s", err, out)
	}
	if n := count(); n != 0 {
		t.Fatalf("got %d delegates after failed imports, want 0", n)
	}
	out, err = run(good, "--conference", "zw-import", "--check")
	if err != nil || !strings.Contains(out, "nothing was stored") || count() != 0 {
		t.Errorf("--check: got %v\n%s", err, out)
	}
	out, err = run(good, "--conference", "zw-import")
	if err != nil || !strings.Contains(out, "imported 2 delegates") || !strings.Contains(out, "storing 2/2") {
		t.Fatalf("good file: got %v\n%s", err, out)
	}
	if n := count(); n != 2 {
		t.Errorf("got %d delegates, want 2", n)
	}
	if out, err := run(good, "--conference", "nope"); err == nil {
		t.Errorf("unknown conference: got success\n%s", out)
	}
}
