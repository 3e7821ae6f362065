package search

import (
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		words    []string
		fts, tsq string
	}{
		{"Word", "scenarier", []string{"scenarier"}, `"scenari"*`, "scenari:*"},
		{"TwoWords", "Designfiktionerna Blekinge", []string{"designfiktionerna", "blekinge"}, `"designfiktion"* AND "bleking"*`, "designfiktion:* & bleking:*"},
		{"StopWordsDropped", "scenario och det", []string{"scenario"}, `"scenari"*`, "scenari:*"},
		{"SingleLetterDropped", "a scenario", []string{"scenario"}, `"scenari"*`, "scenari:*"},
		{"DuplicateStems", "scenarier scenarierna scenariet", []string{"scenarier"}, `"scenari"*`, "scenari:*"},
		{"Quotes", `"region" 'artica'`, []string{"region", "artica"}, `"region"* AND "artic"*`, "region:* & artic:*"},
		{"Operators", `NEAR(a*b) OR -c AND d:*`, []string{"near", "or", "and"}, `"near"* AND "or"* AND "and"*`, "near:* & or:* & and:*"},
		{"TSQuerySyntax", `x & !y | z <-> w`, nil, ``, ``},
		{"NUL", "hål\x00bar", []string{"hål", "bar"}, `"hål"* AND "bar"*`, "hål:* & bar:*"},
		{"InvalidUTF8", "sc\xffen", []string{"sc"}, `"sc"*`, "sc:*"},
		{"Decomposed", "ha\u030allbar", []string{"hållbar"}, `"hållb"*`, "hållb:*"},
		{"Empty", "  ", nil, ``, ``},
		{"Punctuation", `*"()-:^`, nil, ``, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Parse(tt.in)
			if !slices.Equal(p.Words, tt.words) || p.FTS5() != tt.fts || p.TSQuery() != tt.tsq {
				t.Errorf("Parse(%q) = %v, %q, %q; want %v, %q, %q", tt.in, p.Words, p.FTS5(), p.TSQuery(), tt.words, tt.fts, tt.tsq)
			}
		})
	}
}

func TestParse_Limits(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		maxTerms int
	}{
		{"ManyWords", strings.Repeat("ord", 1) + " " + strings.Join(strings.Fields(strings.Repeat("alfa beta gamma delta epsilon zeta eta theta iota kappa lambda my ", 3)), " "), MaxQueryTerms},
		{"ThousandChars", strings.Repeat("x", 1000), 1},
		{"LongWord", strings.Repeat("å", 300), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Parse(tt.in)
			if len(p.Stems) > tt.maxTerms {
				t.Errorf("%d terms, want at most %d", len(p.Stems), tt.maxTerms)
			}
			for _, w := range p.Words {
				if n := len([]rune(w)); n > MaxTermRunes {
					t.Errorf("a word of %d runes", n)
				}
			}
		})
	}
}

func TestIndexTerms(t *testing.T) {
	tests := []struct {
		name, in   string
		stem, word string
	}{
		{"Swedish", "Scenarierna för Region Jämtland Härjedalen", "scenari region jämtland härjedal", "scenarierna region jämtland härjedalen"},
		{"Hyphen", "RUS-arbetet 2050", "rus arbetet 2050", "rus arbetet 2050"},
		{"URL", "https://www.region.se/x", "https www region se", "https www region se"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IndexTerms(tt.in, true); got != tt.stem {
				t.Errorf("stemmed %q, want %q", got, tt.stem)
			}
			if got := IndexTerms(tt.in, false); got != tt.word {
				t.Errorf("words %q, want %q", got, tt.word)
			}
		})
	}
}

