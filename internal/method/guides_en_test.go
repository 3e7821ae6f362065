package method

import "testing"

// TestGuidesEN: every guide has its English words, in the Swedish guide's
// shape (GuidesIn pairs steps by position), and English changes them.
func TestGuidesEN(t *testing.T) {
	for _, g := range Guides {
		t.Run(g.Slug, func(t *testing.T) {
			tx, ok := guidesEN[g.Slug]
			if !ok {
				t.Fatal("no English text")
			}
			for _, c := range []struct {
				what   string
				sv, en int
			}{{"steps", len(g.Steps), len(tx.Steps)}, {"roles", len(g.Roles), len(tx.Roles)}, {"materials", len(g.Materials), len(tx.Materials)},
				{"tips", len(g.Tips), len(tx.Tips)}, {"pitfalls", len(g.Pitfalls), len(tx.Pitfalls)}} {
				if c.sv != c.en {
					t.Errorf("%s: %d in Swedish, %d in English", c.what, c.sv, c.en)
				}
			}
			for _, s := range []string{tx.Name, tx.Purpose, tx.When, tx.Time, tx.GroupSize, tx.Digital, tx.Origin, tx.Source} {
				if s == "" {
					t.Errorf("an English field is empty: %+v", tx)
				}
			}
			en, _ := BySlugIn(g.Slug, "en")
			if en.Purpose == g.Purpose || en.Minutes() != g.Minutes() || en.Template != g.Template || en.ID != g.ID {
				t.Errorf("English guide %+v", en)
			}
			if sv, _ := BySlugIn(g.Slug, "sv"); sv.Purpose != g.Purpose {
				t.Errorf("Swedish guide changed: %q", sv.Purpose)
			}
		})
	}
	if len(GuidesIn("en")) != len(Guides) {
		t.Error("GuidesIn(en) lost guides")
	}
}
