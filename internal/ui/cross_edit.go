package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
)

// Creating, editing and deriving a cross: one form in three modes.

// crossFormPage is the form of a cross.
type crossFormPage struct {
	base
	Mode         string // new, edit, derive
	Cross        *cross.Cross
	Parent       *cross.Cross // derive: the cross adapted
	Action       string
	Orgs         []account.OrgRef // the organisations the cross may belong to
	All          []account.Organisation
	Domains      []string
	Levels       []cross.Level
	Statuses     []cross.Status
	Visibilities []cross.Visibility
	Changes      []cross.Change
	Quadrants    []int
	Choice       *cross.DriverChoice // the workshops to link drivers from, and the chosen one's drivers
}

// DriversHidden reports whether the cross links to drivers of a workshop
// the editor does not take part in: the form keeps them as they are, or
// drops them, and names nothing of them.
func (p *crossFormPage) DriversHidden() bool {
	return p.Cross.HasDrivers() && p.Cross.DriverWorkshopID != 0 && p.Choice.Chosen == nil
}

// DriverTicked reports whether axis name links to the driver id.
func (p *crossFormPage) DriverTicked(name string, id int64) bool {
	return slices.Contains(p.Cross.Axis(name).DriverIDs, id)
}

// formField is one field of the cross form, for the cross_field partial.
type formField struct {
	ID, Label, Hint, Kind, Value, Error string
	Max, Rows                           int
}

// Field describes the field name with its label key, kind (text, textarea,
// number, lines) and value.
func (p *crossFormPage) Field(name, label, kind string, value any) formField {
	f := formField{ID: name, Label: p.T(label), Kind: kind, Max: cross.MaxShortLen, Rows: 3}
	if p.Has(label + "_hint") {
		f.Hint = p.T(label + "_hint")
	}
	switch v := value.(type) {
	case string:
		f.Value = v
	case int:
		if v != 0 {
			f.Value = strconv.Itoa(v)
		}
	case []string:
		f.Value = strings.Join(v, "\n")
	}
	switch {
	case name == "title":
		f.Max = cross.MaxTitleLen
	case name == "question":
		f.Max = cross.MaxQuestionLen
	case strings.HasSuffix(name, "_story"):
		f.Max, f.Rows = cross.MaxStoryLen, 8
	case kind == "textarea" || kind == "lines":
		f.Max = cross.MaxTextLen
	}
	f.Error = p.FieldError(name)
	return f
}

// Selected reports whether the cross's co-organisations include id.
func (p *crossFormPage) Selected(id int64) bool {
	return slices.Contains(p.Cross.CoOrganisationIDs, id)
}

func (cp *crossPages) formPage(r *http.Request, mode string, c *cross.Cross) (*crossFormPage, error) {
	title := map[string]string{"new": "cross.new.title", "edit": "cross.edit.title", "derive": "cross.derive.title"}[mode]
	p := &crossFormPage{base: cp.base(r, title), Mode: mode, Cross: c, Levels: cross.Levels, Statuses: cross.Statuses,
		Visibilities: cross.Visibilities, Changes: cross.Changes, Quadrants: []int{1, 2, 3, 4}}
	for _, m := range cp.editableOrgs(p.Actor) {
		p.Orgs = append(p.Orgs, account.OrgRef{ID: m.OrganisationID, Name: m.OrgName, Slug: m.OrgSlug})
	}
	all, err := cp.cfg.Accounts.Organisations(r.Context(), p.Actor, account.OrgFilter{})
	if err != nil {
		return nil, err
	}
	sortByName(all)
	p.All = all
	if p.Actor.IsAdmin() && len(p.Orgs) == 0 {
		for _, o := range all {
			p.Orgs = append(p.Orgs, account.OrgRef{ID: o.ID, Name: o.Name, Slug: o.Slug})
		}
	}
	if c.OrganisationID != 0 && !slices.ContainsFunc(p.Orgs, func(o account.OrgRef) bool { return o.ID == c.OrganisationID }) && c.OrgName != "" {
		p.Orgs = append(p.Orgs, account.OrgRef{ID: c.OrganisationID, Name: c.OrgName})
	}
	if p.Domains, err = cp.svc.Domains(r.Context()); err != nil {
		return nil, err
	}
	if p.Choice, err = cp.svc.DriverChoices(r.Context(), p.Actor, c.DriverWorkshopID); err != nil {
		return nil, err
	}
	return p, nil
}

