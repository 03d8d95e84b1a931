package mail

import (
	"strings"
	"testing"
)

// TestAgendaChangesShowOldTitle: the change mail of a renamed session names the old title, in
// both parts and every language, and links to the agenda it was given.
func TestAgendaChangesShowOldTitle(t *testing.T) {
	tm, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	data := &AgendaChangesData{Conference: "PC", Name: "Olena", Release: 2, AgendaURL: "https://zw.example/c/pc/agenda",
		Changes: []AgendaChange{{Kind: "updated", Session: "Peace now", PreviousSession: "Ceasefire", When: "Mon 10:00"},
			{Kind: "moved", Session: "Workshop B", PreviousSession: "Workshop A", When: "Tue 9:00", PreviousWhen: "Mon 9:00"}}}
	for _, lang := range []string{"en", "ru", "uk", "de", "fr"} {
		r, err := tm.Render(TemplateAgendaChanges, lang, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{r.Text, r.HTML} {
			for _, want := range []string{"Ceasefire", "Peace now", "Workshop A", "https://zw.example/c/pc/agenda"} {
				if !strings.Contains(part, want) {
					t.Errorf("%s: the mail lacks %q:\n%s", lang, want, part)
				}
			}
		}
	}
}
