// Package markdown renders user Markdown to HTML that is safe to show:
// goldmark renders, then bluemonday's UGC policy removes anything active.
// Never trust the renderer alone.
package markdown

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

var (
	md = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table),
		// @mentions: only a conversion given known handles (HTMLWith)
		// or collecting them (Mentions) makes any.
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(mentionParser{}, 600))),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(mentionRenderer{}, 600))))
	policy = newPolicy()
)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.AllowAttrs("class").Matching(mentionClass).OnElements("span")
	p.AllowAttrs("title").OnElements("span")
	return p
}

// cache keeps rendered HTML by source: descriptions are read far more often
// than written, and rendering plus sanitising costs ~100 µs each.
var cache = struct {
	sync.RWMutex
	m map[string]template.HTML
}{m: map[string]template.HTML{}}

const cacheMax = 4096

// HTML renders src as sanitised HTML.
func HTML(src string) template.HTML {
	return cached(src, func() template.HTML { return render(src) })
}

// cached returns the HTML kept under key, or makes and keeps it.
func cached(key string, make func() template.HTML) template.HTML {
	cache.RLock()
	h, ok := cache.m[key]
	cache.RUnlock()
	if ok {
		return h
	}
	h = make()
	cache.Lock()
	if len(cache.m) >= cacheMax {
		clear(cache.m) // simple bound; a full cache is refilled by use
	}
	cache.m[key] = h
	cache.Unlock()
	return h
}

func render(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark only fails on writer errors; show the text escaped.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes())) //nolint:gosec // sanitised above
}
