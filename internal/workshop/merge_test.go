package workshop

import (
	"strings"
	"testing"
)

func TestMerge3(t *testing.T) {
	base := "Regionen 2050. Vården sker hemma."
	a := "Regionen 2050 är grön. Vården sker hemma."     // one writer adds in the first sentence
	b := "Regionen 2050. Vården sker hemma med robotar." // another at the end
	got, ok := Merge3(base, b, a)
	if !ok || got != "Regionen 2050 är grön. Vården sker hemma med robotar." {
		t.Errorf("merge: %q %v", got, ok)
	}
	if got, ok := Merge3(base, base, a); !ok || got != a {
		t.Errorf("an edit that changes nothing keeps the current text: %q", got)
	}
	if got, ok := Merge3(base, b, base); !ok || got != b {
		t.Errorf("nothing changed meanwhile: the edit: %q", got)
	}
	// The same words changed differently: the later edit is refused, not dropped silently.
	x := strings.Repeat("Helt annan text om något annat. ", 5)
	if _, ok := Merge3("Kort", "Kort och gott", x); ok {
		t.Error("an edit whose place is gone applied")
	}
}
