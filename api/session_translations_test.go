package api

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/models"
)

// TestSessionTranslations: organisers give a session's title and description in the
// conference's languages; answers carry them; a language the conference does not use is a 422
// with a code; the release mail and the personal feed use the reader's language, the public
// exports the default title.
func TestSessionTranslations(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testEnv) {
		org := e.staffToken("organiser")
		conf := e.conference()
		union := e.organisation(conf, "Union", true, 5)
		olena := e.delegate(conf, union, "Olena", models.DelegateApproved, models.VisibilityPublic)
		tok := e.delegateToken(olena)
		e.do("PATCH", "/api/v1/me", tok, map[string]any{"languages": []string{"uk", "en"}, "mail_language": "uk"}).want(t, 200)

		body := sessionBody("Opening", "Hall", 6, 10, olena)
		body["translations"] = map[string]any{"uk": map[string]any{"title": "Відкриття", "description": "Про відкриття"},
			"de": map[string]any{"title": " ", "description": ""}}
		s := e.addSession(t, org, conf, body)
		id := s["id"].(string)
		trs := s["translations"].(map[string]any)
		if len(trs) != 1 || trs["uk"].(map[string]any)["title"] != "Відкриття" {
			t.Fatalf("translations: got %v, want uk only (an empty block is dropped)", trs)
		}

		bad := e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"translations": map[string]any{"pt": map[string]any{"title": "Abertura"}}}).want(t, 422).json(t)
		if codes, _ := bad["error_codes"].(map[string]any); codes["translations"] != string(models.FieldInvalidLanguage) {
			t.Errorf("foreign language: got %v, want error_codes.translations = invalid_language", bad)
		}
		bad = e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"translations": map[string]any{"ru": map[string]any{"title": "a\u0007b"}}}).want(t, 422).json(t)
		if codes, _ := bad["error_codes"].(map[string]any); codes["translations[ru].title"] != string(models.FieldControlCharacters) {
			t.Errorf("control character: got %v", bad)
		}

		e.publishSession(t, org, id)
		e.publishRelease(t, org, conf)
		pub := e.do("GET", "/api/v1/sessions/"+id, "", nil).want(t, 200).json(t)
		if pub["title"] != "Opening" || pub["translations"].(map[string]any)["uk"] == nil {
			t.Errorf("public session: got %v", pub)
		}
		agenda := string(e.do("GET", "/api/v1/conferences/"+conf.Slug+"/agenda", "", nil).want(t, 200).Body)
		if !strings.Contains(agenda, "Відкриття") {
			t.Errorf("the agenda does not carry the translations: %s", agenda)
		}
		for _, path := range []string{"schedule.xml", "schedule.json", "agenda.ics"} {
			out := string(e.do("GET", "/api/v1/conferences/"+conf.Slug+"/"+path, "", nil).want(t, 200).Body)
			if !strings.Contains(out, "Opening") || strings.Contains(out, "Відкриття") {
				t.Errorf("%s: want the default title only", path)
			}
		}

		// A renamed session: the release mail names the new and the old title in Ukrainian.
		e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"title": "Opening plenary",
			"translations": map[string]any{"uk": map[string]any{"title": "Пленарне відкриття", "description": "Про пленарне відкриття"}}}).want(t, 200)
		rel := e.publishRelease(t, org, conf)
		ch := rel["changes"].([]any)[0].(map[string]any)
		if ch["titles"].(map[string]any)["uk"] != "Пленарне відкриття" || ch["previous_titles"].(map[string]any)["uk"] != "Відкриття" {
			t.Errorf("changelog: got %v", ch)
		}
		rows := e.outboxTo(conf, olena.Email, "agenda_changes")
		if len(rows) != 2 {
			t.Fatalf("agenda mails to Olena: %d, want 2 (added, renamed)", len(rows))
		}
		var titles []string
		for _, row := range rows {
			var data struct {
				Changes []struct{ Session, PreviousSession string }
			}
			if err := json.Unmarshal(row.Data, &data); err != nil {
				t.Fatal(err)
			}
			for _, c := range data.Changes {
				titles = append(titles, c.Session+"|"+c.PreviousSession)
			}
		}
		if strings.Join(titles, ",") != "Відкриття|,Пленарне відкриття|Відкриття" && strings.Join(titles, ",") != "Пленарне відкриття|Відкриття,Відкриття|" {
			t.Errorf("mail changes: got %v, want the Ukrainian titles", titles)
		}

		// The personal feed is in Olena's language.
		feed := e.do("POST", "/api/v1/me/feed", tok, nil).want(t, 201).json(t)
		ics := string(e.do("GET", "/api/v1/feeds/"+feed["token"].(string)+"/agenda.ics", "", nil).want(t, 200).Body)
		if !strings.Contains(ics, "SUMMARY:Пленарне відкриття") || !strings.Contains(ics, "DESCRIPTION:Про пленарне відкриття") {
			t.Errorf("personal feed not in Ukrainian:\n%s", ics)
		}

		// {} removes every translation.
		upd := e.do("PATCH", "/api/v1/sessions/"+id, org, map[string]any{"translations": map[string]any{}}).want(t, 200).json(t)
		if len(upd["translations"].(map[string]any)) != 0 {
			t.Errorf("{} kept translations: %v", upd["translations"])
		}
	})
}
