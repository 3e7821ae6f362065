package ui

import (
	"html/template"
	"regexp"
)

// contentLangRE is a language tag as works record it ("sv", "en", "se",
// "sv-FI"); anything else is not written into a page.
var contentLangRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// ContentLang is the lang attribute of an element holding what people
// wrote (a title, a summary, a post, a story), in the language lang, or
// Swedish, the network's, when none is given: ` lang="sv"` on a page in
// another language, nothing where the page's language says it already
// (WCAG 3.1.2, language of parts).
func (b *base) ContentLang(lang ...string) template.HTMLAttr {
	l := "sv"
	if len(lang) > 0 && lang[0] != "" {
		l = lang[0]
	}
	if b.Translator == nil || l == b.Translator.Lang || !contentLangRE.MatchString(l) {
		return ""
	}
	return template.HTMLAttr(` lang="` + l + `"`)
}
