package models

import "testing"

// TestSessionTextFallsBack: a translated field is shown in its language, a missing one (or a
// missing language) falls back to the session's own.
func TestSessionTextFallsBack(t *testing.T) {
	s := &Session{Title: "Opening", Description: "About", Translations: SessionTranslations{"uk": {Title: "Відкриття"}}}
	if s.TitleIn("uk") != "Відкриття" || s.DescriptionIn("uk") != "About" || s.TitleIn("de") != "Opening" {
		t.Errorf("got %q %q %q", s.TitleIn("uk"), s.DescriptionIn("uk"), s.TitleIn("de"))
	}
	c := AgendaChange{Title: "B", PreviousTitle: "A", Titles: map[string]string{"uk": "Б"}}
	if c.TitleIn("uk") != "Б" || c.PreviousTitleIn("uk") != "A" || (&AgendaChange{Title: "B"}).PreviousTitleIn("uk") != "" {
		t.Errorf("change titles: %q %q", c.TitleIn("uk"), c.PreviousTitleIn("uk"))
	}
	v, err := SessionTranslations(nil).Value()
	if err != nil || v != "{}" {
		t.Errorf("empty value: %v %v", v, err)
	}
	var back SessionTranslations
	if err := back.Scan(`{"ru":{"title":"Открытие","description":""}}`); err != nil || back["ru"].Title != "Открытие" {
		t.Errorf("scan: %v %v", back, err)
	}
}
