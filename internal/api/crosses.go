package api

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/route"
)

// crossesAPI is the scenario crosses' API over the same service as the pages.
type crossesAPI struct {
	*Server
	svc *cross.Service
}

// Crosses returns the crosses' API over svc.
func (s *Server) Crosses(svc *cross.Service) route.Area { return &crossesAPI{Server: s, svc: svc} }

// maxCrossImport bounds an import's body: 500 crosses with long stories.
const maxCrossImport = 32 << 20

// Register adds the crosses' API to t.
func (s *crossesAPI) Register(t *route.Table) {
	P, U := route.Public, route.SignedIn
	t.Handle(P, "GET /api/v1/crosses", s.h(s.listCrosses))
	t.Handle(U, "POST /api/v1/crosses", s.h(s.createCross))
	t.Handle(P, "GET /api/v1/crosses/compare", s.h(s.compareCrosses))
	t.Handle(P, "GET /api/v1/crosses/export", s.h(s.exportCrosses))
	t.Handle(U, "POST /api/v1/crosses/import", s.h(s.importCrosses), route.MaxBody(maxCrossImport, "application/json"))
	t.Handle(P, "GET /api/v1/crosses/{id}", s.h(s.getCross))
	t.Handle(U, "PUT /api/v1/crosses/{id}", s.h(s.updateCross))
	t.Handle(U, "DELETE /api/v1/crosses/{id}", s.h(s.deleteCross))
	t.Handle(U, "POST /api/v1/crosses/{id}/derive", s.h(s.deriveCross))
	t.Handle(P, "GET /api/v1/crosses/{id}/lineage", s.h(s.crossLineage))
	t.Handle(U, "GET /api/v1/crosses/{id}/revisions", s.h(s.crossRevisions))
	t.Handle(U, "POST /api/v1/crosses/{id}/revisions/{version}/restore", s.h(s.restoreCrossRevision))
}

// Cross is a scenario cross as the API shows it: parent_id is left out
// and parent_hidden set for a cross derived from one the caller may not
// see.
type Cross struct {
	cross.Cross
	Organization string        `json:"organization"`
	URL          string        `json:"url"`
	Drivers      *CrossDrivers `json:"drivers,omitempty"`
}

// CrossSummary is a cross in a list: what a list shows and links to, its
// keys meaning what they mean in Cross. The axes' descriptions and forces,
// the scenarios' texts and the authors are left to GET /crosses/{id}: a
// page of 50 whole crosses with their stories was ~430 KB.
type CrossSummary struct {
	ID                int64                  `json:"id"`
	Title             string                 `json:"title"`
	Question          string                 `json:"question"`
	Horizon           int                    `json:"horizon"`
	Level             cross.Level            `json:"level"`
	Domain            string                 `json:"domain,omitempty"`
	Status            cross.Status           `json:"status"`
	Visibility        cross.Visibility       `json:"visibility"`
	OrganisationID    int64                  `json:"organisation_id"`
	CoOrganisationIDs []int64                `json:"co_organisation_ids"`
	Organization      string                 `json:"organization"`
	ParentID          int64                  `json:"parent_id,omitempty"`
	ParentHidden      bool                   `json:"parent_hidden,omitempty"`
	X                 CrossSummaryAxis       `json:"x"`
	Y                 CrossSummaryAxis       `json:"y"`
	Scenarios         []CrossSummaryScenario `json:"scenarios"`
	UpdatedAt         time.Time              `json:"updated_at"`
	URL               string                 `json:"url"`
}

// CrossSummaryAxis is an axis in a list: its name and poles.
type CrossSummaryAxis struct {
	Name string `json:"name"`
	Low  string `json:"low"`
	High string `json:"high"`
}

// CrossSummaryScenario is a scenario in a list: its quadrant and name.
type CrossSummaryScenario struct {
	Quadrant int    `json:"quadrant"`
	Name     string `json:"name"`
}

