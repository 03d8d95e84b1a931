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
	for _, want := range []string{"\nUSER 10001:10001\n", `VOLUME ["/data"]`, "ZW_DATA_DIR=/data", `CMD ["serve"]`} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}
