package app

import "testing"

func TestDefaultBaseURL(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"127.0.0.1:8080", "http://127.0.0.1:8080"},
		{":8080", "http://localhost:8080"},
		{"0.0.0.0:8080", "http://localhost:8080"},
		{"[::]:8080", "http://localhost:8080"},
		{"[::1]:8080", "http://[::1]:8080"},
		{"framsyn.local:80", "http://framsyn.local:80"},
		{"bad", "http://bad"},
	} {
		if got := defaultBaseURL(tc.addr); got != tc.want {
			t.Errorf("defaultBaseURL(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
