package cross

import (
	"github.com/framsyn/framsyn/internal/workshop"
)

// Crosses and workshops, both ways: a workshop's results become a cross,
// and a cross becomes the seed of a new workshop.

// FromResults makes a cross of a workshop's results for orgID: its
// question and horizon, the axes with their poles, and the four
// scenarios. The cross links back to the workshop, and each axis to the
// driver it was drawn from (the axis's note, when it is a driver still).
func FromResults(res *workshop.Results, workshopID, orgID int64, vis Visibility) *Cross {
	c := &Cross{OrganisationID: orgID, Title: res.Title, Question: res.Question, Horizon: res.Horizon, Level: LevelRegional,
		Status: StatusPublished, Visibility: vis, WorkshopID: workshopID}
	forces := map[int64][]string{}
	for _, d := range res.Drivers {
		forces[d.ID] = append([]string{d.Name}, d.Merged...)
	}
	for _, ax := range res.Axes {
		a := Axis{Name: ax.Label, Low: ax.Low, High: ax.High, Forces: forces[ax.NoteID]}
		if len(a.Forces) > MaxForces {
			a.Forces = a.Forces[:MaxForces]
		}
		if _, ok := forces[ax.NoteID]; ok && ax.NoteID != 0 {
			a.DriverIDs = []int64{ax.NoteID}
			c.DriverWorkshopID = workshopID
		}
		if ax.Name == "x" || ax.Name == "y" {
			*c.Axis(ax.Name) = a
		}
	}
	for q := 1; q <= 4; q++ {
		sc := Scenario{Quadrant: q}
		for _, s := range res.Scenarios {
			if s.Quadrant == q {
				sc.Name, sc.Story, sc.DailyLife, sc.EarlySigns = s.Name, s.Story, s.Life, s.Signs
			}
		}
		c.Scenarios = append(c.Scenarios, sc)
	}
	return c
}

// SeedOf is what a new workshop from c starts with, at stage.
func SeedOf(c *Cross, stage string) workshop.Seed {
	seed := workshop.Seed{Stage: stage, Axes: []workshop.Axis{
		{Name: "x", Label: c.X.Name, Low: c.X.Low, High: c.X.High},
		{Name: "y", Label: c.Y.Name, Low: c.Y.Low, High: c.Y.High}}}
	for _, s := range c.Scenarios {
		seed.Scenarios = append(seed.Scenarios, workshop.Scenario{Quadrant: s.Quadrant, Name: s.Name, Story: s.Story, Life: s.DailyLife, Signs: s.EarlySigns})
	}
	return seed
}
