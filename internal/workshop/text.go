package workshop

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/framsyn/framsyn/internal/errs"
)

// Text limits, in characters as people count them (see Length).
const (
	MaxNote      = 280
	MaxShort     = 80 // cluster, axis and pole names, scenario names, owners
	MaxNickname  = 40
	MaxGroupName = 60
	MaxQuestion  = 300
	MaxTitle     = 120
	MaxStory     = 4000
	MaxParagraph = 2000
)

// cleanText validates and normalises free text: valid UTF-8, stored in
// NFC, no control characters (newlines only when multiline), no bidi
// overrides, trimmed, not empty unless optional, at most max characters.
// It returns the clean text or an Invalid error naming field.
func cleanText(field, s string, max int, multiline, optional bool) (string, error) {
	bad := func(key string) error {
		return &errs.Error{Kind: errs.Invalid, Key: key, Fields: errs.Fields{field: key}}
	}
	if !utf8.ValidString(s) {
		return "", bad("workshop.text_invalid")
	}
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	for _, r := range s {
		switch {
		case r == '\n' && multiline:
		case r == '\t':
		case r < 0x20, r >= 0x7f && r <= 0x9f:
			return "", bad("workshop.text_control")
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return "", bad("workshop.text_control")
		case r == 0xfffe, r == 0xffff:
			return "", bad("workshop.text_invalid")
		}
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\t", " "))
	if s == "" {
		if optional {
			return "", nil
		}
		return "", bad("workshop.text_required")
	}
	if Length(s) > max {
		return "", bad("workshop.text_too_long")
	}
	return s, nil
}

// Length counts characters as a reader sees them, close to grapheme
// clusters: combining marks, variation selectors, skin-tone modifiers and
// the parts of a zero-width-joiner emoji sequence count once with the
// character they belong to.
func Length(s string) int {
	n := 0
	joined := false
	for _, r := range s {
		switch {
		case r == 0x200d: // zero width joiner: the next rune joins this one
			joined = true
			continue
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r),
			r >= 0xfe00 && r <= 0xfe0f, r >= 0x1f3fb && r <= 0x1f3ff, r >= 0xe0020 && r <= 0xe007f:
			continue
		}
		if joined {
			joined = false
			continue
		}
		n++
	}
	return n
}

// confusable maps letters that look like Latin ones to them, so a
// nickname cannot pose as another person's with Cyrillic or Greek twins.
var confusable = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c',
	'т': 't', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'ӏ': 'l',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
	'υ': 'u', 'χ': 'x', 'γ': 'y', 'ω': 'w',
	'0': 'o', '1': 'l', '|': 'l', 'ı': 'i', 'ł': 'l', 'ø': 'o', 'ß': 's',
}

// confusableUpper maps capitals whose small letter no longer looks Latin
// (Greek Η is H, but η looks like n), before the nickname is lower-cased.
var confusableUpper = map[rune]rune{
	'Η': 'h', 'Ν': 'n', 'Μ': 'm', 'Τ': 't', 'Χ': 'x', 'Ζ': 'z', 'Υ': 'y', 'Κ': 'k', 'Ρ': 'p', 'Β': 'b',
	'Α': 'a', 'Ε': 'e', 'Ι': 'l', 'Ο': 'o',
}

// NicknameKey is the form of a nickname used to spot look-alikes: without
// accents, case, spaces and punctuation, with confusable letters mapped.
// "Åsa", "asa" and "Аsа" (Cyrillic) share one key.
func NicknameKey(s string) string {
	var b strings.Builder
	s = strings.Map(func(r rune) rune {
		if c, ok := confusableUpper[r]; ok {
			return c
		}
		return r
	}, s)
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if c, ok := confusable[r]; ok {
			r = c
		}
		if r == 'i' || r == 'l' { // I, l and 1 look alike in many fonts
			r = 'l'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// reserved are nicknames that would pose as the people running the room.
var reserved = map[string]bool{}

func init() {
	for _, n := range []string{"facilitator", "facilitatorn", "moderator", "moderatorn", "processledare",
		"processledaren", "admin", "administrator", "administratör", "framsyn", "host", "värd", "system"} {
		reserved[NicknameKey(n)] = true
	}
}

// CleanNickname validates a guest's nickname.
func CleanNickname(s string) (string, error) {
	s, err := cleanText("nickname", s, MaxNickname, false, false)
	if err != nil {
		return "", err
	}
	key := NicknameKey(s)
	if key == "" {
		return "", &errs.Error{Kind: errs.Invalid, Key: "workshop.nickname_letters", Fields: errs.Fields{"nickname": "workshop.nickname_letters"}}
	}
	if reserved[key] {
		return "", &errs.Error{Kind: errs.Invalid, Key: "workshop.nickname_reserved", Fields: errs.Fields{"nickname": "workshop.nickname_reserved"}}
	}
	return s, nil
}
