package domain

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zimmerwald/zimmerwald/models"
)

// Limits of a session translation, as for the session's own title and description.
const (
	maxSessionTitle       = 300
	maxSessionDescription = 20000
)

// applyTranslations replaces sess's translations with in.Translations (nil leaves them as they
// are): each language must be one of the conference's, a block with neither title nor description
// is dropped, and the texts follow the rules of the session's own (field
// "translations.<lang>.title|description").
func (in *SessionInput) applyTranslations(conf *models.Conference, sess *models.Session) error {
	if in.Translations == nil {
		return nil
	}
	fe := models.FieldErrors{}
	out := models.SessionTranslations{}
	for lang, t := range in.Translations {
		if !slices.Contains(conf.Languages, lang) {
			fe.Set("translations", models.FieldInvalidLanguage, "must be languages of the conference: "+strings.Join(conf.Languages, ", "))
			continue
		}
		t.Title = strings.TrimSpace(t.Title)
		t.Description = strings.TrimSpace(strings.ReplaceAll(t.Description, "\r\n", "\n"))
		if t.Title == "" && t.Description == "" {
			continue // an empty language block means no translation
		}
		switch {
		case hasControlText(t.Title, false):
			fe.Set("translations."+lang+".title", models.FieldControlCharacters, "must not contain control characters")
		case utf8.RuneCountInString(t.Title) > maxSessionTitle:
			fe.Set("translations."+lang+".title", models.FieldTooLong, "must be at most 300 characters")
		}
		switch {
		case hasControlText(t.Description, true):
			fe.Set("translations."+lang+".description", models.FieldControlCharacters, "must not contain control characters")
		case utf8.RuneCountInString(t.Description) > maxSessionDescription:
			fe.Set("translations."+lang+".description", models.FieldTooLong, "must be at most 20000 characters")
		}
		out[lang] = t
	}
	if err := fe.Err(); err != nil {
		return err
	}
	sess.Translations = out
	return nil
}
