package web

import (
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestEveryErrorCodeHasAMessage fails when an error code of the domain layer has no message in
// some language of the pages: the web translates codes, never English sentences.
func TestEveryErrorCodeHasAMessage(t *testing.T) {
	b, err := loadBundle(localeFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Languages {
		tr := translator{lang: l, loc: i18n.NewLocalizer(b, l)}
		for _, c := range models.Codes() {
			if !tr.Has("code_" + string(c)) {
				t.Errorf("language %s: no message code_%s", l, c)
			}
		}
		if got := tr.codeMessage("no_such_code", "fallback"); got != "fallback" {
			t.Errorf("language %s: unknown code gave %q, want the fallback", l, got)
		}
	}
}
