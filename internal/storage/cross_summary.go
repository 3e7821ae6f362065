package storage

import (
	"encoding/json"
	"strings"

	"github.com/framsyn/framsyn/internal/cross"
)

// crossSummarySelect is crossSelect reading a cross's summary (the column
// the database keeps from body, migration 00049) in place of its body.
var crossSummarySelect = strings.Replace(crossSelect, "c.body,", "c.summary,", 1)

// crossSummaryBody is a cross's summary column (cross.ListQuery.Summary):
// the axes' names and poles and the scenarios' quadrants and names.
type crossSummaryBody struct {
	X         axisHead       `json:"x"`
	Y         axisHead       `json:"y"`
	Scenarios []scenarioHead `json:"scenarios"`
}

type axisHead struct {
	Name string `json:"name"`
	Low  string `json:"low"`
	High string `json:"high"`
}

type scenarioHead struct {
	Quadrant int    `json:"quadrant"`
	Name     string `json:"name"`
}

func (a axisHead) axis() cross.Axis { return cross.Axis{Name: a.Name, Low: a.Low, High: a.High} }

// decodeSummary reads a summary column. SQLite's names four scenarios
// one by one, a missing one as nulls: those are dropped (a scenario has a
// quadrant, 1 to 4).
func decodeSummary(summary string) (crossSummaryBody, error) {
	var b crossSummaryBody
	if err := json.Unmarshal([]byte(summary), &b); err != nil {
		return b, err
	}
	kept := b.Scenarios[:0]
	for _, s := range b.Scenarios {
		if s != (scenarioHead{}) {
			kept = append(kept, s)
		}
	}
	b.Scenarios = kept
	return b, nil
}