// loadingDrivers reports whether the form was sent to show the drivers
// of the workshop chosen rather than to save: without JavaScript, the
// form comes back with its input and the drivers to tick.
func loadingDrivers(r *http.Request) bool { return r.PostFormValue("load_drivers") != "" }

// showForm renders the form, with the errors of err when it is Invalid.
func (cp *crossPages) showForm(w http.ResponseWriter, r *http.Request, p *crossFormPage, err error) error {
	status := http.StatusOK
	if err != nil {
		e := errs.As(err)
		if e.Kind != errs.Invalid {
			return err
		}
		status = http.StatusUnprocessableEntity
		p.Errors = e.Fields
		if len(e.Fields) == 0 {
			p.Error = e.Key
		}
	}
	cp.render(w, r, status, "cross_form", p)
	return nil
}

// blankCross is a new cross with four empty quadrants.
func blankCross() *cross.Cross {
	c := &cross.Cross{Horizon: 2050, Level: cross.LevelRegional, Status: cross.StatusDraft, Visibility: cross.Visibilities[0]}
	for q := 1; q <= 4; q++ {
		c.Scenarios = append(c.Scenarios, cross.Scenario{Quadrant: q})
	}
	return c
}

// mayAdd refuses those who publish crosses for no organisation.
func (cp *crossPages) mayAdd(a *account.Actor) error {
	if len(cp.editableOrgs(a)) == 0 && !a.IsAdmin() {
		return errs.E(errs.Forbidden, "cross.forbidden")
	}
	return nil
}

func (cp *crossPages) newCross(w http.ResponseWriter, r *http.Request) error {
	if err := cp.mayAdd(account.ActorFrom(r.Context())); err != nil {
		return err
	}
	p, err := cp.formPage(r, "new", blankCross())
	if err != nil {
		return err
	}
	p.Action = paths.Crosses
	return cp.showForm(w, r, p, nil)
}

func (cp *crossPages) createCross(w http.ResponseWriter, r *http.Request) error {
	c := crossFromForm(r)
	if loadingDrivers(r) {
		if err := cp.mayAdd(account.ActorFrom(r.Context())); err != nil {
			return err
		}
		p, err := cp.formPage(r, "new", c)
		if err != nil {
			return err
		}
		p.Action = paths.Crosses
		return cp.showForm(w, r, p, nil)
	}
	saved, err := cp.svc.Create(r.Context(), account.ActorFrom(r.Context()), c)
	if err != nil {
		p, perr := cp.formPage(r, "new", c)
		if perr != nil {
			return perr
		}
		p.Action = paths.Crosses
		return cp.showForm(w, r, p, err)
	}
	cp.redirect(w, r, paths.Cross(saved.ID), "cross.saved")
	return nil
}

