package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zimmerwald/zimmerwald/internal/config"
	"github.com/zimmerwald/zimmerwald/internal/seal"
)

// TestPassphraseWrappedKey: `key init --passphrase` writes a key file that holds no usable key
// without its passphrase; the server's commands open it with ZW_SECRET_KEY_PASSPHRASE_FILE and
// refuse to start without it; `key rewrap` changes the passphrase and the data stays readable.
func TestPassphraseWrappedKey(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass")
	os.WriteFile(pass, []byte("a long passphrase for the tests\n"), 0o600)
	withPass := map[string]string{"ZW_SECRET_KEY_PASSPHRASE_FILE": pass, "ZW_NEW_PASSWORD": "another long password"}
	if out, err := command(dir, withPass, "key", "init", "--passphrase").CombinedOutput(); err != nil {
		t.Fatalf("key init: %v: %s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "data", "secret.key"))
	if err != nil || !seal.IsWrapped(raw) {
		t.Fatalf("key file is not wrapped: %v %q", err, raw)
	}
	if out, err := command(dir, withPass, "user", "add", "--email", "wrapped@example.org", "--role", "admin").CombinedOutput(); err != nil {
		t.Fatalf("user add with the passphrase: %v: %s", err, out)
	}
	out, err := command(dir, map[string]string{"ZW_NEW_PASSWORD": "another long password"}, "serve").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "ZW_SECRET_KEY_PASSPHRASE_FILE") {
		t.Fatalf("serve without the passphrase: got %v: %s, want a refusal naming ZW_SECRET_KEY_PASSPHRASE_FILE", err, out)
	}
	newPass := filepath.Join(dir, "new")
	os.WriteFile(newPass, []byte("a different long passphrase"), 0o600)
	if out, err := command(dir, withPass, "key", "rewrap", "--new-passphrase-file", newPass).CombinedOutput(); err != nil {
		t.Fatalf("key rewrap: %v: %s", err, out)
	}
	if out, err := command(dir, withPass, "user", "add", "--email", "x@example.org", "--role", "admin").CombinedOutput(); err == nil || !strings.Contains(string(out), "wrong passphrase") {
		t.Errorf("old passphrase after rewrap: %v: %s", err, out)
	}
	withPass["ZW_SECRET_KEY_PASSPHRASE_FILE"] = newPass
	out, err = command(dir, withPass, "user", "add", "--email", "wrapped@example.org", "--role", "admin").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "exists already") {
		t.Errorf("after rewrap the account is not readable: %v: %s", err, out)
	}
}

// TestKeyFileOutsideTheDataDir: with ZW_SECRET_KEY_FILE the key lives where it says (tmpfs, a
// systemd credential) and nothing is created in the data directory; a missing file is an error,
// never a fresh key.
func TestKeyFileOutsideTheDataDir(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "run", "zw.key")
	env := map[string]string{"ZW_SECRET_KEY_FILE": keyFile, "ZW_NEW_PASSWORD": "another long password"}
	if out, err := command(dir, env, "user", "add", "--email", "k@example.org", "--role", "admin").CombinedOutput(); err == nil || !strings.Contains(string(out), "does not exist") {
		t.Fatalf("missing ZW_SECRET_KEY_FILE: %v: %s", err, out)
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Fatal("a missing ZW_SECRET_KEY_FILE was created")
	}
	if out, err := command(dir, env, "key", "init").CombinedOutput(); err != nil {
		t.Fatalf("key init: %v: %s", err, out)
	}
	if out, err := command(dir, env, "user", "add", "--email", "k@example.org", "--role", "admin").CombinedOutput(); err != nil {
		t.Fatalf("user add: %v: %s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "secret.key")); err == nil {
		t.Error("a key file was created in the data directory")
	}
	if out, err := command(dir, env, "key", "init").CombinedOutput(); err == nil {
		t.Errorf("key init over an existing key: %s", out)
	}
}

// TestKeyFileWritesAreAtomic: concurrent first starts create exactly one complete key file and
// never overwrite it; a temporary file left by a killed start is removed, and the key file is
// never empty.
func TestKeyFileWritesAreAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.key")
	stale := filepath.Join(dir, ".secret-key-123.tmp")
	os.WriteFile(stale, nil, 0o600) // what a kill between create and rename leaves
	cfg := config.Defaults()
	cfg.DataDir = dir
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = writeKeyFile(path, []byte(fmt.Sprintf("%032d\n", i)), false) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		}
	}
	got, _ := os.ReadFile(path)
	if ok != 1 || len(got) != 33 {
		t.Fatalf("got %d successful creations and a %d-byte file, want 1 and 33", ok, len(got))
	}
	if err := writeKeyFile(path, []byte("other\n"), false); err == nil {
		t.Fatal("an existing key file was overwritten")
	}
	os.Remove(path)
	if _, err := loadKey(cfg, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale temporary file is still there")
	}
	if got, _ := os.ReadFile(path); len(bytes.TrimSpace(got)) != 44 {
		t.Errorf("key file after first start: %q", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".secret-key-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
