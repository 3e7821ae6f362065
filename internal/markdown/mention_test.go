package markdown

import (
	"slices"
	"strings"
	"testing"
)

func TestMentions(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"Hej @anna-andersson och @Bo_1!", []string{"anna-andersson", "bo_1"}},
		{"@anna-andersson @anna-andersson", []string{"anna-andersson"}},
		{"skriv till anna@example.se", nil},
		{"`@kod` och\n\n    @block\n\n```\n@fenced\n```", nil},
		{"[@lank](https://example.se) @ab @" + strings.Repeat("x", 31), nil},
		{"*@betonad*", []string{"betonad"}},
	}
	for _, tt := range tests {
		if got := Mentions(tt.src); !slices.Equal(got, tt.want) {
			t.Errorf("Mentions(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestHTMLWith(t *testing.T) {
	known := map[string]Person{"anna-andersson": {Name: "Anna <Andersson>"}}
	tests := []struct {
		name, src string
		want      []string
		not       []string
	}{
		{"known becomes the name", "Hej @anna-andersson!", []string{`<span class="mention" title="@anna-andersson">@Anna &lt;Andersson&gt;</span>!`}, nil},
		{"unknown stays text", "Hej @okand!", []string{"Hej @okand!"}, []string{"mention"}},
		{"code is left alone", "`@anna-andersson`\n\n```\n@anna-andersson\n```", []string{"<code>@anna-andersson</code>"}, []string{"mention"}},
		{"e-mail is no mention", "x@anna-andersson.se", nil, []string{"class=\"mention\""}},
		{"a forged span loses its class", `<span class="mention">@falsk</span>`, nil, []string{`class="mention"`}},
	}
	for _, tt := range tests {
		got := string(HTMLWith(tt.src, known))
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tt.name, got, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: %q has %q", tt.name, got, w)
			}
		}
	}
	if got := string(HTML("Hej @anna-andersson")); strings.Contains(got, "mention") {
		t.Errorf("HTML without people made a mention: %q", got)
	}
}
