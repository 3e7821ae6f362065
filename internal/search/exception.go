package search

import "strings"

// stemClasses are the platform's words whose forms Snowball scatters over
// several stems: it leaves "scenario", "scenariot" and "scenariet" whole
// (their endings lie outside its R1 region) but cuts "scenarier" to
// "scenari", so no one stem found them all. Each class is a stem and the
// endings that make its forms; a word ending in a form (compounds
// included: "framtidsscenariet") is cut to the stem before Snowball is
// asked. A stem is a prefix of each of its forms, which the highlighter
// relies on. TestStem_Exceptions holds every form to its stem.
var stemClasses = []struct {
	stem    string
	endings string
}{
	{"scenari", "o ot ots os et ets e en ens er ers erna ernas"},
	{"kriteri", "um ums et ets er ers erna ernas"},
	{"muse", "um ums et ets er ers erna ernas"},
	{"centr", "um ums umet umets a et ets"},
	{"forum", "- s et ets en ens"},
	{"index", "- s et ets en ens ar arna arnas"},
	{"studi", "um ums et ets er ers erna ernas"},
	{"seminari", "um ums et ets er ers erna ernas"},
	{"gymnasi", "um ums et ets er ers erna ernas"},
	{"konsorti", "um ums et ets er ers erna ernas"},
	{"laboratori", "um ums et ets er ers erna ernas"},
	{"decenni", "um ums et ets er ers erna ernas"},
	{"millenni", "um ums et ets er ers erna ernas"},
	{"podi", "um ums et ets er ers erna ernas"},
	{"medi", "um ums et ets a as er erna"},
	{"analy", "s sen sens ser sers serna sernas"},
	{"landsting", "- s et ets en ens"},
	{"tem", "a at ats an ana ans anas"},
	{"schem", "a at ats an ana ans anas"},
}

// stemForms maps every form of stemClasses to the length of its ending;
// maxForm is the longest form in bytes.
var stemForms, maxForm = func() (map[string]int, int) {
	m := map[string]int{}
	longest := 0
	for _, c := range stemClasses {
		for _, e := range strings.Fields(c.endings) {
			if e == "-" {
				e = ""
			}
			m[c.stem+e] = len(e)
			longest = max(longest, len(c.stem+e))
		}
	}
	return m, longest
}()

// exceptionStem returns the stem of w by stemClasses, or "" when w ends in
// none of their forms. The longest form wins.
func exceptionStem(w string) string {
	for i := max(0, len(w)-maxForm); i < len(w); i++ {
		if i > 0 && !isRuneStart(w[i]) {
			continue
		}
		if cut, ok := stemForms[w[i:]]; ok {
			return w[:len(w)-cut]
		}
	}
	return ""
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