// summary shapes c, redacted, for a list.
func (s *crossesAPI) summary(c *cross.Cross) CrossSummary {
	out := CrossSummary{ID: c.ID, Title: c.Title, Question: c.Question, Horizon: c.Horizon, Level: c.Level, Domain: c.Domain,
		Status: c.Status, Visibility: c.Visibility, OrganisationID: c.OrganisationID, CoOrganisationIDs: c.CoOrganisationIDs,
		Organization: c.OrgName, ParentID: c.ParentID, ParentHidden: c.ParentHidden,
		X: CrossSummaryAxis{Name: c.X.Name, Low: c.X.Low, High: c.X.High}, Y: CrossSummaryAxis{Name: c.Y.Name, Low: c.Y.Low, High: c.Y.High},
		Scenarios: make([]CrossSummaryScenario, 0, len(c.Scenarios)), UpdatedAt: c.UpdatedAt, URL: s.baseURL + paths.Cross(c.ID)}
	if out.CoOrganisationIDs == nil {
		out.CoOrganisationIDs = []int64{}
	}
	for _, sc := range c.Scenarios {
		out.Scenarios = append(out.Scenarios, CrossSummaryScenario{Quadrant: sc.Quadrant, Name: sc.Name})
	}
	return out
}

// CrossDrivers are the drivers a cross's axes link to, by name: only for
// a caller who takes part in their workshop.
type CrossDrivers struct {
	Workshop CrossDriverWorkshop `json:"workshop"`
	X        []CrossDriver       `json:"x"`
	Y        []CrossDriver       `json:"y"`
}

// CrossDriverWorkshop is the workshop of linked drivers.
type CrossDriverWorkshop struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// CrossDriver is one linked driver.
type CrossDriver struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// driversOf shapes the drivers a sees of c, or nil.
func (s *crossesAPI) driversOf(r *http.Request, c *cross.Cross) (*CrossDrivers, error) {
	l, err := s.svc.Linked(r.Context(), account.ActorFrom(r.Context()), c)
	if err != nil || l == nil {
		return nil, err
	}
	out := &CrossDrivers{Workshop: CrossDriverWorkshop{ID: l.Workshop.ID, Title: l.Workshop.Title, URL: s.baseURL + paths.WorkshopResults(l.Workshop.ID)},
		X: []CrossDriver{}, Y: []CrossDriver{}}
	for _, d := range l.X {
		out.X = append(out.X, CrossDriver{ID: d.ID, Name: d.Name})
	}
	for _, d := range l.Y {
		out.Y = append(out.Y, CrossDriver{ID: d.ID, Name: d.Name})
	}
	return out, nil
}

// outs redacts cs for a and shapes them for the API.
func (s *crossesAPI) outs(r *http.Request, cs []cross.Cross) ([]Cross, error) {
	if err := s.svc.Redact(r.Context(), account.ActorFrom(r.Context()), cs); err != nil {
		return nil, err
	}
	out := make([]Cross, 0, len(cs))
	for _, c := range cs {
		if c.CoOrganisationIDs == nil {
			c.CoOrganisationIDs = []int64{}
		}
		out = append(out, Cross{Cross: c, Organization: c.OrgName, URL: s.baseURL + paths.Cross(c.ID)})
	}
	return out, nil
}

