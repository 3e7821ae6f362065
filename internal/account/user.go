// Package account holds people and organisations: users, sessions, API
// tokens, invitations, organisations, contact persons and who may do what.
package account

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
)

// User is a person with an account.
type User struct {
	ID          int64
	Email       string
	Name        string
	Handle      string // for @mentions: see ValidHandle; made from Name when empty
	IsAdmin     bool   // platform admin
	Disabled    bool
	HasPassword bool
	Language    string // the site's language they chose ("sv", "en"), "" until they do: their e-mails' too
	CreatedAt   time.Time
}

// Limits on account fields.
const (
	MaxNameLen         = 200
	MaxEmailLen        = 254
	MinPasswordLen     = 12
	MaxPasswordLen     = 256
	MaxTokenNameLen    = 100
	DefaultTokenDays   = 90  // an API token's life unless its owner chooses
	MaxTokenDays       = 365 // the longest an owner may choose
	SessionIdleTTL     = 7 * 24 * time.Hour
	SessionAbsoluteTTL = 30 * 24 * time.Hour
	InvitationTTL      = 14 * 24 * time.Hour
	ResetTTL           = time.Hour
)

// NormalizeEmail trims and lower-cases an address; it returns "" for an
// address that does not parse.
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > MaxEmailLen {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return ""
	}
	return s
}

func validateName(f errs.Fields, field, name string, required bool) string {
	name = strings.TrimSpace(name)
	switch {
	case name == "" && required:
		f[field] = "error.required"
	case utf8.RuneCountInString(name) > MaxNameLen:
		f[field] = "error.too_long"
	case strings.ContainsAny(name, "\x00\r\n"):
		f[field] = "error.invalid_chars"
	}
	return name
}

func validatePassword(f errs.Fields, field, pw string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		f[field] = "account.password_too_short"
	case n > MaxPasswordLen:
		f[field] = "error.too_long"
	case weakPassword(pw):
		f[field] = "account.password_common"
	}
}
