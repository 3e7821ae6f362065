package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
)

// dirPageSize is how many organisations a page of the directory shows:
// the pages cost the same with 27 organisations or 2,700.
const dirPageSize = 30

// maxDirOffset bounds how deep the offset of the directory may go.
const maxDirOffset = 100_000

// The directory's query parameters, besides qpQuery, qpType, qpLevel and
// qpOffset of the library.
const qpLan = "lan"

var lanCode = regexp.MustCompile(`^[0-9]{2}$`)

// dirFilter is the search and filters of a directory page, as typed.
type dirFilter struct {
	Query  string
	Kind   account.OrgKind
	Level  account.Level
	Lan    string
	Offset int
}

// parseDirFilter reads the filter; values that do not parse are dropped.
func parseDirFilter(q url.Values) dirFilter {
	f := dirFilter{Query: strings.TrimSpace(q.Get(qpQuery))}
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	if k := account.OrgKind(q.Get(qpType)); slices.Contains(account.OrgKinds, k) {
		f.Kind = k
	}
	if l := account.Level(q.Get(qpLevel)); slices.Contains(account.Levels, l) {
		f.Level = l
	}
	if l := strings.TrimSpace(q.Get(qpLan)); lanCode.MatchString(l) {
		f.Lan = l
	}
	if n, err := strconv.Atoi(q.Get(qpOffset)); err == nil && n > 0 {
		f.Offset = min(n, maxDirOffset)
	}
	return f
}

// values returns the filter as query parameters, without the offset.
func (f dirFilter) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{qpQuery: f.Query, qpType: string(f.Kind), qpLevel: string(f.Level), qpLan: f.Lan} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// Filtered reports whether anything narrows the list.
func (f dirFilter) Filtered() bool {
	return f.Query != "" || f.Kind != "" || f.Level != "" || f.Lan != ""
}

type orgsPage struct {
	base
	Groups      []orgGroup
	Filter      dirFilter
	Kinds       []account.OrgKind
	Levels      []account.Level
	Action      string
	First, Last int
	PrevURL     string
	NextURL     string
}

type orgGroup struct {
	Level account.Level
	Orgs  []account.Organisation
}

// directory reads one page of organisations, national, regional, local,
// each by name in Swedish order, with what the page's form and links need.
// contacts says whether the page shows the contact persons.
func (s *Server) directory(r *http.Request, titleKey, action string, contacts bool) (*orgsPage, error) {
	p := &orgsPage{base: s.base(r, titleKey), Kinds: account.OrgKinds, Levels: account.Levels, Action: action}
	p.Filter = parseDirFilter(r.URL.Query())
	f := p.Filter
	orgs, err := s.cfg.Accounts.Organisations(r.Context(), p.Actor, account.OrgFilter{Query: f.Query, Kind: f.Kind,
		Level: f.Level, LanCode: f.Lan, Order: account.OrderDirectory, Limit: dirPageSize + 1, Offset: f.Offset, NoContacts: !contacts})
	if err != nil {
		return nil, err
	}
	v := f.values()
	if len(orgs) > dirPageSize {
		orgs = orgs[:dirPageSize]
		n := f.values()
		n.Set(qpOffset, strconv.Itoa(f.Offset+dirPageSize))
		p.NextURL = withQuery(action, n)
	}
	if f.Offset > 0 {
		if prev := max(f.Offset-dirPageSize, 0); prev > 0 {
			v.Set(qpOffset, strconv.Itoa(prev))
		}
		p.PrevURL = withQuery(action, v)
	}
	if len(orgs) > 0 {
		p.First, p.Last = f.Offset+1, f.Offset+len(orgs)
	}
	p.Groups = groupByLevel(orgs)
	return p, nil
}

// groupByLevel groups organisations, already in directory order, by level.
func groupByLevel(orgs []account.Organisation) []orgGroup {
	var out []orgGroup
	for _, o := range orgs {
		if len(out) == 0 || out[len(out)-1].Level != o.Level {
			out = append(out, orgGroup{Level: o.Level})
		}
		g := &out[len(out)-1]
		g.Orgs = append(g.Orgs, o)
	}
	return out
}
