// Package cross holds scenario crosses: a focal question, two axes with
// their poles and four scenarios, owned by an organisation, with the same
// visibilities and revisions as the library's works, and a lineage: a
// cross derived from another ("Anpassa detta kors") records its parent
// and, per axis, whether it was kept, renamed or replaced, and why.
package cross

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/search"
)

// Kind is the search document kind of crosses.
const Kind = "cross"

// Visibility is who may see a cross: the library's four visibilities.
type Visibility = library.Visibility

// Visibilities lists the visibilities from widest to narrowest.
var Visibilities = library.Visibilities

// Status is where a cross is in its editorial life.
type Status string

// The statuses. A draft is seen only by editors of its organisation,
// whatever its visibility says; an archived cross stays readable and
// marked as archived.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Statuses lists the statuses in their order of life.
var Statuses = []Status{StatusDraft, StatusPublished, StatusArchived}

// Level is the geographic level a cross is made for.
type Level string

// The levels.
const (
	LevelNational  Level = "national"
	LevelRegional  Level = "regional"
	LevelMunicipal Level = "municipal"
)

// Levels lists the levels from widest to narrowest.
var Levels = []Level{LevelNational, LevelRegional, LevelMunicipal}

// Domains are the suggested areas of activity; the field is free text, so
// the list is a starting point that each cross may extend.
var Domains = []string{"välfärd", "kompetensförsörjning", "transporter", "klimat", "näringsliv", "samhällsplanering", "hälsa"}

// Axis is one axis of the cross: the uncertainty it stands for and its two
// poles (Low at the left or bottom, High at the right or top), with the
// driving forces behind it.
type Axis struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Low         string   `json:"low"`
	High        string   `json:"high"`
	Forces      []string `json:"forces,omitempty"`
	// DriverIDs are the drivers (notes) of the cross's DriverWorkshopID
	// behind the axis, in the order chosen.
	DriverIDs []int64 `json:"driver_ids,omitempty"`
}

// Scenario is one quadrant of the cross: 1 is x high and y high, then
// counter-clockwise (2 x low y high, 3 both low, 4 x high y low), as on the
// workshop's board.
type Scenario struct {
	Quadrant        int    `json:"quadrant"`
	Name            string `json:"name"`
	Story           string `json:"story,omitempty"` // Markdown, sanitised when rendered
	Characteristics string `json:"characteristics,omitempty"`
	DailyLife       string `json:"daily_life,omitempty"`
	EarlySigns      string `json:"early_signs,omitempty"`
	Implications    string `json:"implications,omitempty"` // for the regional development strategy (RUS)
}

// Change is what a derived cross did with one of its parent's axes.
type Change string

// The changes.
const (
	Kept     Change = "kept"
	Renamed  Change = "renamed"
	Replaced Change = "replaced"
)

// Changes lists the changes.
var Changes = []Change{Kept, Renamed, Replaced}

// AxisChange records, for axis "x" or "y" of a derived cross, what became
// of the parent's axis and why.
type AxisChange struct {
	Axis   string `json:"axis"`
	Change Change `json:"change"`
	Why    string `json:"why,omitempty"`
}

// Cross is one scenario cross.
type Cross struct {
	ID                int64        `json:"id,omitempty"`
	OrganisationID    int64        `json:"organisation_id"`
	CoOrganisationIDs []int64      `json:"co_organisation_ids,omitempty"`
	Title             string       `json:"title"`
	Question          string       `json:"question"`
	Horizon           int          `json:"horizon"`
	Geography         string       `json:"geography,omitempty"`
	Level             Level        `json:"level"`
	Domain            string       `json:"domain,omitempty"`
	X                 Axis         `json:"x"`
	Y                 Axis         `json:"y"`
	Scenarios         []Scenario   `json:"scenarios"`
	Authors           []string     `json:"authors,omitempty"`
	Status            Status       `json:"status"`
	Visibility        Visibility   `json:"visibility"`
	Source            string       `json:"source,omitempty"`        // where its facts come from ("Källa"), or ""
	ParentID          int64        `json:"parent_id,omitempty"`     // 0 for a root, or when the parent is gone
	DerivedFrom       int64        `json:"derived_from,omitempty"`  // the parent it was derived from, kept when the parent is deleted
	RootID            int64        `json:"-"`                       // the first cross of its lineage (its own id for a root); never shown, as it may be hidden
	ParentHidden      bool         `json:"parent_hidden,omitempty"` // set by Redact: derived from a cross the reader may not see
	AxisChanges       []AxisChange `json:"axis_changes,omitempty"`
	WorkshopID        int64        `json:"workshop_id,omitempty"`        // the workshop it was published from, or 0
	DriverWorkshopID  int64        `json:"driver_workshop_id,omitempty"` // the workshop whose drivers the axes link to (Axis.DriverIDs), or 0
	CreatedBy         int64        `json:"created_by,omitempty"`
	Version           int          `json:"version,omitempty"`
	CreatedAt         time.Time    `json:"created_at"`
	UpdatedAt         time.Time    `json:"updated_at"`

	// Read-only, filled when loaded.
	OrgSlug string `json:"-"`
	OrgName string `json:"-"`
}

