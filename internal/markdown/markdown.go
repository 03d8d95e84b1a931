package markdown

import (
	"bytes"
	"regexp"
	"sync/atomic"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// LinkRel is the rel attribute of every link in rendered HTML.
const LinkRel = "nofollow noopener"

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(safeLinks{}, 100))),
	)
	policy  = newPolicy()
	renders atomic.Int64
)

// Renders reports how many times Render has run in this process: reads serve HTML stored at
// write time, and tests use this count to show that they parse nothing.
func Renders() int64 { return renders.Load() }

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^nofollow noopener$`)).OnElements("a")
	return p
}

// Render turns Markdown into sanitised HTML. Raw HTML in the source is dropped, links keep only
// safe schemes, and images are rendered as links to the image. Nesting, indentation, links and
// size are limited first (see tame), so the cost stays linear in the source.
func Render(src string) string {
	renders.Add(1)
	src = tame(src)
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark writes to a bytes.Buffer, which cannot fail; keep the source as escaped text.
		return policy.Sanitize("<p>" + bluemonday.StrictPolicy().Sanitize(src) + "</p>")
	}
	return policy.Sanitize(buf.String())
}

// safeLinks marks every link rel="nofollow noopener" and replaces images by links to them.
type safeLinks struct{}

// Transform walks the document once.
func (safeLinks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var images []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Link, *ast.AutoLink:
			n.SetAttributeString("rel", []byte(LinkRel))
		case *ast.Image:
			images = append(images, v)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		link := ast.NewLink()
		link.Destination = img.Destination
		link.Title = img.Title
		link.SetAttributeString("rel", []byte(LinkRel))
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		if img.Parent() != nil {
			img.Parent().ReplaceChild(img.Parent(), img, link)
		}
	}
}