func (cp *crossPages) editCross(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	c, err := cp.svc.Editable(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	p, err := cp.formPage(r, "edit", c)
	if err != nil {
		return err
	}
	p.Action = paths.Cross(id)
	return cp.showForm(w, r, p, nil)
}

func (cp *crossPages) updateCross(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	c := crossFromForm(r)
	c.ID = id
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	a := account.ActorFrom(r.Context())
	var saved *cross.Cross
	if !loadingDrivers(r) {
		saved, err = cp.svc.Update(r.Context(), a, c, version)
	}
	if err != nil || saved == nil {
		if err != nil && errs.KindOf(err) != errs.Invalid {
			return err
		}
		old, oerr := cp.svc.Editable(r.Context(), a, id)
		if oerr != nil {
			return oerr
		}
		c.Version, c.OrgName, c.DerivedFrom = old.Version, old.OrgName, old.DerivedFrom
		if saved == nil && err == nil && version > 0 {
			c.Version = version // the version the form was opened at, not one saved meanwhile
		}
		p, perr := cp.formPage(r, "edit", c)
		if perr != nil {
			return perr
		}
		p.Action = paths.Cross(id)
		return cp.showForm(w, r, p, err)
	}
	cp.redirect(w, r, paths.Cross(saved.ID), "cross.saved")
	return nil
}

func (cp *crossPages) deriveForm(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	parent, err := cp.svc.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := cp.mayAdd(a); err != nil {
		return err
	}
	c := cross.DeriveDraft(parent)
	c.OrganisationID, c.OrgName = 0, ""
	if orgs := cp.editableOrgs(a); len(orgs) > 0 {
		c.OrganisationID = orgs[0].OrganisationID
	}
	p, err := cp.formPage(r, "derive", c)
	if err != nil {
		return err
	}
	p.Parent, p.Action = parent, paths.CrossDerive(id)
	return cp.showForm(w, r, p, nil)
}

func (cp *crossPages) deriveCross(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	c := crossFromForm(r)
	var saved *cross.Cross
	if !loadingDrivers(r) {
		saved, err = cp.svc.Derive(r.Context(), a, id, c)
	} else if err = cp.mayAdd(a); err != nil {
		return err
	}
	if err != nil || saved == nil {
		if err != nil && errs.KindOf(err) != errs.Invalid {
			return err
		}
		parent, perr := cp.svc.Get(r.Context(), a, id)
		if perr != nil {
			return perr
		}
		p, perr := cp.formPage(r, "derive", c)
		if perr != nil {
			return perr
		}
		p.Parent, p.Action = parent, paths.CrossDerive(id)
		return cp.showForm(w, r, p, err)
	}
	cp.redirect(w, r, paths.Cross(saved.ID), "cross.derived")
	return nil
}

// crossFromForm reads the cross form.
func crossFromForm(r *http.Request) *cross.Cross {
	v := r.PostFormValue
	lines := func(name string) []string {
		var out []string
		for _, l := range strings.Split(v(name), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	c := &cross.Cross{Title: v("title"), Question: v("question"), Geography: v("geography"), Level: cross.Level(v("level")),
		Domain: v("domain"), Status: cross.Status(v("status")), Visibility: cross.Visibility(v("visibility")),
		Authors: lines("authors")}
	c.Horizon, _ = strconv.Atoi(strings.TrimSpace(v("horizon")))
	c.DriverWorkshopID, _ = strconv.ParseInt(v("drivers_workshop"), 10, 64)
	c.OrganisationID, _ = strconv.ParseInt(v("organisation"), 10, 64)
	for _, s := range r.PostForm["co_organisations"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			c.CoOrganisationIDs = append(c.CoOrganisationIDs, id)
		}
	}
	for _, name := range []string{"x", "y"} {
		*c.Axis(name) = cross.Axis{Name: v(name + "_name"), Description: v(name + "_description"), Low: v(name + "_low"),
			High: v(name + "_high"), Forces: lines(name + "_forces")}
		if v("drivers_drop") == "" {
			for _, s := range r.PostForm[name+"_drivers"] {
				if id, err := strconv.ParseInt(s, 10, 64); err == nil {
					c.Axis(name).DriverIDs = append(c.Axis(name).DriverIDs, id)
				}
			}
		}
		if ch := v(name + "_change"); ch != "" {
			c.AxisChanges = append(c.AxisChanges, cross.AxisChange{Axis: name, Change: cross.Change(ch), Why: v(name + "_why")})
		}
	}
	for q := 1; q <= 4; q++ {
		p := "s" + strconv.Itoa(q) + "_"
		c.Scenarios = append(c.Scenarios, cross.Scenario{Quadrant: q, Name: v(p + "name"), Story: v(p + "story"),
			Characteristics: v(p + "characteristics"), DailyLife: v(p + "daily_life"), EarlySigns: v(p + "early_signs"), Implications: v(p + "implications")})
	}
	return c
}

// AxisNames are the cross's axes in form order.
func (p *crossFormPage) AxisNames() []string { return []string{"x", "y"} }
