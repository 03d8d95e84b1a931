package models_test

import (
	"context"
	"strings"
	"testing"

	"github.com/zimmerwald/zimmerwald/internal/markdown"
	"github.com/zimmerwald/zimmerwald/models"
	"github.com/zimmerwald/zimmerwald/models/modelstest"
)

// TestMarkdownIsRenderedWhenWrittenAndBackfilled: writing a statement, a translation or an
// amendment stores its sanitised HTML; rows left with no HTML (as before migration 00012) are
// rendered by Migrate; and the HTML column is what is read back, verbatim.
func TestMarkdownIsRenderedWhenWrittenAndBackfilled(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, st *models.Store) {
		ctx := context.Background()
		if _, err := st.LoadDemo(ctx); err != nil {
			t.Fatal(err)
		}
		db := st.WriterForTest()
		type row struct{ ID, Src, HTML string }
		rows := func(table, src, html string) []row {
			var out []row
			if err := db.Table(table).Select("id, " + src + " AS src, COALESCE(" + html + ", '') AS html").Scan(&out).Error; err != nil {
				t.Fatal(err)
			}
			if len(out) == 0 {
				t.Fatalf("%s: the demo has no rows", table)
			}
			return out
		}
		tables := [][3]string{{"statements", "body", "body_html"}, {"statement_translations", "body", "body_html"}, {"amendments", "text", "text_html"}}
		for _, c := range tables {
			for _, r := range rows(c[0], c[1], c[2]) {
				if want := markdown.Render(r.Src); r.HTML != want || !strings.HasPrefix(r.HTML, "<p>") {
					t.Errorf("%s %s: stored %.60q, want the rendered %.60q", c[0], r.ID, r.HTML, want)
				}
			}
			if err := db.Exec("UPDATE " + c[0] + " SET " + c[2] + " = NULL").Error; err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, c := range tables {
			for _, r := range rows(c[0], c[1], c[2]) {
				if r.HTML != markdown.Render(r.Src) {
					t.Errorf("%s %s after migrate: got %.60q, want it rendered", c[0], r.ID, r.HTML)
				}
			}
		}
		// Reads serve the column as stored.
		var id string
		if err := db.Table("statements").Select("id").Limit(1).Row().Scan(&id); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("UPDATE statements SET body_html = ? WHERE id = ?", "<p>stored, not parsed</p>", id).Error; err != nil {
			t.Fatal(err)
		}
		s, err := st.Statement(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if s.BodyHTML != "<p>stored, not parsed</p>" {
			t.Errorf("read back %q, want the stored HTML", s.BodyHTML)
		}
	})
}
