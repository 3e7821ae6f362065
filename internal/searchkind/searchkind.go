// Package searchkind says what a search hit is to a person: each document
// kind of the search index (search.Document.Kind) registers a label and a
// way to find the page its hits link to. The site search page and the
// JSON API share one Registry, so an area that indexes a new kind (posts,
// later signals and crosses) adds one Kind and both front ends show it.
package searchkind

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
)

// Kind is one kind of search document as people see it.
type Kind struct {
	Name  string // the document kind, e.g. "work"
	Label string // catalogue key of its name, e.g. "search.kind.work"
	// Links returns the site path of each of ids that a may see; an id
	// without a path is dropped from the results, so a stale index entry
	// or a visibility mismatch never shows.
	Links func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error)
	// Dates, if set, returns the own date of each of ids that a may see
	// with its precision, which a hit then shows instead of the index's
	// date (for a work without a date, the day it was added).
	Dates func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]Dated, error)
}

// Dated is a document's own date as precisely as its source gives it.
type Dated struct {
	Date      time.Time
	Precision library.DatePrecision
	Lang      string // the language it is written in, "" for Swedish
}

// Registry is the set of kinds, in the order filters list them.
type Registry struct {
	kinds []Kind
}

// New returns a registry of kinds.
func New(kinds ...Kind) *Registry {
	r := &Registry{}
	for _, k := range kinds {
		r.Add(k)
	}
	return r
}

// Add registers a kind; registering a name again replaces it.
func (r *Registry) Add(k Kind) {
	for i := range r.kinds {
		if r.kinds[i].Name == k.Name {
			r.kinds[i] = k
			return
		}
	}
	r.kinds = append(r.kinds, k)
}

// Kinds returns the registered kinds in order.
func (r *Registry) Kinds() []Kind { return append([]Kind(nil), r.kinds...) }

// Names returns the registered kind names in order.
func (r *Registry) Names() []string {
	out := make([]string, len(r.kinds))
	for i, k := range r.kinds {
		out[i] = k.Name
	}
	return out
}

// Get returns the kind with the name.
func (r *Registry) Get(name string) (Kind, bool) {
	for _, k := range r.kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Result is a hit with where it leads.
type Result struct {
	search.Hit
	Label string // catalogue key of the kind's name
	Path  string // site path of the page, e.g. "/bibliotek/region-artica"
	// DatePrecision is set for a kind with Dates: Hit.Date is then the
	// document's own date at that precision (zero when unknown).
	DatePrecision library.DatePrecision
	// Lang is the language of the document's text when its kind records
	// one (works), else "": Swedish, the network's.
	Lang string
}

// Resolve returns the hits that a may see and that have a page, with
// their paths, in the order of hits. Hits of unregistered kinds are
// dropped.
func (r *Registry) Resolve(ctx context.Context, a *account.Actor, hits []search.Hit) ([]Result, error) {
	byKind := map[string][]int64{}
	for _, h := range hits {
		byKind[h.Kind] = append(byKind[h.Kind], h.ID)
	}
	links := map[string]map[int64]string{}
	dates := map[string]map[int64]Dated{}
	for name, ids := range byKind {
		k, ok := r.Get(name)
		if !ok {
			continue
		}
		m, err := k.Links(ctx, a, ids)
		if err != nil {
			return nil, err
		}
		links[name] = m
		if k.Dates != nil {
			if dates[name], err = k.Dates(ctx, a, ids); err != nil {
				return nil, err
			}
		}
	}
	out := make([]Result, 0, len(hits))
	for _, h := range hits {
		if p, ok := links[h.Kind][h.ID]; ok {
			k, _ := r.Get(h.Kind)
			res := Result{Hit: h, Label: k.Label, Path: p}
			if k.Dates != nil {
				d, ok := dates[h.Kind][h.ID]
				if !ok || d.Precision == "" {
					d = Dated{Precision: library.DateUnknown}
				}
				res.Date, res.DatePrecision, res.Lang = d.Date, d.Precision, d.Lang
			}
			out = append(out, res)
		}
	}
	return out, nil
}

// WorkPath is the page of a work.
func WorkPath(slug string) string { return "/bibliotek/" + slug }

// OrganisationPath is the page of an organisation.
func OrganisationPath(slug string) string { return "/organisationer/" + slug }

// Work is the kind of library works: each hit is loaded through the
// library, which checks that a may see it.
func Work(lib *library.Service) Kind {
	return Kind{Name: library.Kind, Label: "search.kind.work",
		Links: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error) {
			works, err := lib.Visible(ctx, a, ids)
			if err != nil {
				return nil, err
			}
			out := make(map[int64]string, len(works))
			for _, w := range works {
				out[w.ID] = WorkPath(w.Slug)
			}
			return out, nil
		},
		Dates: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]Dated, error) {
			works, err := lib.Visible(ctx, a, ids)
			if err != nil {
				return nil, err
			}
			out := make(map[int64]Dated, len(works))
			for _, w := range works {
				out[w.ID] = Dated{Date: w.Date, Precision: w.DatePrecision, Lang: w.Language}
			}
			return out, nil
		}}
}

// Organisation is the kind of organisations: hits link to the profile
// pages of the organisations a may see, loaded by id (a page of hits, not
// the whole network).
func Organisation(acc *account.Service) Kind {
	return Kind{Name: account.OrganisationKind, Label: "search.kind.organisation",
		Links: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error) {
			orgs, err := acc.Organisations(ctx, a, account.OrgFilter{IDs: ids})
			if err != nil {
				return nil, err
			}
			out := make(map[int64]string, len(orgs))
			for _, o := range orgs {
				out[o.ID] = OrganisationPath(o.Slug)
			}
			return out, nil
		}}
}
