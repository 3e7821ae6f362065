package account_test

import (
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
)

func TestHandles(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"Åsa Öberg", "asa-oberg"},
		{"  Per   Svensson ", "per-svensson"},
		{"Émile Zoë", "emile-zoe"},
		{"Li", "li-1"},
		{"ÅÄÖ", "aao"},
		{"", "user"},
		{strings.Repeat("abcdefghij", 5), "abcdefghijabcdefghijabcdef"},
	} {
		got := account.HandleBase(tt.name)
		if got != tt.want || !account.ValidHandle(got) || !account.ValidHandle(account.HandleCandidate(got, 99)) {
			t.Errorf("HandleBase(%q) = %q, want %q (valid with a suffix)", tt.name, got, tt.want)
		}
	}
	for h, ok := range map[string]bool{"abc": true, "a-b_c9": true, "ab": false, "Abc": false, "åsa": false, "a b c": false,
		strings.Repeat("a", 30): true, strings.Repeat("a", 31): false} {
		if account.ValidHandle(h) != ok {
			t.Errorf("ValidHandle(%q) != %t", h, ok)
		}
	}
	if h, err := account.NormalizeHandle(" @Anna-B "); err != nil || h != "anna-b" {
		t.Errorf("NormalizeHandle: %q, %v", h, err)
	}
}
