package app

import (
	"net/http/httptest"
	"testing"
)

// TestClientAddr is issue 18 row 12: behind a trusted proxy each client
// has its own address; X-Forwarded-For from anyone else is ignored.
func TestClientAddr(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		peer    string
		xff     []string
		trusted bool
		want    string
	}{
		{"OKNoProxies", "203.0.113.5:4000", []string{"1.2.3.4"}, false, "203.0.113.5"},
		{"OKUntrustedPeerSpoofs", "203.0.113.5:4000", []string{"1.2.3.4"}, true, "203.0.113.5"},
		{"OKTrustedProxy", "10.1.2.3:4000", []string{"198.51.100.9"}, true, "198.51.100.9"},
		{"OKClientPrependsLies", "10.1.2.3:4000", []string{"1.2.3.4, 198.51.100.9"}, true, "198.51.100.9"},
		{"OKChainOfProxies", "192.0.2.7:4000", []string{"198.51.100.9, 10.9.9.9"}, true, "198.51.100.9"},
		{"OKSeveralHeaders", "10.1.2.3:4000", []string{"1.2.3.4", "198.51.100.10"}, true, "198.51.100.10"},
		{"OKOnlyProxies", "10.1.2.3:4000", []string{"10.2.2.2"}, true, "10.2.2.2"},
		{"OKNoHeader", "10.1.2.3:4000", nil, true, "10.1.2.3"},
		{"OKMalformedHop", "10.1.2.3:4000", []string{"nonsense"}, true, "10.1.2.3"},
		{"OKIPv6", "[2001:db8::1]:4000", []string{"1.2.3.4"}, true, "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			tr := trusted
			if !tt.trusted {
				tr = nil
			}
			if got := clientAddr(r, tr); got != tt.want {
				t.Errorf("clientAddr = %q, want %q", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"10.0.0.0/33", "nonsense", "10.0.0.0/8;rm"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
}
