package account

import (
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

var collators = sync.Pool{New: func() any { return collate.New(language.Swedish) }}

// MaxSortKey bounds a sort key, so that an index entry holding it stays
// within PostgreSQL's 2,704 bytes: names that differ only past it (after
// some hundred letters) sort by their ids.
const MaxSortKey = 512

// NameSortKey returns the Swedish collation key of a name (å ä ö after z,
// case and accents a later level), at most MaxSortKey bytes: keys compare
// as bytes in the order the names sort. Storage keeps it per
// organisation, and the API's cursor carries it.
func NameSortKey(name string) []byte {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	k := c.KeyFromString(&buf, name)
	return append([]byte{}, k[:min(len(k), MaxSortKey)]...)
}
