package account

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
)

// commonPasswordsText is one password a line: the 10,000 most common of
// the frequency list zxcvbn ships (github.com/trustelem/zxcvbn v1.0.1,
// data/passwords.txt, MIT; counted from Xato's ten million leaked
// passwords), lower-case, then a few common Swedish ones.
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 10100)
	for _, l := range strings.Split(commonPasswordsText, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			m[l] = true
		}
	}
	return m
})

// sequences are runs a person types without thinking: the alphabet,
// digits and walks over a Swedish or English keyboard.
var sequences = []string{
	"abcdefghijklmnopqrstuvwxyzåäö", "0123456789",
	"qwertyuiopåasdfghjklöäzxcvbnm", "qwertyuiopasdfghjklzxcvbnm",
	"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "1q2w3e4r5t6y7u8i9o0p", "qazwsxedcrfvtgbyhnujmikolp",
}

// weakPassword reports whether pw is common (ASVS 6.2.4) or made from a
// common password the usual ways: case, spaces, digits or signs around
// it, repeating a short part, or a run along the alphabet, the digits or
// the keyboard. The length rule stands beside it.
func weakPassword(pw string) bool {
	lower := strings.ToLower(pw)
	squashed := strings.ReplaceAll(lower, " ", "")
	core := strings.TrimFunc(squashed, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, c := range []string{lower, squashed, core} {
		if len([]rune(c)) < 5 {
			continue
		}
		if commonPasswords()[c] || isRepeat(c) || isSequence(c) {
			return true
		}
	}
	return false
}

// isRepeat reports whether s is a part shorter than MinPasswordLen
// repeated (the last time perhaps cut short): to a guesser it is no
// longer than that part.
func isRepeat(s string) bool {
	rs := []rune(s)
	for p := 1; p < MinPasswordLen && 2*p <= len(rs); p++ {
		same := true
		for i := p; i < len(rs) && same; i++ {
			same = rs[i] == rs[i%p]
		}
		if same {
			return true
		}
	}
	return false
}

// isSequence reports whether s runs along one of the sequences, forwards
// or backwards, wrapping round (7890123…).
func isSequence(s string) bool {
	rs := []rune(s)
	back := make([]rune, len(rs))
	for i, r := range rs {
		back[len(rs)-1-i] = r
	}
	for _, seq := range sequences {
		run := strings.Repeat(seq, len(rs)/len([]rune(seq))+2)
		if strings.Contains(run, s) || strings.Contains(run, string(back)) {
			return true
		}
	}
	return false
}
