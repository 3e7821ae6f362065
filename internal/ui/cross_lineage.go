package ui

import (
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
)

// The lineage tree, the comparison and the revisions of crosses.

// crossLineagePage is the tree of a cross's lineage, with boxes to pick
// crosses to compare.
type crossLineagePage struct {
	base
	L *cross.Lineage
}

func (cp *crossPages) showLineage(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	p := &crossLineagePage{base: cp.base(r, "cross.lineage.title")}
	if p.L, err = cp.svc.Lineage(r.Context(), p.Actor, id); err != nil {
		return err
	}
	cp.render(w, r, http.StatusOK, "cross_lineage", p)
	return nil
}

// crossComparePage is two to four crosses side by side.
type crossComparePage struct {
	base
	C *cross.Comparison
}

// SVG draws the cross of column i, with ids of its own.
func (p *crossComparePage) SVG(i int) template.HTML {
	return drawCross(crossDrawingOf(p.C.Columns[i].Cross, "cmp"+strconv.Itoa(i), p.T))
}

func (cp *crossPages) compareCrosses(w http.ResponseWriter, r *http.Request) error {
	var ids []int64
	for _, s := range r.URL.Query()["id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return errs.E(errs.NotFound, "error.not_found")
		}
		ids = append(ids, id)
	}
	p := &crossComparePage{base: cp.base(r, "cross.compare.title")}
	c, err := cp.svc.Compare(r.Context(), p.Actor, ids)
	if err != nil {
		return err
	}
	p.C = c
	cp.render(w, r, http.StatusOK, "cross_compare", p)
	return nil
}

// crossRevisionsPage lists a cross's saved versions.
type crossRevisionsPage struct {
	base
	Cross     *cross.Cross
	Revisions []cross.Revision
}

func (cp *crossPages) showRevisions(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	p := &crossRevisionsPage{base: cp.base(r, "cross.revisions.title")}
	if p.Cross, p.Revisions, err = cp.svc.Revisions(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	cp.render(w, r, http.StatusOK, "cross_revisions", p)
	return nil
}

// restoreRevision makes an old version current again as a new one. The
// form sends the version the page showed, so a cross saved meanwhile is
// a conflict rather than silently overwritten.
func (cp *crossPages) restoreRevision(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	n, err := httpx.Int(r, "n")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	if _, err := cp.svc.Editable(r.Context(), a, id); err != nil {
		return err // rights first: a bad form says nothing of a hidden cross
	}
	seen, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || seen <= 0 {
		return errs.E(errs.Invalid, "error.invalid")
	}
	if _, err := cp.svc.Restore(r.Context(), a, id, n, seen); err != nil {
		return err
	}
	cp.redirect(w, r, paths.CrossRevisions(id), "cross.revisions.restored")
	return nil
}

// TreeHTML draws the tree as nested lists, in Go rather than a
// recursive template: a lineage of 500 crosses is 500 list items, and the
// template engine's reflection per field made the page ten times slower.
func (p *crossLineagePage) TreeHTML() template.HTML {
	if p.L.Root == nil {
		return ""
	}
	e := html.EscapeString
	level := map[cross.Level]string{}
	for _, l := range cross.Levels {
		level[l] = e(p.T("cross.level." + string(l)))
	}
	changes := map[string]string{}
	for _, ax := range []string{"x", "y"} {
		for _, ch := range []cross.Change{cross.Renamed, cross.Replaced} {
			changes[ax+string(ch)] = `<span class="tag change-` + string(ch) + `">` + e(p.T("cross.axis_"+ax)+": "+p.T("cross.change."+string(ch))) + `</span>`
		}
	}
	hidden, this, open := e(p.T("cross.lineage.hidden")), e(p.T("cross.lineage.this")), e(p.T("cross.lineage.open_short"))
	var b strings.Builder
	b.Grow(p.L.Size*600 + 64) // one item is ~500 bytes: one allocation for the page
	w := b.WriteString
	var walk func(n *cross.TreeNode)
	walk = func(n *cross.TreeNode) {
		if n.Current {
			w(`<li class="current">`)
		} else {
			w(`<li>`)
		}
		if n.Hidden {
			w(`<span class="muted hidden-node">`)
			w(hidden)
			w(`</span>`)
		} else {
			id := strconv.FormatInt(n.ID, 10)
			title := e(n.Title)
			w(`<input type="checkbox" name="id" value="`)
			w(id)
			w(`" id="pick-`)
			w(id)
			w(`" aria-describedby="pick-hint"`)
			if n.Current {
				w(` checked`)
			}
			w(`> <label for="pick-`)
			w(id)
			w(`" class="inline-label">`)
			if n.Current {
				w(`<strong>`)
				w(title)
				w(`</strong> <span class="muted">(`)
				w(this)
				w(`)</span>`)
			} else {
				w(title)
			}
			w(`</label> <a href="/scenariekors/`)
			w(id)
			w(`" aria-label="`)
			w(e(p.T("cross.lineage.open", n.Title)))
			w(`">`)
			w(open)
			w(`</a> <span class="muted">`)
			w(e(n.OrgName))
			w(` · `)
			w(level[n.Level])
			if n.Domain != "" {
				w(` · `)
				w(e(p.CrossDomain(n.Domain)))
			}
			w(`</span>`)
			for _, ch := range n.Changes {
				w(changes[ch.Axis+string(ch.Change)])
			}
		}
		if len(n.Children) > 0 {
			w(`<ul>`)
			for _, c := range n.Children {
				walk(c)
			}
			w(`</ul>`)
		}
		w("</li>\n")
	}
	b.WriteString(`<ul class="lineage">`)
	walk(p.L.Root)
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}