// Limits on a cross's fields, in characters.
const (
	MaxTitleLen    = 200
	MaxQuestionLen = 500
	MaxShortLen    = 120 // geography, domain, axis and pole and scenario names, an author
	MaxTextLen     = 2000
	MaxStoryLen    = 8000
	MaxForces      = 12
	MaxDrivers     = 12 // linked drivers per axis
	MaxAuthors     = 20
	MaxCoOrgs      = 20
	MaxSourceLen   = 2000
	MinHorizon     = 2000
	MaxHorizon     = 2200
)

// Derived reports whether the cross was made from another.
func (c *Cross) Derived() bool { return c.DerivedFrom != 0 }

// Axis returns axis "x" or "y".
func (c *Cross) Axis(name string) *Axis {
	if name == "y" {
		return &c.Y
	}
	return &c.X
}

// Scenario returns the scenario of quadrant q (1–4), or an empty one.
func (c *Cross) Scenario(q int) Scenario {
	for _, s := range c.Scenarios {
		if s.Quadrant == q {
			return s
		}
	}
	return Scenario{Quadrant: q}
}

// QuadrantPoles names the poles a quadrant lies between, "x pole · y pole".
func (c *Cross) QuadrantPoles(q int) string {
	x, y := c.X.High, c.Y.High
	if q == 2 || q == 3 {
		x = c.X.Low
	}
	if q == 3 || q == 4 {
		y = c.Y.Low
	}
	return x + " · " + y
}

// ChangeOf returns the recorded change of axis "x" or "y".
func (c *Cross) ChangeOf(axis string) AxisChange {
	for _, ch := range c.AxisChanges {
		if ch.Axis == axis {
			return ch
		}
	}
	return AxisChange{Axis: axis}
}

// OrgIDs returns the owner and the co-organisations.
func (c *Cross) OrgIDs() []int64 { return append([]int64{c.OrganisationID}, c.CoOrganisationIDs...) }

// Scope is who may find the cross: a draft only its editors, else its
// visibility.
func (c *Cross) Scope() search.Scope {
	if c.Status == StatusDraft {
		return search.ScopeDraft
	}
	return search.Scope(c.Visibility)
}

func text(f errs.Fields, field string, s *string, max int, required bool) {
	*s = strings.TrimSpace(strings.ReplaceAll(*s, "\r\n", "\n"))
	switch {
	case *s == "" && required:
		f[field] = "cross.required"
	case utf8.RuneCountInString(*s) > max:
		f[field] = "cross.too_long"
	case strings.ContainsRune(*s, 0):
		f[field] = "error.invalid_chars"
	}
}

func list(f errs.Fields, field string, in []string, maxItems, maxLen int) []string {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(out, s) {
			continue
		}
		if utf8.RuneCountInString(s) > maxLen || strings.ContainsRune(s, 0) {
			f[field] = "cross.too_long"
		}
		out = append(out, s)
	}
	if len(out) > maxItems {
		f[field] = "cross.too_many"
	}
	return out
}

