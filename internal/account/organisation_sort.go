package account

import (
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

var collators = sync.Pool{New: func() any { return collate.New(language.Swedish) }}

// NameSortKey returns the Swedish collation key of a name (å ä ö after z,
// case and accents a later level): keys compare as bytes in the order the
// names sort. Storage keeps it per organisation, and the API's cursor
// carries it.
func NameSortKey(name string) []byte {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	return append([]byte{}, c.KeyFromString(&buf, name)...)
}
