package workshop

import (
	"github.com/sergi/go-diff/diffmatchpatch"
)

// ScenarioBase is the scenario's text an edit started from. An edit sent
// with its base is merged into the scenario as it is now, so that people
// writing the same scenario at once lose nothing.
type ScenarioBase struct {
	Name  string `json:"name"`
	Story string `json:"story"`
	Life  string `json:"life"`
	Signs string `json:"signs"`
}

// Merge3 merges an edit into current, the text as it is now: the edit's
// changes from base become patches (diff-match-patch), applied to current
// where they fit, as differential synchronisation does. ok is false when
// a patch does not apply (the same words were changed differently): the
// caller refuses the edit rather than drop any of it.
func Merge3(base, edit, current string) (merged string, ok bool) {
	switch {
	case edit == base:
		return current, true
	case current == base || current == edit:
		return edit, true
	}
	dmp := diffmatchpatch.New()
	patches := dmp.PatchMake(base, dmp.DiffMain(base, edit, false))
	merged, applied := dmp.PatchApply(patches, current)
	for _, a := range applied {
		if !a {
			return current, false
		}
	}
	return merged, true
}
