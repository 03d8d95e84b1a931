package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestSystemdUnitVerifies runs systemd-analyze verify on zimmerwald.service (pointed at the
// binary built for these tests, which verify requires to exist).
func TestSystemdUnitVerifies(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		modelstest.Require(t, "systemd-analyze (apt-get install systemd)")
	}
	unit, err := os.ReadFile(filepath.Join("..", "..", "zimmerwald.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "CapabilityBoundingSet=\n", "ExecStart=/usr/local/bin/zimmerwald serve"} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("unit lacks %q", want)
		}
	}
	path := filepath.Join(t.TempDir(), "zimmerwald.service")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(unit), "/usr/local/bin/zimmerwald", binary)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("systemd-analyze", "verify", path).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestDockerfileRunsUnprivileged checks what can be checked without a container engine: a
// multi-stage build, a non-root user, the data volume and serve as the command.
func TestDockerfileRunsUnprivileged(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	if strings.Count(df, "\nFROM ") < 2 || !strings.Contains(df, " AS build") || !strings.Contains(df, "COPY --from=build") {
		t.Error("Dockerfile is not a multi-stage build")
	}
	for _, want := range []string{"\nUSER 10001:10001\n", `VOLUME ["/data"]`, "ZW_DATA_DIR=/data", `CMD ["serve"]`, "\nHEALTHCHECK "} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}

// TestDockerfileBaseImages checks that both base images are build arguments (a site without Docker
// Hub passes its own, as .ci/container does) whose public defaults carry go.mod's Go release.
func TestDockerfileBaseImages(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	mod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var release string // "1.26" of "go 1.26.8"
	for _, line := range strings.Split(string(mod), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			parts := strings.SplitN(strings.TrimSpace(v), ".", 3)
			if len(parts) >= 2 {
				release = parts[0] + "." + parts[1]
			}
		}
	}
	if release == "" {
		t.Fatal("go.mod has no go directive")
	}
	for _, want := range []string{
		"\nARG GO_IMAGE=golang:" + release + "-bookworm\n",
		"\nARG RUNTIME_IMAGE=debian:bookworm-slim\n",
		"\nFROM ${GO_IMAGE} AS build\n",
		"\nFROM ${RUNTIME_IMAGE}\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	compose, err := os.ReadFile(filepath.Join("..", "..", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(compose), "GO_IMAGE: ${ZW_GO_IMAGE:-golang:"+release+"-bookworm}") {
		t.Errorf("compose.yaml does not pass GO_IMAGE with the default golang:%s-bookworm", release)
	}
}