// Validate normalises c and reports invalid fields with catalogue keys:
// an axis needs a name and both poles, a cross exactly the four scenarios
// of quadrants 1–4, each with a name.
func (c *Cross) Validate() error {
	f := errs.Fields{}
	text(f, "title", &c.Title, MaxTitleLen, true)
	text(f, "question", &c.Question, MaxQuestionLen, true)
	text(f, "geography", &c.Geography, MaxShortLen, false)
	text(f, "domain", &c.Domain, MaxShortLen, false)
	text(f, "source", &c.Source, MaxSourceLen, false)
	if c.Horizon < MinHorizon || c.Horizon > MaxHorizon {
		f["horizon"] = "cross.horizon_range"
	}
	if c.Level == "" {
		c.Level = LevelRegional
	}
	if !slices.Contains(Levels, c.Level) {
		f["level"] = "cross.level_invalid"
	}
	if c.Status == "" {
		c.Status = StatusDraft
	}
	if !slices.Contains(Statuses, c.Status) {
		f["status"] = "cross.status_invalid"
	}
	if c.Visibility == "" {
		c.Visibility = library.Public
	}
	if !slices.Contains(Visibilities, c.Visibility) {
		f["visibility"] = "cross.visibility_invalid"
	}
	if c.OrganisationID <= 0 {
		f["organisation"] = "cross.organisation_required"
	}
	for _, name := range []string{"x", "y"} {
		a := c.Axis(name)
		text(f, name+"_name", &a.Name, MaxShortLen, true)
		text(f, name+"_description", &a.Description, MaxTextLen, false)
		text(f, name+"_low", &a.Low, MaxShortLen, false)
		text(f, name+"_high", &a.High, MaxShortLen, false)
		if a.Low == "" || a.High == "" {
			f[name+"_poles"] = "cross.axis_poles_required"
		}
		a.Forces = list(f, name+"_forces", a.Forces, MaxForces, MaxShortLen*2)
		a.DriverIDs = driverIDs(f, name+"_drivers", a.DriverIDs)
	}
	switch {
	case len(c.X.DriverIDs) == 0 && len(c.Y.DriverIDs) == 0:
		c.DriverWorkshopID = 0
	case c.DriverWorkshopID <= 0:
		f["drivers_workshop"] = "cross.drivers_workshop_required"
	}
	c.validateScenarios(f)
	c.Authors = list(f, "authors", c.Authors, MaxAuthors, MaxShortLen)
	var co []int64
	for _, id := range c.CoOrganisationIDs {
		if id > 0 && id != c.OrganisationID && !slices.Contains(co, id) {
			co = append(co, id)
		}
	}
	if c.CoOrganisationIDs = co; len(co) > MaxCoOrgs {
		f["co_organisations"] = "cross.too_many"
	}
	for i := range c.AxisChanges {
		ch := &c.AxisChanges[i]
		text(f, ch.Axis+"_why", &ch.Why, MaxTextLen, false)
		if (ch.Axis != "x" && ch.Axis != "y") || !slices.Contains(Changes, ch.Change) {
			f["axis_changes"] = "cross.change_invalid"
		}
	}
	return f.Err()
}

// driverIDs returns ids without repeats, reporting ids that cannot be a
// driver's and more than MaxDrivers.
func driverIDs(f errs.Fields, field string, ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id <= 0 {
			f[field] = "cross.driver_unknown"
		} else if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > MaxDrivers {
		f[field] = "cross.too_many"
	}
	return out
}

// HasDrivers reports whether an axis links to drivers of a workshop.
func (c *Cross) HasDrivers() bool { return len(c.X.DriverIDs) > 0 || len(c.Y.DriverIDs) > 0 }

func (c *Cross) validateScenarios(f errs.Fields) {
	if len(c.Scenarios) != 4 {
		f["scenarios"] = "cross.scenarios_four"
		return
	}
	seen := map[int]bool{}
	for i := range c.Scenarios {
		s := &c.Scenarios[i]
		if s.Quadrant < 1 || s.Quadrant > 4 || seen[s.Quadrant] {
			f["scenarios"] = "cross.scenarios_four"
			return
		}
		seen[s.Quadrant] = true
		p := "s" + string(rune('0'+s.Quadrant)) + "_"
		text(f, p+"name", &s.Name, MaxShortLen, true)
		text(f, p+"story", &s.Story, MaxStoryLen, false)
		if f[p+"story"] == "cross.too_long" {
			f[p+"story"] = "cross.story_too_long"
		}
		text(f, p+"characteristics", &s.Characteristics, MaxTextLen, false)
		text(f, p+"daily_life", &s.DailyLife, MaxTextLen, false)
		text(f, p+"early_signs", &s.EarlySigns, MaxTextLen, false)
		text(f, p+"implications", &s.Implications, MaxTextLen, false)
	}
	slices.SortFunc(c.Scenarios, func(a, b Scenario) int { return a.Quadrant - b.Quadrant })
}

// SearchDocument returns the cross as the search index holds it.
func (c *Cross) SearchDocument() search.Document {
	var body []string
	body = append(body, c.Question, c.Geography, c.Domain, c.X.Name, c.X.Description, c.X.Low, c.X.High,
		c.Y.Name, c.Y.Description, c.Y.Low, c.Y.High)
	body = append(body, c.X.Forces...)
	body = append(body, c.Y.Forces...)
	for _, s := range c.Scenarios {
		body = append(body, s.Name, search.MarkdownText(s.Story), s.Characteristics, s.DailyLife, s.EarlySigns, s.Implications)
	}
	body = append(body, c.Authors...)
	tags := []string{search.Tag("level", string(c.Level)), search.Tag("status", string(c.Status)), search.Tag("visibility", string(c.Visibility))}
	if c.Domain != "" {
		tags = append(tags, search.Tag("domain", c.Domain))
	}
	return search.Document{Kind: Kind, ID: c.ID, Scope: c.Scope(), Owner: c.OrganisationID, Orgs: c.OrgIDs(),
		Title: c.Title, Body: strings.Join(body, "\n"), Date: c.UpdatedAt, Tags: tags}
}
