package ui

import (
	"net/url"
	"strings"

	"github.com/framsyn/framsyn/internal/search"
)

// waysOn is what a search page offers when nothing was found: the query
// respelled from the index's vocabulary ("Menade du …?") and the filters
// without which something is found, as links.
type waysOn struct {
	Suggestion    string
	SuggestionURL string
	Drops         []dropLink
}

// dropLink is the page without one filter; Label is the catalogue key of
// the filter's name.
type dropLink struct{ Label, URL string }

// newWaysOn makes the links of a result's ways on for the page at path
// with parameters v; param names the parameter that sets a filter of
// search.Result.Drops ("" for one the page cannot drop).
func newWaysOn(path string, v url.Values, res *search.Result, param func(drop string) string) waysOn {
	var w waysOn
	if res.Suggestion != "" {
		n := cloneValues(v)
		n.Set("q", res.Suggestion)
		w.Suggestion, w.SuggestionURL = res.Suggestion, withQuery(path, n)
	}
	for _, d := range res.Drops {
		p := param(d)
		if p == "" || v.Get(p) == "" {
			continue
		}
		n := cloneValues(v)
		n.Del(p)
		w.Drops = append(w.Drops, dropLink{Label: "search.drop." + p, URL: withQuery(path, n)})
	}
	return w
}

func cloneValues(v url.Values) url.Values {
	n := url.Values{}
	for k, vs := range v {
		n[k] = vs
	}
	return n
}

// libraryDropParam names the library's parameter of a dropped filter.
func libraryDropParam(d string) string {
	switch d {
	case search.DropOrg:
		return qpOrg
	case search.DropOwners:
		return qpLevel
	case search.DropYear:
		return qpYear
	}
	for tag, p := range map[string]string{"type:": qpType, "method:": qpMethod, "theme:": qpTheme, "horizon:": qpHorizon} {
		if strings.HasPrefix(d, search.DropTag+tag) {
			return p
		}
	}
	return ""
}

// siteDropParam names /sok's parameter of a dropped filter.
func siteDropParam(d string) string {
	switch {
	case d == search.DropKind:
		return "slag"
	case d == search.DropOrg:
		return "organisation"
	case strings.HasPrefix(d, search.DropTag+"type:"):
		return "typ"
	}
	return ""
}
