package search

import (
	"strings"
	"testing"
)

// TestStem_Exceptions holds the platform's vocabulary to one stem per
// word, whatever the form: Snowball alone gives "scenario", "scenariot",
// "scenariet" and "scenari" for four forms of one word.
func TestStem_Exceptions(t *testing.T) {
	tests := []struct {
		stem  string
		forms string
	}{
		{"scenari", "scenario scenariot scenariet scenarier scenarierna scenarios scenariots scenariernas scenarie scenarien"},
		{"framtidsscenari", "framtidsscenario framtidsscenariot framtidsscenariet framtidsscenarier"},
		{"kriteri", "kriterium kriteriet kriterier kriterierna kriteriets"},
		{"muse", "museum museet museer museerna museets museums"},
		{"konstmuse", "konstmuseum konstmuseet konstmuseer"},
		{"centr", "centrum centret centra centrumet centrets"},
		{"kunskapscentr", "kunskapscentrum kunskapscentret"},
		{"forum", "forum forumet forumen forums forumets"},
		{"index", "index indexet indexen indexar indexets"},
		{"innovationsindex", "innovationsindex innovationsindexet"},
		{"studi", "studium studiet studier studierna"},
		{"seminari", "seminarium seminariet seminarier seminarierna"},
		{"decenni", "decennium decenniet decennier decennierna"},
		{"medi", "medium mediet media medier"},
		{"omvärldsanaly", "omvärldsanalys omvärldsanalysen omvärldsanalyser omvärldsanalyserna"},
		{"tem", "tema temat teman temana"},
		{"landsting", "landsting landstinget landstingets landstingen"},
	}
	for _, tt := range tests {
		t.Run(tt.stem, func(t *testing.T) {
			for _, w := range strings.Fields(tt.forms) {
				if got := Stem(w); got != tt.stem {
					t.Errorf("Stem(%q) = %q, want %q", w, got, tt.stem)
				}
				if !strings.HasPrefix(w, Stem(w)) {
					t.Errorf("Stem(%q) is not a prefix", w)
				}
			}
		})
	}
	// Words that only look like the forms keep Snowball's stem.
	for _, w := range []string{"scen", "scenen", "forskning", "centralt", "system", "muser", "analysera", "temperatur"} {
		if got := Stem(w); got != Snowball(w) {
			t.Errorf("Stem(%q) = %q, want Snowball's %q", w, got, Snowball(w))
		}
	}
}
