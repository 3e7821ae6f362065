package search

// SynonymGroup is a set of names, abbreviations or words a search treats
// as one: "SKR", "SKL", "Sveriges Kommuner och Regioner". Platform admins
// keep the groups; a query with one of them finds the others.
type SynonymGroup struct {
	ID      int64
	Phrases []string // as typed
}

// Limits of a synonym group.
const (
	MaxSynonymPhrases = 12
	MaxSynonymRunes   = 80
)