func TestHighlight(t *testing.T) {
	stems := Parse("scenarier hållbar").Stems
	tests := []struct {
		name, in string
		want     []Segment
	}{
		{"Marks", "Ett scenario om hållbarhet.", []Segment{{Text: "Ett "}, {Text: "scenario", Mark: true}, {Text: " om "}, {Text: "hållbarhet", Mark: true}, {Text: "."}}},
		{"CaseKept", "SCENARIOT", []Segment{{Text: "SCENARIOT", Mark: true}}},
		{"NotFolded", "hallbarhet", []Segment{{Text: "hallbarhet"}}},
		{"MarkupIsText", "<b>scenario</b>", []Segment{{Text: "<b>"}, {Text: "scenario", Mark: true}, {Text: "</b>"}}},
		{"Empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Highlight(tt.in, stems); !slices.Equal(got, tt.want) {
				t.Errorf("Highlight(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTermCounter(t *testing.T) {
	p := Parse("scenarier goteborg skl")
	syn := map[string][]string{"skl": {"skr"}}
	c := NewTermCounter(p.Terms(syn))
	tests := []struct {
		name, title string
		want        int
	}{
		{"None", "Klimat i norr", 0},
		{"Inflected", "Scenariot Senior City", 1},
		{"Folded", "Fyra scenarier för Göteborg", 2},
		{"Synonym", "SKR:s scenarier om Göteborgs hamn", 3},
		{"OnceEach", "Scenarier, scenariot och scenarierna", 1},
		{"NotASubstring", "Ett framtidsscenario", 0},
		{"Empty", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Count(tt.title); got != tt.want {
				t.Errorf("Count(%q) = %d, want %d", tt.title, got, tt.want)
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	stems := Parse("backcasting").Stems
	filler := strings.Repeat("ord ", 50)
	tests := []struct {
		name, in   string
		marks      int
		start, end bool // "…" at the start, at the end
		maxWords   int
	}{
		{"Short", "Vi provade backcasting i grupp.", 1, false, false, SnippetWords},
		{"Middle", filler + "sedan backcasting och backcasting igen " + filler, 2, true, true, SnippetWords + 2},
		{"NoMatchShowsStart", filler, 0, false, true, SnippetWords + 1},
		{"SpacesFolded", "a\n\n\tbackcasting\r\nb", 1, false, false, SnippetWords},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Snippet(tt.in, stems)
			marks := 0
			for _, s := range got {
				if s.Mark {
					marks++
				}
				if strings.ContainsAny(s.Text, "\n\t\r") || strings.Contains(s.Text, "  ") {
					t.Errorf("unfolded space in %q", s.Text)
				}
			}
			text := Plain(got)
			if marks != tt.marks || strings.HasPrefix(text, "…") != tt.start || strings.HasSuffix(text, "…") != tt.end {
				t.Errorf("Snippet = %q (%d marks)", text, marks)
			}
			if n := len(strings.Fields(text)); n > tt.maxWords {
				t.Errorf("%d words", n)
			}
		})
	}
}

func TestMarkdownText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Emphasis", "Ett **viktigt** scenario", "Ett viktigt scenario"},
		{"Heading", "# Rubrik\n\nText här.", "Rubrik\nText här."},
		{"LinkTextNotTarget", "[Filmen](https://example.se/hemlig)", "Filmen"},
		{"HTMLDropped", "<script>alert(1)</script>\n\nhej <b>då</b>", "hej då"},
		{"List", "- ett\n- två", "ett\ntvå"},
		{"Code", "```\nkod här\n```", "kod här"},
		{"Table", "| a | b |\n|---|---|\n| c | d |", "a b\nc d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MarkdownText(tt.in); got != tt.want {
				t.Errorf("MarkdownText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestViewer_CanSee(t *testing.T) {
	editor := Viewer{SignedIn: true, Members: []int64{10, 20}, Editors: []int64{10}}
	admin := Viewer{All: true, SignedIn: true}
	tests := []struct {
		name   string
		viewer Viewer
		scope  Scope
		owner  int64
		orgs   []int64
		want   bool
	}{
		{"PublicForNobody", Viewer{}, ScopePublic, 10, nil, true},
		{"NetworkNotForPublic", Viewer{}, ScopeNetwork, 10, nil, false},
		{"NetworkForUser", editor, ScopeNetwork, 99, nil, true},
		{"OrganisationOwnMember", editor, ScopeOrganisation, 20, []int64{20}, true},
		{"OrganisationCoOrg", editor, ScopeOrganisation, 99, []int64{99, 20}, true},
		{"OrganisationOther", editor, ScopeOrganisation, 99, []int64{99}, false},
		{"DraftEditor", editor, ScopeDraft, 10, []int64{10}, true},
		{"DraftMemberOnly", editor, ScopeDraft, 20, []int64{20}, false},
		{"DraftCoOrgEditor", editor, ScopeDraft, 99, []int64{99, 10}, false},
		{"DraftAdmin", admin, ScopeDraft, 99, nil, true},
		{"UnknownScope", editor, "secret", 10, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.viewer.CanSee(tt.scope, tt.owner, tt.orgs); got != tt.want {
				t.Errorf("CanSee = %v, want %v", got, tt.want)
			}
		})
	}
}
