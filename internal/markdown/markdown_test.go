package markdown

import (
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	tests := []struct {
		name, in      string
		want, notWant []string
	}{
		{"Emphasis", "*framsyn* 2050", []string{"<em>framsyn</em>"}, nil},
		{"Link", "[Region](https://example.se)", []string{`href="https://example.se"`, `rel="nofollow"`}, nil},
		{"ScriptRemoved", "<script>alert(1)</script>\n\nhej", []string{"hej"}, []string{"<script", "alert(1)</script>"}},
		{"JavascriptLinkRemoved", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"EventAttributeRemoved", `<img src="x" onerror="alert(1)">`, nil, []string{"onerror"}},
		{"IframeRemoved", `<iframe src="https://evil.example"></iframe>`, nil, []string{"<iframe"}},
		{"DataURLRemoved", `[x](data:text/html;base64,PHNjcmlwdD4=)`, nil, []string{"data:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(HTML(tt.in))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("HTML(%q) = %q, want it to contain %q", tt.in, got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("HTML(%q) = %q, must not contain %q", tt.in, got, w)
				}
			}
		})
	}
}
