package models

import (
	"database/sql/driver"
	"encoding/json"
	"maps"
	"slices"
)

// SessionText is a session's title and description in one language; an empty field falls back
// to the session's default.
type SessionText struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// SessionTranslations are a session's texts in the conference's other languages, by language
// code, stored as a JSON object in one text column.
type SessionTranslations map[string]SessionText

// Value encodes the translations as JSON ("{}" for none).
func (t SessionTranslations) Value() (driver.Value, error) {
	if len(t) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]SessionText(t))
	return string(b), err
}

// Scan decodes a JSON object from the database; NULL is no translations.
func (t *SessionTranslations) Scan(src any) error {
	if src == nil {
		*t = nil
		return nil
	}
	return scanJSON("session translations", src, (*map[string]SessionText)(t))
}

// Languages returns the languages the session is translated into, sorted.
func (t SessionTranslations) Languages() []string {
	return slices.Sorted(maps.Keys(t))
}

// Title is the title in lang, else def (the default language's).
func (t SessionTranslations) Title(lang, def string) string {
	if tr, ok := t[lang]; ok && tr.Title != "" {
		return tr.Title
	}
	return def
}

// Description is the description in lang, else def (the default language's).
func (t SessionTranslations) Description(lang, def string) string {
	if tr, ok := t[lang]; ok && tr.Description != "" {
		return tr.Description
	}
	return def
}

// Titles returns only the translated titles by language, nil when there is none.
func (t SessionTranslations) Titles() map[string]string {
	var out map[string]string
	for lang, tr := range t {
		if tr.Title == "" {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[lang] = tr.Title
	}
	return out
}

// TitleIn is the session's title in lang, falling back to its default title.
func (s *Session) TitleIn(lang string) string { return s.Translations.Title(lang, s.Title) }

// DescriptionIn is the session's description in lang, falling back to its default description.
func (s *Session) DescriptionIn(lang string) string {
	return s.Translations.Description(lang, s.Description)
}

// TitleIn is the released session's title in lang, falling back to its default title.
func (s *SnapshotSession) TitleIn(lang string) string { return s.Translations.Title(lang, s.Title) }

// DescriptionIn is the released session's description in lang, falling back to its default.
func (s *SnapshotSession) DescriptionIn(lang string) string {
	return s.Translations.Description(lang, s.Description)
}

// TitleIn is the changed session's title in lang, falling back to its default title.
func (c *AgendaChange) TitleIn(lang string) string {
	if t := c.Titles[lang]; t != "" {
		return t
	}
	return c.Title
}

// PreviousTitleIn is the renamed session's former title in lang ("" when it was not renamed).
func (c *AgendaChange) PreviousTitleIn(lang string) string {
	if c.PreviousTitle == "" {
		return ""
	}
	if t := c.PreviousTitles[lang]; t != "" {
		return t
	}
	return c.PreviousTitle
}
