package ui

// CrossDomain names a cross's domain in the page's language: one of the
// suggested domains (cross.Domains, stored in Swedish) has its name in
// the catalogue, cross.domain.<Swedish name>; any other was typed by an
// editor and is shown as typed.
func (b base) CrossDomain(d string) string {
	if k := "cross.domain." + d; b.Translator != nil && b.Has(k) {
		return b.T(k)
	}
	return d
}
