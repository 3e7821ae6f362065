package search

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// The same extensions as internal/markdown, so text and rendering agree.
var mdParser = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table)).Parser()

// MarkdownText returns the readable text of Markdown source, for indexing
// and snippets: the words without markup, link targets or raw HTML, one
// line per block.
func MarkdownText(src string) string {
	source := []byte(src)
	doc := mdParser.Parse(text.NewReader(source))
	var b strings.Builder
	space := func() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if _, cell := n.(*east.TableCell); cell {
				b.WriteByte(' ')
			} else if n.Type() == ast.TypeBlock && b.Len() > 0 {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(n.Segment.Value(source))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			space()
			b.Write(n.Label(source))
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(source))
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(foldLines(b.String()))
}

// foldLines drops blank lines and trailing spaces.
func foldLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
