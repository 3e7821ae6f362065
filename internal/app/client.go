package app

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
)

// ParseTrustedProxies reads a comma-separated list of CIDR prefixes or
// single addresses (the --trusted-proxies setting).
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is neither an address nor a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// clientAddr is the address of the client: the peer, unless the peer is a
// trusted proxy, and then the rightmost address of X-Forwarded-For that
// is not a trusted proxy. Addresses a client writes itself (left of the
// first untrusted hop) are never believed.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(trusted) == 0 {
		return host
	}
	isTrusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	if !isTrusted(host) {
		return host
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if !isTrusted(hop) {
			if a, err := netip.ParseAddr(hop); err == nil {
				return a.Unmap().String()
			}
			return host // a malformed hop: fall back to the proxy
		}
		host = hop
	}
	return host
}

// clientAddress puts the client's address into each request's context.
func clientAddress(next http.Handler, trusted []netip.Prefix) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(account.WithClient(r.Context(), clientAddr(r, trusted))))
	})
}
