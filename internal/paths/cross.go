package paths

import (
	"net/url"
	"strconv"
)

// Crosses is the list of scenario crosses.
const Crosses = "/scenariekors"

// Cross is the page of a scenario cross.
func Cross(id int64) string { return Crosses + "/" + strconv.FormatInt(id, 10) }

// CrossLineage is the lineage tree of a cross.
func CrossLineage(id int64) string { return Cross(id) + "/slakttrad" }

// CrossDerive is the form that adapts a cross into a new one.
func CrossDerive(id int64) string { return Cross(id) + "/anpassa" }

// CrossCompare puts crosses side by side.
func CrossCompare(ids ...int64) string {
	v := url.Values{}
	for _, id := range ids {
		v.Add("id", strconv.FormatInt(id, 10))
	}
	return Crosses + "/jamfor?" + v.Encode()
}

// CrossStress is the strategy stress test of a cross.
func CrossStress(id int64) string { return Cross(id) + "/stresstest" }

// Methods is the list of method guides.
const Methods = "/metoder"

// Method is the page of a method guide.
func Method(slug string) string { return Methods + "/" + url.PathEscape(slug) }

// CrossRevisions lists a cross's saved versions.
func CrossRevisions(id int64) string { return Cross(id) + "/versioner" }
