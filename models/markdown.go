package models

import (
	"context"
	"fmt"

	"github.com/zimmerwald/zimmerwald/internal/markdown"
)

// Markdown is rendered once, when it is written: every store method that writes a statement
// body, a translation or an amendment text also writes its sanitised HTML (body_html,
// text_html), and reads serve that column as it is, parsing nothing. Rows from before migration
// 00012 are rendered by renderPending, which Migrate runs after the SQL migrations.

// render stores the HTML of the statement's body.
func (st *Statement) render() { st.BodyHTML = markdown.Render(st.Body) }

// render stores the HTML of the translation's body.
func (tr *StatementTranslation) render() { tr.BodyHTML = markdown.Render(tr.Body) }

// render stores the HTML of the amendment's text.
func (a *Amendment) render() { a.TextHTML = markdown.Render(a.Text) }

// pendingMarkdown names, per table, the Markdown source column and the HTML column it renders to.
var pendingMarkdown = []struct{ table, src, html string }{
	{"statements", "body", "body_html"},
	{"statement_translations", "body", "body_html"},
	{"amendments", "text", "text_html"},
}

// renderPending renders the Markdown of rows whose HTML column is still NULL (written before
// migration 00012), a hundred rows per transaction. It is idempotent, so processes that start
// together may both run it.
func (s *Store) renderPending(ctx context.Context) (int, error) {
	n := 0
	for _, c := range pendingMarkdown {
		for {
			var rows []struct{ ID, Src string }
			err := s.write(ctx).Table(c.table).Select("id, " + c.src + " AS src").Where(c.html + " IS NULL").
				Order("id").Limit(100).Scan(&rows).Error
			if err != nil {
				return n, fmt.Errorf("render %s: %w", c.table, err)
			}
			if len(rows) == 0 {
				break
			}
			err = s.Tx(ctx, func(tx *Store) error {
				for _, r := range rows {
					if err := tx.write(ctx).Table(c.table).Where("id = ?", r.ID).Update(c.html, markdown.Render(r.Src)).Error; err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return n, fmt.Errorf("render %s: %w", c.table, err)
			}
			n += len(rows)
		}
	}
	return n, nil
}
