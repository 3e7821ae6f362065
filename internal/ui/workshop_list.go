package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The list of workshops and creating one.

// templateKeys are the templates the new-workshop form offers, the
// scenario cross first.
var templateKeys = []string{workshop.DefaultTemplate, workshop.TrendTemplate, workshop.BackcastingTemplate}

// workshopListPage is /workshoppar: the signed-in user's workshops, a form for a
// new one, and a join-code box for everyone.
type workshopListPage struct {
	base
	Workshops []workshop.Workshop
	Orgs      []account.Membership // organisations a new workshop may belong to
	Year      int
	Templates []string // the method templates a workshop is made from
	Template  string   // the one chosen (?mall= from a method guide)
	PrevURL   string
	NextURL   string
}

// workshopsPageSize is how many of one's workshops a page lists.
const workshopsPageSize = 30

// mine reads a page of the viewer's workshops, from the query's offset.
func (wp *workshopPages) mine(r *http.Request, p *workshopListPage) error {
	offset, err := strconv.Atoi(r.URL.Query().Get(qpOffset))
	if err != nil || offset < 0 {
		offset = 0
	}
	if p.Workshops, err = wp.svc.Workshops(r.Context(), p.Actor, offset, workshopsPageSize+1); err != nil {
		return err
	}
	if len(p.Workshops) > workshopsPageSize {
		p.Workshops = p.Workshops[:workshopsPageSize]
		p.NextURL = "/workshoppar?" + qpOffset + "=" + strconv.Itoa(offset+workshopsPageSize)
	}
	if offset > 0 {
		p.PrevURL = "/workshoppar"
		if prev := offset - workshopsPageSize; prev > 0 {
			p.PrevURL += "?" + qpOffset + "=" + strconv.Itoa(prev)
		}
	}
	return nil
}

func (wp *workshopPages) listWorkshops(w http.ResponseWriter, r *http.Request) error {
	p := &workshopListPage{base: wp.base(r, "workshop.list.title"), Year: time.Now().Year(), Templates: templateKeys,
		Template: r.URL.Query().Get("mall")}
	if p.Actor.SignedIn() {
		if err := wp.mine(r, p); err != nil {
			return err
		}
		p.Orgs = p.Actor.Memberships
	}
	wp.render(w, r, http.StatusOK, "workshops", p)
	return nil
}

func (wp *workshopPages) createWorkshop(w http.ResponseWriter, r *http.Request) error {
	p := &workshopListPage{base: wp.base(r, "workshop.list.title"), Year: time.Now().Year(), Templates: templateKeys,
		Template: r.PostFormValue("template")}
	in := workshop.Workshop{Title: r.PostFormValue("title"), FocalQuestion: r.PostFormValue("question"),
		Template: r.PostFormValue("template")}
	f := errs.Fields{}
	if v := strings.TrimSpace(r.PostFormValue("horizon")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f["horizon"] = "workshop.horizon_range"
		}
		in.HorizonYear = n
	} else {
		f["horizon"] = "workshop.horizon_range"
	}
	if v := r.PostFormValue("organisation"); v != "" && v != "0" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f["organisation"] = "error.choose"
		}
		in.OrganisationID = n
	}
	if v := strings.TrimSpace(r.PostFormValue("budget")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			f["budget"] = "workshop.budget_range"
		}
		in.DotBudget = n
	}
	ws, err := wp.svc.Create(r.Context(), p.Actor, in)
	if err == nil && len(f) > 0 {
		err = f.Err()
	}
	if err != nil {
		if e := errs.As(err); e.Kind == errs.Invalid {
			for k, v := range e.Fields {
				f[k] = v
			}
			err = f.Err()
		}
		p.Orgs = p.Actor.Memberships
		// The form is shown again whatever the list does.
		if err := wp.mine(r, p); err != nil || p.Workshops == nil {
			p.Workshops = []workshop.Workshop{}
		}
		return wp.formError(w, r, "workshops", p, err)
	}
	wp.redirect(w, r, paths.Workshop(ws.ID), "workshop.created")
	return nil
}
