package models_test

import (
	"go/build"
	"strings"
	"testing"
)

// TestModelsImports checks what doc.go promises: of our packages, models imports only migrations
// and internal/ ones, and never Gin.
func TestModelsImports(t *testing.T) {
	const module = "github.com/zimmerwald/zimmerwald/"
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Imports) == 0 {
		t.Fatal("no imports found: the check proves nothing")
	}
	for _, imp := range pkg.Imports {
		ours, isOurs := strings.CutPrefix(imp, module)
		switch {
		case strings.Contains(imp, "gin-gonic"):
			t.Errorf("models imports %s", imp)
		case isOurs && ours != "migrations" && !strings.HasPrefix(ours, "internal/"):
			t.Errorf("models imports %s; only migrations and internal/ packages are allowed", imp)
		}
	}
}
