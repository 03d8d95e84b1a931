package models

import (
	"context"
	"errors"
	"regexp"
	"strings"
)

// SaveTranslation creates or replaces the translation of a statement into tr.Language and
// reports whether it was new.
func (s *Store) SaveTranslation(ctx context.Context, tr *StatementTranslation) (bool, error) {
	created := false
	tr.render()
	err := s.Tx(ctx, func(tx *Store) error {
		var old StatementTranslation
		err := tx.write(ctx).Where("statement_id = ? AND language = ?", tr.StatementID, tr.Language).Take(&old).Error
		if errors.Is(notFound(err), ErrNotFound) {
			created = true
			tr.ID = NewID()
			return notFound(tx.write(ctx).Create(tr).Error)
		}
		if err != nil {
			return err
		}
		tr.ID, tr.CreatedAt = old.ID, old.CreatedAt
		return notFound(tx.write(ctx).Save(tr).Error)
	})
	return created, err
}

// Translations returns the translations into lang of the given statements, by statement ID.
func (s *Store) Translations(ctx context.Context, statementIDs []string, lang string) (map[string]StatementTranslation, error) {
	out := map[string]StatementTranslation{}
	if len(statementIDs) == 0 || lang == "" {
		return out, nil
	}
	var trs []StatementTranslation
	if err := s.read(ctx).Where("statement_id IN ? AND language = ?", statementIDs, lang).Find(&trs).Error; err != nil {
		return nil, err
	}
	for _, tr := range trs {
		out[tr.StatementID] = tr
	}
	return out, nil
}

// TranslationLanguages returns the languages each of the given statements is translated into,
// sorted, by statement ID.
func (s *Store) TranslationLanguages(ctx context.Context, statementIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(statementIDs) == 0 {
		return out, nil
	}
	var rows []StatementTranslation
	if err := s.read(ctx).Select("statement_id", "language").Where("statement_id IN ?", statementIDs).Order("language").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.StatementID] = append(out[r.StatementID], r.Language)
	}
	return out, nil
}

// StatementVersions returns every version of a statement, oldest first.
func (s *Store) StatementVersions(ctx context.Context, statementID string) ([]StatementVersion, error) {
	var vs []StatementVersion
	err := s.read(ctx).Where("statement_id = ?", statementID).Order("version").Find(&vs).Error
	return vs, err
}

// StatementVersion returns version n of a statement.
func (s *Store) StatementVersion(ctx context.Context, statementID string, n int) (*StatementVersion, error) {
	var v StatementVersion
	if err := s.read(ctx).Where("statement_id = ? AND version = ?", statementID, n).Take(&v).Error; err != nil {
		return nil, notFound(err)
	}
	return &v, nil
}

// AddComment records a reviewer's comment on a statement.
func (s *Store) AddComment(ctx context.Context, c *StatementComment) error {
	if c.ID == "" {
		c.ID = NewID()
	}
	return notFound(s.write(ctx).Create(c).Error)
}

// Comments returns the comments on a statement, oldest first.
func (s *Store) Comments(ctx context.Context, statementID string) ([]StatementComment, error) {
	var cs []StatementComment
	err := s.read(ctx).Where("statement_id = ?", statementID).Order("created_at, id").Find(&cs).Error
	return cs, err
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)*`)

// Paragraphs splits Markdown text into its paragraphs: blocks separated by blank lines.
func Paragraphs(body string) []string {
	body = strings.Trim(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	if strings.TrimSpace(body) == "" {
		return nil
	}
	return blankLines.Split(body, -1)
}

// ErrNoParagraph is returned when an amendment names a paragraph the text does not have.
var ErrNoParagraph = errors.New("no such paragraph")

// ReplaceParagraph returns body with its paragraph n (1-based) replaced by text; n == 0 replaces
// the whole body.
func ReplaceParagraph(body string, n int, text string) (string, error) {
	text = strings.Trim(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	if n == 0 {
		return text, nil
	}
	ps := Paragraphs(body)
	if n < 1 || n > len(ps) {
		return "", ErrNoParagraph
	}
	ps[n-1] = text
	return strings.Join(ps, "\n\n"), nil
}
