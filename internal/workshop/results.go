package workshop

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
)

// Results is what a workshop produced, as one participant may see it:
// the question, the drivers (clusters with their notes and ratings), the
// cross with its four scenarios, the votes and the backcasting timeline.
// The results page, the Markdown and JSON exports and the library work
// are all made from it.
type Results struct {
	Title      string          `json:"title"`
	Question   string          `json:"question"`
	Horizon    int             `json:"horizon"`
	Status     Status          `json:"status"`
	Revealed   bool            `json:"revealed"` // ratings and votes are in
	Drivers    []Driver        `json:"drivers"`
	Axes       []Axis          `json:"axes"`
	Scenarios  []Scenario      `json:"scenarios"` // quadrants 1–4, empty ones too
	Votes      []VoteTotal     `json:"votes"`     // quadrants 1–4
	Milestones []MilestoneItem `json:"milestones"`
	Groups     []Group         `json:"groups"`
	People     int             `json:"participants"`
}

// Driver is a note that is not merged into another, with the notes merged
// into it and its ratings (averages; zero when hidden or unrated).
type Driver struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"` // the cluster's name, or the note's text
	Text        string   `json:"text"`
	STEEP       string   `json:"steep,omitempty"`
	Merged      []string `json:"merged,omitempty"`
	Ratings     int      `json:"ratings"`
	Impact      float64  `json:"impact"`
	Uncertainty float64  `json:"uncertainty"`
	Group       int64    `json:"group,omitempty"`
}

// Critical reports whether the driver is a critical uncertainty: rated,
// with high impact and high uncertainty (both above the middle of 1–5).
func (d Driver) Critical() bool { return d.Ratings > 0 && d.Impact > 3 && d.Uncertainty > 3 }

// MilestoneItem is a milestone with its actions.
type MilestoneItem struct {
	BackcastItem
	Actions []BackcastItem `json:"actions"`
}

// ResultsOf builds the results from a board (already redacted for its viewer).
func ResultsOf(b *Board) *Results {
	w := b.Workshop
	r := &Results{Title: w.Title, Question: w.FocalQuestion, Horizon: w.HorizonYear, Status: w.Status,
		Revealed: len(b.Stats) > 0 || len(b.Totals) > 0 || w.Revealed, Axes: nonNil(b.Axes), Groups: nonNil(b.Groups)}
	for _, p := range b.Participants {
		if !p.Removed {
			r.People++
		}
	}
	stats := map[int64]RatingStats{}
	for _, s := range b.Stats {
		stats[s.NoteID] = s
	}
	merged := map[int64][]string{}
	for _, n := range b.Notes {
		if !n.Removed && n.ClusterID != 0 {
			merged[n.ClusterID] = append(merged[n.ClusterID], n.Text)
		}
	}
	r.Drivers = []Driver{}
	for _, n := range b.Notes {
		if n.Removed || n.ClusterID != 0 {
			continue
		}
		d := Driver{ID: n.ID, Name: cmp.Or(n.ClusterName, n.Text), Text: n.Text, STEEP: n.STEEP, Merged: merged[n.ID], Group: n.GroupID}
		if s, ok := stats[n.ID]; ok && s.N > 0 {
			d.Ratings = s.N
			d.Impact = float64(s.ImpactSum) / float64(s.N)
			d.Uncertainty = float64(s.UncertaintySum) / float64(s.N)
		}
		r.Drivers = append(r.Drivers, d)
	}
	// Critical uncertainties first: the product of the averages, highest first.
	slices.SortStableFunc(r.Drivers, func(a, b Driver) int {
		return cmp.Compare(b.Impact*b.Uncertainty, a.Impact*a.Uncertainty)
	})
	slices.SortFunc(r.Axes, func(a, b Axis) int { return strings.Compare(a.Name, b.Name) })
	r.Scenarios = make([]Scenario, 4)
	for q := range r.Scenarios {
		r.Scenarios[q].Quadrant = q + 1
	}
	for _, s := range b.Scenarios {
		if s.Quadrant >= 1 && s.Quadrant <= 4 {
			r.Scenarios[s.Quadrant-1] = s
		}
	}
	r.Votes = make([]VoteTotal, 4)
	for q := range r.Votes {
		r.Votes[q].Quadrant = q + 1
	}
	for _, t := range b.Totals {
		if t.Quadrant >= 1 && t.Quadrant <= 4 {
			r.Votes[t.Quadrant-1].Dots = t.Dots
		}
	}
	idx := map[int64]int{}
	r.Milestones = []MilestoneItem{}
	for _, it := range b.Backcast {
		if !it.Removed && it.Kind == Milestone {
			idx[it.ID] = len(r.Milestones)
			r.Milestones = append(r.Milestones, MilestoneItem{BackcastItem: it, Actions: []BackcastItem{}})
		}
	}
	for _, it := range b.Backcast {
		if i, ok := idx[it.ParentID]; ok && !it.Removed && it.Kind == Action {
			r.Milestones[i].Actions = append(r.Milestones[i].Actions, it)
		}
	}
	// From the horizon back to today.
	slices.SortStableFunc(r.Milestones, func(a, b MilestoneItem) int { return cmp.Compare(b.Year, a.Year) })
	return r
}

