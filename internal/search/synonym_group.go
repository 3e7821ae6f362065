package search

import "context"

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

// Synonyms is the table of synonym groups (storage implements it on both
// engines). Who may change it is decided by the caller: platform admins,
// through the route table.
type Synonyms interface {
	SynonymGroups(ctx context.Context) ([]SynonymGroup, error)
	// AddSynonymGroup stores a group; Invalid when it has fewer than two
	// searchable phrases or a phrase is too long.
	AddSynonymGroup(ctx context.Context, phrases []string) (int64, error)
	// DeleteSynonymGroup removes a group; NotFound when there is none.
	DeleteSynonymGroup(ctx context.Context, id int64) error
}