func (s *crossesAPI) listCrosses(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	q := cross.ListQuery{Level: cross.Level(v.Get("level")), Domain: strings.TrimSpace(v.Get("domain")), Status: cross.Status(v.Get("status")),
		Limit: min(limit, cross.MaxLimit) + 1, Summary: true}
	if q.Level != "" && !contains(cross.Levels, q.Level) {
		return errs.Fields{"level": "cross.level_invalid"}.Err()
	}
	if q.Status != "" && !contains(cross.Statuses, q.Status) {
		return errs.Fields{"status": "cross.status_invalid"}.Err()
	}
	if o := v.Get("organization_id"); o != "" {
		if q.OrganisationID, err = strconv.ParseInt(o, 10, 64); err != nil {
			return errs.Fields{"organization_id": "error.invalid"}.Err()
		}
	}
	if c := v.Get("cursor"); c != "" {
		ms, id, ok := cursorOf(c)
		if !ok {
			return errs.Fields{"cursor": "library.cursor_invalid"}.Err()
		}
		q.Before, q.BeforeID = ms, id
	}
	a := account.ActorFrom(r.Context())
	cs, err := s.svc.List(r.Context(), a, q)
	if err != nil {
		return err
	}
	list := List[CrossSummary]{Items: []CrossSummary{}}
	cs, list.Next = trimPage(cs, q.Limit-1, func(last *cross.Cross) string {
		return strconv.FormatInt(last.UpdatedAt.UnixMilli(), 10) + "-" + strconv.FormatInt(last.ID, 10)
	})
	if err := s.svc.Redact(r.Context(), a, cs); err != nil {
		return err
	}
	for i := range cs {
		list.Items = append(list.Items, s.summary(&cs[i]))
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func cursorOf(s string) (time.Time, int64, bool) {
	a, b, ok := strings.Cut(s, "-")
	ms, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || ms <= 0 || id <= 0 {
		return time.Time{}, 0, false
	}
	return time.UnixMilli(ms).UTC(), id, true
}

func (s *crossesAPI) writeOne(w http.ResponseWriter, r *http.Request, status int, c *cross.Cross) error {
	out, err := s.outs(r, []cross.Cross{*c})
	if err != nil {
		return err
	}
	if out[0].Drivers, err = s.driversOf(r, c); err != nil {
		return err
	}
	writeJSON(w, status, out[0])
	return nil
}

func (s *crossesAPI) getCross(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.svc.Get(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.writeOne(w, r, http.StatusOK, c)
}

// CrossInput is a cross as the API takes it: the cross's own fields
// (parent, root and version are the server's), and for an update the
// version edited.
type CrossInput struct {
	cross.Cross
	Organization string        `json:"organization,omitempty"`
	URL          string        `json:"url,omitempty"`
	Drivers      *CrossDrivers `json:"drivers,omitempty"` // read-only: a cross sent back as it came is taken
}

func (s *crossesAPI) createCross(w http.ResponseWriter, r *http.Request) error {
	var in CrossInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	c, err := s.svc.Create(r.Context(), account.ActorFrom(r.Context()), &in.Cross)
	if err != nil {
		return err
	}
	return s.writeOne(w, r, http.StatusCreated, c)
}

func (s *crossesAPI) updateCross(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in CrossInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	in.ID = id
	c, err := s.svc.Update(r.Context(), account.ActorFrom(r.Context()), &in.Cross, in.Version)
	if err != nil {
		return err
	}
	return s.writeOne(w, r, http.StatusOK, c)
}

// CrossRevision is one saved version of a cross, for its editors.
type CrossRevision struct {
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UserName     string    `json:"user_name,omitempty"`
	Changed      []string  `json:"changed"`
	RestoredFrom int       `json:"restored_from,omitempty"`
}

func (s *crossesAPI) crossRevisions(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	_, revs, err := s.svc.Revisions(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	out := List[CrossRevision]{Items: []CrossRevision{}}
	for _, rv := range revs {
		out.Items = append(out.Items, CrossRevision{Version: rv.Version, CreatedAt: rv.CreatedAt, UserName: rv.UserName,
			Changed: orEmpty(rv.Changed), RestoredFrom: rv.RestoredFrom})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// RestoreInput names the version the caller last saw, so a cross saved
// meanwhile is a conflict (0: restore over whatever is current).
type RestoreInput struct {
	Version int `json:"version"`
}

func (s *crossesAPI) restoreCrossRevision(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	n, err := httpx.Int(r, "version")
	if err != nil {
		return err
	}
	var in RestoreInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	c, err := s.svc.Restore(r.Context(), account.ActorFrom(r.Context()), id, n, in.Version)
	if err != nil {
		return err
	}
	return s.writeOne(w, r, http.StatusOK, c)
}

func (s *crossesAPI) deleteCross(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.Delete(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *crossesAPI) deriveCross(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in CrossInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	c, err := s.svc.Derive(r.Context(), account.ActorFrom(r.Context()), id, &in.Cross)
	if err != nil {
		return err
	}
	return s.writeOne(w, r, http.StatusCreated, c)
}

// LineageNode is one cross of a lineage tree; a hidden one has no id or title.
type LineageNode struct {
	ID       int64              `json:"id,omitempty"`
	Title    string             `json:"title,omitempty"`
	Org      string             `json:"organization,omitempty"`
	Level    cross.Level        `json:"level,omitempty"`
	Domain   string             `json:"domain,omitempty"`
	Changes  []cross.AxisChange `json:"axis_changes,omitempty"`
	Hidden   bool               `json:"hidden,omitempty"`
	Current  bool               `json:"current,omitempty"`
	URL      string             `json:"url,omitempty"`
	Children []LineageNode      `json:"children"`
}

// Lineage is a cross's lineage tree.
type Lineage struct {
	Root         *LineageNode `json:"root"`
	Size         int          `json:"size"`
	ParentHidden bool         `json:"parent_hidden"`
	Truncated    bool         `json:"truncated"`
}

func (s *crossesAPI) node(n *cross.TreeNode) LineageNode {
	o := LineageNode{Hidden: n.Hidden, Current: n.Current, Children: []LineageNode{}}
	if !n.Hidden {
		o.ID, o.Title, o.Org, o.Level, o.Domain, o.Changes, o.URL = n.ID, n.Title, n.OrgName, n.Level, n.Domain, n.Changes, s.baseURL+paths.Cross(n.ID)
	}
	for _, ch := range n.Children {
		o.Children = append(o.Children, s.node(ch))
	}
	return o
}

func (s *crossesAPI) crossLineage(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	l, err := s.svc.Lineage(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	out := Lineage{Size: l.Size, ParentHidden: l.ParentHidden, Truncated: l.Truncated}
	if l.Root != nil {
		n := s.node(l.Root)
		out.Root = &n
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// Comparison is crosses side by side: each with its parent's id when
// visible, and per compared field the values and whether each differs
// from its parent.
type Comparison struct {
	Crosses []Cross         `json:"crosses"`
	Rows    []ComparisonRow `json:"rows"`
}

// ComparisonRow is one compared field.
type ComparisonRow struct {
	Field    string       `json:"field"`
	Quadrant int          `json:"quadrant,omitempty"`
	Cells    []cross.Cell `json:"cells"`
}

func (s *crossesAPI) compareCrosses(w http.ResponseWriter, r *http.Request) error {
	var ids []int64
	for _, v := range r.URL.Query()["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errs.Fields{"id": "cross.compare_count"}.Err()
		}
		ids = append(ids, id)
	}
	a := account.ActorFrom(r.Context())
	cmp, err := s.svc.Compare(r.Context(), a, ids)
	if err != nil {
		return err
	}
	out := Comparison{Rows: []ComparisonRow{}}
	var cs []cross.Cross
	for _, col := range cmp.Columns {
		cs = append(cs, *col.Cross)
	}
	if out.Crosses, err = s.outs(r, cs); err != nil {
		return err
	}
	for _, row := range cmp.Rows {
		out.Rows = append(out.Rows, ComparisonRow{Field: strings.TrimPrefix(row.Key, "cross."), Quadrant: row.Quadrant, Cells: row.Cells})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *crossesAPI) exportCrosses(w http.ResponseWriter, r *http.Request) error {
	var org int64
	if o := r.URL.Query().Get("organization_id"); o != "" {
		var err error
		if org, err = strconv.ParseInt(o, 10, 64); err != nil {
			return errs.Fields{"organization_id": "error.invalid"}.Err()
		}
	}
	ex, err := s.svc.ExportAll(r.Context(), account.ActorFrom(r.Context()), org)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="scenariokors.json"`)
	writeJSON(w, http.StatusOK, ex)
	return nil
}

// CrossImportResult is what an import made.
type CrossImportResult struct {
	Created int     `json:"created"`
	IDs     []int64 `json:"ids"`
}

func (s *crossesAPI) importCrosses(w http.ResponseWriter, r *http.Request) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return errs.Wrap(errs.TooLarge, "cross.import_too_large", err)
	}
	cs, err := s.svc.Import(r.Context(), account.ActorFrom(r.Context()), data)
	if err != nil {
		return err
	}
	out := CrossImportResult{Created: len(cs), IDs: []int64{}}
	for _, c := range cs {
		out.IDs = append(out.IDs, c.ID)
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}