// Axis returns the axis named "x" or "y", or an empty one.
func (r *Results) Axis(name string) Axis {
	for _, a := range r.Axes {
		if a.Name == name {
			return a
		}
	}
	return Axis{Name: name}
}

// Chosen returns the quadrant with the most dots, 0 when none has any or
// two share the most.
func (r *Results) Chosen() int {
	best, q, tie := 0, 0, false
	for _, v := range r.Votes {
		switch {
		case v.Dots > best:
			best, q, tie = v.Dots, v.Quadrant, false
		case v.Dots == best && best > 0:
			tie = true
		}
	}
	if tie {
		return 0
	}
	return q
}

// Markdown writes the results as a Markdown document; t translates the
// catalogue keys of headings and labels (workshop.results.*, workshop.steep.*).
func (r *Results) Markdown(t func(key string, args ...any) string) string {
	var b strings.Builder
	esc := mdEscape
	fmt.Fprintf(&b, "# %s\n\n", esc(r.Title))
	fmt.Fprintf(&b, "**%s:** %s\n\n", t("workshop.results.question"), esc(r.Question))
	fmt.Fprintf(&b, "**%s:** %d\n\n", t("workshop.results.horizon"), r.Horizon)
	fmt.Fprintf(&b, "## %s\n\n", t("workshop.results.drivers"))
	if len(r.Drivers) > 0 {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n|---|---|---|---|\n", t("workshop.results.driver"), t("workshop.results.steep"),
			t("workshop.results.impact"), t("workshop.results.uncertainty"))
		for _, d := range r.Drivers {
			name := esc(d.Name)
			if len(d.Merged) > 0 {
				parts := []string{esc(d.Text)}
				for _, m := range d.Merged {
					parts = append(parts, esc(m))
				}
				name += " (" + strings.Join(parts, "; ") + ")"
			}
			steep := ""
			if d.STEEP != "" {
				steep = t("workshop.steep." + d.STEEP)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", strings.ReplaceAll(name, "|", `\|`), steep, avg(d.Impact, d.Ratings), avg(d.Uncertainty, d.Ratings))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "## %s\n\n", t("workshop.results.cross"))
	for _, name := range []string{"x", "y"} {
		a := r.Axis(name)
		fmt.Fprintf(&b, "- **%s:** %s (%s ↔ %s)\n", t("workshop.axis."+name), esc(a.Label), esc(a.Low), esc(a.High))
	}
	b.WriteString("\n")
	for _, s := range r.Scenarios {
		fmt.Fprintf(&b, "### %s %d: %s\n\n", t("workshop.results.scenario"), s.Quadrant, esc(cmp.Or(s.Name, "–")))
		fmt.Fprintf(&b, "*%s*\n\n", esc(r.QuadrantPoles(s.Quadrant)))
		for _, part := range []struct{ key, text string }{{"workshop.scenario.story", s.Story},
			{"workshop.scenario.life", s.Life}, {"workshop.scenario.signs", s.Signs}} {
			if part.text != "" {
				fmt.Fprintf(&b, "**%s**\n\n%s\n\n", t(part.key), esc(part.text))
			}
		}
	}
	fmt.Fprintf(&b, "## %s\n\n", t("workshop.results.votes"))
	for _, v := range r.Votes {
		fmt.Fprintf(&b, "- %s: %d\n", esc(cmp.Or(r.Scenarios[v.Quadrant-1].Name, t("workshop.results.scenario")+" "+strconv.Itoa(v.Quadrant))), v.Dots)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "## %s\n\n", t("workshop.results.backcasting"))
	for _, m := range r.Milestones {
		fmt.Fprintf(&b, "- **%d:** %s\n", m.Year, esc(m.Text))
		for _, a := range m.Actions {
			owner := ""
			if a.Owner != "" {
				owner = " (" + esc(a.Owner) + ")"
			}
			fmt.Fprintf(&b, "  - %s%s\n", esc(a.Text), owner)
		}
	}
	return b.String()
}

// QuadrantPoles names the poles of a quadrant: "x high, y high" for 1, and
// counter-clockwise from there.
func (r *Results) QuadrantPoles(q int) string {
	x, y := r.Axis("x"), r.Axis("y")
	xs, ys := x.High, y.High
	switch q {
	case 2:
		xs = x.Low
	case 3:
		xs, ys = x.Low, y.Low
	case 4:
		ys = y.Low
	}
	return cmp.Or(xs, "–") + " · " + cmp.Or(ys, "–")
}

func avg(v float64, n int) string {
	if n == 0 {
		return "–"
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
}

// mdEscape keeps participants' text from becoming Markdown structure or HTML.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '!', '{', '}', '~':
			b.WriteByte('\\')
		case '\n':
			b.WriteString("  \n")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Drivers returns the workshop id and its drivers (those of ResultsOf) as
// the signed-in a sees them on the board: Forbidden (workshop.not_joined)
// for one a does not take part in, whether or not it exists. A scenario
// cross links its axes to them.
func (s *Service) Drivers(ctx context.Context, a *account.Actor, id int64) (*Workshop, []Driver, error) {
	if !a.SignedIn() {
		return nil, nil, errNotJoined
	}
	p, err := s.Participant(ctx, a, id, "")
	if err != nil {
		return nil, nil, err
	}
	b, err := s.Board(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	return &b.Workshop, ResultsOf(b).Drivers, nil
}
