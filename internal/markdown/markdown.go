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
)

var (
	md     = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table))
	policy = newPolicy()
)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
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
	cache.RLock()
	h, ok := cache.m[src]
	cache.RUnlock()
	if ok {
		return h
	}
	h = render(src)
	cache.Lock()
	if len(cache.m) >= cacheMax {
		clear(cache.m) // simple bound; a full cache is refilled by use
	}
	cache.m[src] = h
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
