package account

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
)

// Limits on a handle, the name a user is @mentioned by.
const (
	MinHandleLen = 3
	MaxHandleLen = 30
)

// ValidHandle reports whether h is a handle: 3–30 of a–z, 0–9, dash and
// underscore.
func ValidHandle(h string) bool {
	if len(h) < MinHandleLen || len(h) > MaxHandleLen {
		return false
	}
	for i := 0; i < len(h); i++ {
		if !IsHandleByte(h[i]) {
			return false
		}
	}
	return true
}

// IsHandleByte reports whether c may be in a handle.
func IsHandleByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// NormalizeHandle trims, drops a leading @ and lower-cases s; it returns
// a field error for what is no handle then.
func NormalizeHandle(s string) (string, error) {
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "@"))
	if !ValidHandle(s) {
		return "", errs.Fields{"handle": "account.handle_invalid"}.Err()
	}
	return s, nil
}

// HandleBase is the handle made from a display name: lower case, å ä à
// á as a, ö ø ó as o, é è as e, ü as u, spaces (and any other run of
// what is no handle character) as one dash, cut to leave room for a
// numbered suffix; "user" when nothing is left, padded when short.
func HandleBase(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch r {
		case 'å', 'ä', 'à', 'á', 'â', 'æ':
			r = 'a'
		case 'ö', 'ø', 'ó', 'ò', 'ô':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú', 'ù':
			r = 'u'
		case 'í', 'ì', 'ï':
			r = 'i'
		}
		if r < utf8.RuneSelf && IsHandleByte(byte(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	h := b.String()
	if len(h) > MaxHandleLen-4 {
		h = strings.TrimRight(h[:MaxHandleLen-4], "-_")
	}
	if h == "" {
		h = "user"
	}
	for len(h) < MinHandleLen {
		h += "-1"
	}
	return h
}

// HandleCandidate is the nth handle tried for base: base itself, then
// base-2, base-3…
func HandleCandidate(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "-" + strconv.Itoa(n)
}

// UsersByHandles returns the users of those of handles that exist, by
// handle, for the @mentions of comments (which check what each may see
// themselves); at most MaxHandleLookup handles are looked up.
func (s *Service) UsersByHandles(ctx context.Context, handles []string) (map[string]User, error) {
	if len(handles) > MaxHandleLookup {
		handles = handles[:MaxHandleLookup]
	}
	return s.store.UsersByHandles(ctx, handles)
}

// MaxHandleLookup bounds one look-up of handles (a thread's mentions).
const MaxHandleLookup = 1000
