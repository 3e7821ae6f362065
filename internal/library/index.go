package library

import (
	"encoding/hex"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/framsyn/framsyn/internal/search"
)

// Kind is the search document kind of works.
const Kind = "work"

// SearchDocument returns w as the search index holds it: the title; the
// summary, body, methods, themes and experience report as text; the
// visibility as scope; and tags for the filters of List. Its date is the
// work's own (zero when unknown, so an undated work has no year and sorts
// after the dated ones by "newest"), never the day it was added.
func (w *Work) SearchDocument() search.Document {
	var body strings.Builder
	for _, s := range []string{w.Summary, search.MarkdownText(w.BodyMD), strings.Join(w.Methods, ", "), strings.Join(w.Themes, ", ")} {
		if s != "" {
			body.WriteString(s)
			body.WriteString("\n")
		}
	}
	if w.Experience != nil {
		body.WriteString(w.Experience.text())
	}
	d := search.Document{
		Kind: Kind, ID: w.ID, Scope: search.Scope(w.Visibility), Owner: w.OrganisationID, Orgs: w.OrgIDs(),
		Title: w.Title, Body: strings.TrimSpace(body.String()), Date: w.Date,
		Tags: []string{search.Tag("type", string(w.Type))},
	}
	for _, m := range w.Methods {
		d.Tags = append(d.Tags, search.Tag("method", m))
	}
	for _, t := range w.Themes {
		d.Tags = append(d.Tags, search.Tag("theme", t))
	}
	if w.HorizonYear != 0 {
		d.Tags = append(d.Tags, search.Tag("horizon", strconv.Itoa(w.HorizonYear)))
	}
	if w.Experience != nil {
		d.Tags = append(d.Tags, search.Tag("experience", "yes"))
	}
	if !w.HasContent() {
		d.Tags = append(d.Tags, search.Tag("content", "missing"))
	}
	return d
}

// A collate.Collator is not safe for concurrent use.
var (
	collMu sync.Mutex
	coll   = collate.New(language.Swedish, collate.IgnoreCase)
	collBf collate.Buffer
)

// titleKeyRunes bounds the part of a title that orders it.
const titleKeyRunes = 60

// TitleKey returns the sort key of a title in Swedish order (å, ä, ö after
// z, case ignored), hex-encoded so both engines compare it byte by byte.
func TitleKey(title string) string {
	if r := []rune(title); len(r) > titleKeyRunes {
		title = string(r[:titleKeyRunes])
	}
	collMu.Lock()
	defer collMu.Unlock()
	k := hex.EncodeToString(coll.KeyFromString(&collBf, title))
	collBf.Reset()
	return k
}
