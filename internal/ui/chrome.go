package ui

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
)

// The viewer's chrome: the part of the site's header that is a signed-in
// viewer's own (template "usertools": their name, the admin link). A page
// rendered WithChromeHole has a marker there instead, and Chrome renders
// that part alone for a request, so app.viewerCache can keep one page for
// every viewer who sees the same lists and fill in each one's header.

type chromeHoleKey struct{}

// WithChromeHole marks a request whose page is rendered with the marker
// (ChromeMarker) in place of the viewer's own part of the header.
func WithChromeHole(ctx context.Context) context.Context {
	return context.WithValue(ctx, chromeHoleKey{}, true)
}

// HasChromeHole reports whether ctx asked for the hole (WithChromeHole).
func HasChromeHole(ctx context.Context) bool {
	hole, _ := ctx.Value(chromeHoleKey{}).(bool)
	return hole
}

// chromeMarker is a comment no content can forge: made once per process
// from random bytes, and a comment could only reach a page unescaped
// through a template, never through data.
var chromeMarker = func() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "<!--chrome " + hex.EncodeToString(b) + "-->"
}()

// ChromeMarker is what a page rendered WithChromeHole has where the
// viewer's part of the header goes.
func ChromeMarker() []byte { return []byte(chromeMarker) }

// ChromeHole is the marker when the request asked for a hole, else empty
// (the layout renders usertools).
func (b *base) ChromeHole() template.HTML { return b.chromeHole }

// Chrome renders the viewer's part of the header for r (its actor and
// language), as the layout would in place of the marker.
func (s *Server) Chrome(r *http.Request) ([]byte, error) {
	b := s.base(r, "")
	b.chromeHole = ""
	var buf bytes.Buffer
	t, err := s.tmpl.page("error")
	if err == nil {
		err = t.ExecuteTemplate(&buf, "usertools", &b)
	}
	if err != nil {
		return nil, fmt.Errorf("ui: chrome: %w", err)
	}
	return buf.Bytes(), nil
}
