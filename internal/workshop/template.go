// Package workshop is the digital scenario workshop: workshops made from a
// method template, participants (guests and users), groups, and the board
// they build together (notes, ratings, axes, scenarios, votes,
// backcasting). Every change is a command that becomes one stored event
// with a per-workshop sequence number; the broker and relay carry those
// events to every open stream.
package workshop

// Template is a workshop method: its stages, in order, as data, so other
// methods can follow the scenario cross without new code.
type Template struct {
	Key    string  `json:"key"`
	Stages []Stage `json:"stages"`
}

// Stage is one step of a template. Participants may send the commands in
// Allows while the stage is current; facilitators may always act.
type Stage struct {
	Key    string `json:"key"` // shown through the i18n key workshop.stage.<Key>
	Allows []Kind `json:"allows"`
}

// Allowed reports whether participants may send k in the stage.
func (s Stage) Allowed(k Kind) bool {
	for _, a := range s.Allows {
		if a == k {
			return true
		}
	}
	return false
}

// StageIndex returns the index of the stage with key, or -1.
func (t *Template) StageIndex(key string) int {
	for i, s := range t.Stages {
		if s.Key == key {
			return i
		}
	}
	return -1
}

// Stage returns stage i, clamped to the template.
func (t *Template) Stage(i int) Stage {
	if i < 0 {
		i = 0
	}
	if i >= len(t.Stages) {
		i = len(t.Stages) - 1
	}
	return t.Stages[i]
}

// DefaultTemplate is the key of the scenario cross.
const DefaultTemplate = "scenario-cross"

// ScenarioCross is the default template: focal question, drivers,
// clustering, rating, axes, scenarios, vote, backcasting, results.
var ScenarioCross = &Template{
	Key: DefaultTemplate,
	Stages: []Stage{
		{Key: "focal"},
		{Key: "drivers", Allows: []Kind{NoteAdd, NoteEdit, NoteRemove}},
		{Key: "clustering", Allows: []Kind{ClusterMerge, ClusterUnmerge, ClusterName, ClusterGroup}},
		{Key: "rating", Allows: []Kind{RatingSet}},
		{Key: "axes"},
		{Key: "scenarios", Allows: []Kind{ScenarioEdit}},
		{Key: "vote", Allows: []Kind{VoteAdd, VoteRemove}},
		{Key: "backcasting", Allows: []Kind{MilestoneAdd, ActionAdd, BackcastRemove}},
		{Key: "results"},
	},
}

// BackcastingTemplate is the key of a workshop that runs an existing
// cross again: its scenarios, the vote on the preferred future, and
// backcasting from it to today.
const BackcastingTemplate = "backcasting"

// Backcasting starts from a cross's axes and scenarios (loaded by
// Service.CreateSeeded): the focal question, the scenarios to read and
// adapt, the vote, backcasting and the results.
var Backcasting = &Template{
	Key: BackcastingTemplate,
	Stages: []Stage{
		{Key: "focal"},
		{Key: "scenarios", Allows: []Kind{ScenarioEdit}},
		{Key: "vote", Allows: []Kind{VoteAdd, VoteRemove}},
		{Key: "backcasting", Allows: []Kind{MilestoneAdd, ActionAdd, BackcastRemove}},
		{Key: "results"},
	},
}

// TrendTemplate is the key of the trend and megatrend workshop.
const TrendTemplate = "trends"

// Trends is a trend and megatrend workshop: trends posted as drivers,
// clustered, rated for impact and uncertainty, and their implications
// worked out as milestones and actions on the backcasting stage.
var Trends = &Template{
	Key: TrendTemplate,
	Stages: []Stage{
		{Key: "focal"},
		{Key: "drivers", Allows: []Kind{NoteAdd, NoteEdit, NoteRemove}},
		{Key: "clustering", Allows: []Kind{ClusterMerge, ClusterUnmerge, ClusterName}},
		{Key: "rating", Allows: []Kind{RatingSet}},
		{Key: "backcasting", Allows: []Kind{MilestoneAdd, ActionAdd, BackcastRemove}},
		{Key: "results"},
	},
}

// Templates lists the known templates by key.
var Templates = map[string]*Template{DefaultTemplate: ScenarioCross, BackcastingTemplate: Backcasting, TrendTemplate: Trends}

// TemplateOf returns the template of a workshop, the default for an
// unknown key (a template removed after the workshop was made).
func TemplateOf(key string) *Template {
	if t, ok := Templates[key]; ok {
		return t
	}
	return ScenarioCross
}
