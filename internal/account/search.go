package account

import (
	"strings"

	"github.com/framsyn/framsyn/internal/search"
)

// OrganisationKind is the search document kind of organisations.
const OrganisationKind = "organisation"

// SearchDocument returns the organisation as the search index holds it:
// the name; the short name, former names, description (the home work)
// and contact persons as text; kind, level and län as tags. A public profile is
// public; a hidden one is found by its members, as CanSeeOrganisation says.
func (o *Organisation) SearchDocument() search.Document {
	body := append([]string{o.ShortName}, o.FormerNames...)
	body = append(body, search.MarkdownText(o.DescriptionMD))
	for _, c := range o.Contacts {
		body = append(body, strings.TrimSpace(c.Name+" "+c.Title))
	}
	d := search.Document{
		Kind: OrganisationKind, ID: o.ID, Scope: search.ScopePublic, Owner: o.ID, Orgs: []int64{o.ID},
		Title: o.Name, Body: strings.TrimSpace(strings.Join(body, "\n")), Date: o.UpdatedAt,
		Tags: []string{search.Tag("kind", string(o.Kind)), search.Tag("level", string(o.Level))},
	}
	if !o.Public {
		d.Scope = search.ScopeOrganisation
	}
	if o.LanCode != "" {
		d.Tags = append(d.Tags, search.Tag("lan", o.LanCode))
	}
	return d
}

// ViewerOf returns the search viewer of an actor, in the terms the index
// filters by; nil is the public.
func ViewerOf(a *Actor) search.Viewer {
	v := search.Viewer{All: a.IsAdmin(), SignedIn: a.SignedIn()}
	if !v.SignedIn {
		return v
	}
	for _, m := range a.Memberships {
		if m.Role.AtLeast(RoleMember) {
			v.Members = append(v.Members, m.OrganisationID)
		}
		if m.Role.AtLeast(RoleEditor) {
			v.Editors = append(v.Editors, m.OrganisationID)
		}
	}
	return v
}
