package analysis

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// Fetching a dataset from a URL the user gives: http(s) only, a timeout,
// a size limit, and never to a private, loopback, link-local or otherwise
// non-public address. The address is checked when the connection is
// dialled (net.Dialer.Control), after DNS, so a name that resolves to a
// public address for a check and a private one for the request (DNS
// rebinding) is still refused; redirects are dialled the same way.

// Fetch limits.
const (
	FetchTimeout = 15 * time.Second
	MaxFetchSize = 16 << 20
)

// Fetcher fetches datasets from URLs.
type Fetcher struct {
	client *http.Client
	max    int64
}

// NewFetcher returns the Fetcher the server uses.
func NewFetcher() *Fetcher { return newFetcher(publicOnly) }

// NewTestFetcher allows addresses allow accepts as well as public ones,
// for tests that serve files from loopback. Never used by the server.
func NewTestFetcher(allow func(netip.Addr) bool) *Fetcher {
	return newFetcher(func(a netip.Addr) bool { return allow(a) || publicOnly(a) })
}

func newFetcher(ok func(netip.Addr) bool) *Fetcher {
	dialer := &net.Dialer{
		Timeout: 5 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("fetch: dial %q: %w", address, err)
			}
			if !ok(ap.Addr().Unmap()) {
				return &refusedAddr{addr: ap.Addr()}
			}
			return nil
		},
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial on our behalf, unchecked
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second,
		MaxIdleConns:          2,
		IdleConnTimeout:       30 * time.Second,
	}
	return &Fetcher{max: MaxFetchSize, client: &http.Client{
		Transport: tr,
		Timeout:   FetchTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("fetch: too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return &refusedScheme{}
			}
			return nil
		},
	}}
}

type refusedAddr struct{ addr netip.Addr }

func (e *refusedAddr) Error() string { return "fetch: refused non-public address " + e.addr.String() }

type refusedScheme struct{}

func (*refusedScheme) Error() string { return "fetch: only http and https" }

// publicOnly reports whether a is an address the server may fetch from.
func publicOnly(a netip.Addr) bool {
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// nonPublic are ranges beyond the netip predicates: carrier-grade NAT,
// IETF protocol assignments, documentation, benchmarking, 6to4 relay,
// reserved, NAT64 and discard-only prefixes.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("192.88.99.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"),
}

// Fetch gets raw and returns the body. A URL that is not http(s), an
// address that is not public, a timeout, a status other than 200 or a
// body over the limit is an Invalid error with a Swedish message.
func (f *Fetcher) Fetch(ctx context.Context, raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, errs.Wrap(errs.Invalid, "analysis.fetch.scheme", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "analysis.fetch.scheme", err)
	}
	req.Header.Set("Accept", "application/json, text/csv;q=0.9, */*;q=0.5")
	req.Header.Set("User-Agent", "framsyn dataset import")
	resp, err := f.client.Do(req)
	if err != nil {
		var ra *refusedAddr
		var rs *refusedScheme
		var ne net.Error
		switch {
		case errors.As(err, &ra):
			return nil, errs.Wrap(errs.Invalid, "analysis.fetch.private", err)
		case errors.As(err, &rs):
			return nil, errs.Wrap(errs.Invalid, "analysis.fetch.scheme", err)
		case errors.As(err, &ne) && ne.Timeout():
			return nil, errs.Wrap(errs.Invalid, "analysis.fetch.timeout", err)
		}
		return nil, errs.Wrap(errs.Invalid, "analysis.fetch.failed", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, errs.Wrap(errs.Invalid, "analysis.fetch.status", fmt.Errorf("fetch: status %d", resp.StatusCode))
	}
	if resp.ContentLength > f.max {
		return nil, errs.E(errs.Invalid, "analysis.fetch.too_large")
	}
	b, err := ReadAllLimited(resp.Body, f.max)
	if errs.Is(err, errs.TooLarge) {
		return nil, errs.E(errs.Invalid, "analysis.fetch.too_large")
	}
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "analysis.fetch.failed", err)
	}
	return b, nil
}
