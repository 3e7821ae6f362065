package paths

import "testing"

func TestPaths(t *testing.T) {
	for _, tt := range []struct{ name, got, want string }{
		{"Work", Work("livet-i-stan-2050"), "/bibliotek/livet-i-stan-2050"},
		{"WorkEscaped", Work("a/b"), "/bibliotek/a%2Fb"},
		{"WorkRevisions", WorkRevisions("x"), "/bibliotek/x/versioner"},
		{"Organisation", Organisation("region-artica"), "/organisationer/region-artica"},
		{"OrganisationFeed", OrganisationFeed("r"), "/organisationer/r/flode.atom"},
		{"Workshop", Workshop(42), "/workshoppar/42"},
		{"WorkshopResults", WorkshopResults(42), "/workshoppar/42/resultat"},
		{"Join", Join("ABC123"), "/j/ABC123"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
