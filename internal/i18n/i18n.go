// Package i18n holds the UI string catalogues, one JSON file per language.
// Swedish (sv.json) is the reference; a test keeps en.json to the same keys.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"

	"golang.org/x/text/language"
)

//go:embed *.json
var files embed.FS

// Languages lists the supported languages, the default first.
var Languages = []string{"sv", "en"}

var matcher = language.NewMatcher([]language.Tag{language.Swedish, language.English})

// Catalogue maps each language to its messages.
type Catalogue map[string]map[string]string

// Load reads the embedded catalogues.
func Load() (Catalogue, error) {
	c := Catalogue{}
	for _, lang := range Languages {
		b, err := files.ReadFile(lang + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s.json: %w", lang, err)
		}
		c[lang] = m
	}
	return c, nil
}

// MustLoad is Load for program start and tests.
func MustLoad() Catalogue {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Keys returns the sorted keys of one language.
func (c Catalogue) Keys(lang string) []string {
	keys := make([]string, 0, len(c[lang]))
	for k := range c[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Translator translates keys for one request's language.
type Translator struct {
	Lang string
	msgs map[string]string
	ref  map[string]string
}

// For returns the translator of a language, falling back to Swedish.
func (c Catalogue) For(lang string) *Translator {
	if _, ok := c[lang]; !ok {
		lang = Languages[0]
	}
	return &Translator{Lang: lang, msgs: c[lang], ref: c[Languages[0]]}
}

// T returns the message for key, formatted with args when given. A missing
// key shows itself, so it is seen and fixed rather than hidden.
func (t *Translator) T(key string, args ...any) string {
	msg, ok := t.msgs[key]
	if !ok {
		if msg, ok = t.ref[key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has reports whether key exists in the catalogue.
func (t *Translator) Has(key string) bool {
	_, ok := t.ref[key]
	return ok
}

// CookieName is the cookie holding a person's chosen language.
const CookieName = "framsyn_lang"

// Negotiate picks the language of a page: the one the visitor chose with
// the language switch (the cookie), else Swedish. Not Accept-Language:
// Swedish offices often run browsers in English, and a Swedish service is
// in Swedish until someone asks otherwise.
func Negotiate(r *http.Request) string {
	if c, err := r.Cookie(CookieName); err == nil && Supported(c.Value) {
		return c.Value
	}
	return Languages[0]
}

// NegotiateHeader picks the language of an API answer: the cookie, then
// Accept-Language, which a program sets on purpose, then Swedish.
func NegotiateHeader(r *http.Request) string {
	if c, err := r.Cookie(CookieName); err == nil && Supported(c.Value) {
		return c.Value
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return Languages[0]
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return Languages[0]
	}
	return Languages[idx]
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}
