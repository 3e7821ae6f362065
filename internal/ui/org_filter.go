package ui

import (
	"context"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/search"
)

// A list's organisation filter is one text field (partial "orgfilter"):
// combobox.js turns it into a combobox fed by /api/v1/organizations?q=
// and submits the chosen organisation's slug; without script one types a
// name, and resolveOrg finds it. Either way the page never loads every
// organisation.

// orgMatches bounds how many organisations resolveOrg reads for a name.
const orgMatches = 20

// orgChoice is what the organisation filter shows: the text as typed and
// the organisation it names, if any.
type orgChoice struct {
	Text    string
	Org     *account.Organisation
	Unknown bool // text was typed and names no organisation a may see
}

// Value is what the field shows: the organisation's name, or the text.
func (c orgChoice) Value() string {
	if c.Org != nil {
		return c.Org.Name
	}
	return c.Text
}

// Slug is the chosen organisation's slug, or "".
func (c orgChoice) Slug() string {
	if c.Org != nil {
		return c.Org.Slug
	}
	return ""
}

// ID is the chosen organisation's id, or 0.
func (c orgChoice) ID() int64 {
	if c.Org != nil {
		return c.Org.ID
	}
	return 0
}

// resolveOrg finds the organisation typed into a filter: by slug, else
// the one whose name or short name it is (folded, case aside; the first in
// Swedish order when several share it), else the only one whose words
// begin so. Nothing found is no error: a list is never an error page.
func (s *Server) resolveOrg(ctx context.Context, a *account.Actor, typed string) (orgChoice, error) {
	c := orgChoice{Text: strings.TrimSpace(typed)}
	if len(c.Text) > 200 {
		c.Text = c.Text[:200]
	}
	if c.Text == "" {
		return c, nil
	}
	o, err := s.cfg.Accounts.Organisation(ctx, a, c.Text)
	if err == nil {
		c.Org = o
		return c, nil
	}
	if !errs.Is(err, errs.NotFound) {
		return c, err
	}
	orgs, err := s.cfg.Accounts.Organisations(ctx, a, account.OrgFilter{Query: c.Text, Order: account.OrderName, Limit: orgMatches})
	if err != nil {
		return c, err
	}
	folded := search.Fold(strings.ToLower(c.Text))
	for i := range orgs {
		if search.Fold(strings.ToLower(orgs[i].Name)) == folded || (orgs[i].ShortName != "" && search.Fold(strings.ToLower(orgs[i].ShortName)) == folded) {
			c.Org = &orgs[i]
			return c, nil
		}
	}
	if len(orgs) == 1 {
		c.Org = &orgs[0]
		return c, nil
	}
	c.Unknown = true
	return c, nil
}

// orgField is the data of the "orgfilter" partial.
type orgField struct {
	Page   *i18n.Translator
	Choice orgChoice
}

// OrgField is the library's organisation filter, for the partial.
func (p *libraryPage) OrgField() orgField { return orgField{p.Translator, p.Filter.Org} }

// OrgField is the site search's organisation filter, for the partial.
func (p *searchPage) OrgField() orgField { return orgField{p.Translator, p.Form.Org} }
