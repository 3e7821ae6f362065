package workshop

import (
	"slices"
	"testing"
)

func TestProposeClusters(t *testing.T) {
	notes := []Note{
		{ID: 1, Text: "Fler äldre behöver vård"},
		{ID: 2, Text: "Äldres vård i hemmet"},
		{ID: 3, Text: "Elflyg mellan städerna"},
		{ID: 4, Text: "Elflyg ersätter inrikesflyg"},
		{ID: 5, Text: "Bostadsbrist i storstäderna"},
		{ID: 6, Text: "Vård av äldre", Removed: true},
		{ID: 7, Text: "Elflyg", GroupID: 9},  // another group: never with 3 and 4
		{ID: 8, Text: "äldre", ClusterID: 1}, // a member: stands with its cluster
	}
	got := ProposeClusters(notes)
	want := [][]int64{{1, 2}, {3, 4}}
	if len(got) != len(want) {
		t.Fatalf("proposals %+v, want %v", got, want)
	}
	for i, p := range got {
		if !slices.Equal(p.Notes, want[i]) {
			t.Errorf("proposal %d: %v, want %v", i, p.Notes, want[i])
		}
		if p.Word == "" {
			t.Errorf("proposal %d has no word", i)
		}
	}
	if ProposeClusters(nil) != nil {
		t.Error("no notes, no proposals")
	}
}
