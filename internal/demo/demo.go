// Package demo holds the demo network: the organisations, contact persons
// and home work that the seeds name, in one fixture (network.json) that
// later areas (library, events) can take their facts from.
package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/workshop"
)

//go:embed network.json
var networkJSON []byte

// Network is the demo fixture. Every text in it comes from a source
// (Sources, by key) and carries the passage it comes from, verbatim; what
// no source gives says it is an example ("exempel").
type Network struct {
	About         string            `json:"about"`
	Intro         string            `json:"intro"`
	Sources       map[string]Source `json:"sources"`
	Organisations []Organisation    `json:"organisations"`
	Events        []Event           `json:"events"`
}

// Source is a document the fixture takes facts from: a file in testdata/
// and how the pages name it.
type Source struct {
	File  string `json:"file"`
	Title string `json:"title"`
}

// Organisation is one organisation of the fixture.
type Organisation struct {
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	NameNote  string `json:"name_note,omitempty"` // editorial, shown after the name
	ShortName string `json:"short_name"`
	Kind      string `json:"kind"`
	Level     string `json:"level"`
	LanCode   string `json:"lan_code"`
	HomeWork  string `json:"home_work"` // the seed's paragraph
	// DescriptionQuotes describe an organisation that has no paragraph of
	// its own: the passages that name it.
	DescriptionQuotes []Quote   `json:"description_quotes,omitempty"`
	Contacts          []Contact `json:"contacts"`
	Mentions          []Mention `json:"mentions"` // works and events the paragraph names
	News              []News    `json:"news,omitempty"`
	Source            string    `json:"source"`               // key of Sources
	SourceRow         string    `json:"source_row,omitempty"` // the row of a CSV source, by its code
	// CurrentName is the organisation's name today when the seed gives an
	// older one (editorial: SKL is SKR since 2019); the seed's name is
	// kept as a former name, and the seed's quotes stay verbatim.
	CurrentName string `json:"current_name,omitempty"`
}

// Quote is a passage of a source, verbatim.
type Quote struct {
	Seed  string `json:"seed"`
	Quote string `json:"quote"`
}

// Contact is a contact person the seed names.
type Contact struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Email  string `json:"email"`
	Source string `json:"source"`
}

// Mention is a work or event named in an organisation's home work: its
// title and note are in Quote (a title may be "who: what", each part in
// Quote). The seeds give no URLs, so there are none.
type Mention struct {
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Note        string `json:"note,omitempty"`
	Quote       string `json:"quote"`
	Seed        string `json:"seed,omitempty"` // "": the organisation's source
	HorizonYear int    `json:"horizon_year,omitempty"`
}

// News is a piece of news a seed gives, for the organisation's "På gång".
// Date is how much of the date DateQuote gives: YYYY-MM-DD, YYYY-MM,
// --MM (a month, no year) or "" (none); the post is dated the first day
// the date allows, and says so when the source gives less than a day.
type News struct {
	Seed      string `json:"seed,omitempty"`
	Quote     string `json:"quote"`
	Date      string `json:"date,omitempty"`
	DateQuote string `json:"date_quote,omitempty"`
}

// Event is a network-wide event the seeds name, with the answers of its
// groups, shown as posts of Org.
type Event struct {
	Title  string  `json:"title"`
	Date   string  `json:"date"`
	Note   string  `json:"note"`
	Seed   string  `json:"seed"`
	Quote  string  `json:"quote"` // the passage that names and dates it
	Org    string  `json:"org"`
	Groups []Group `json:"groups"`
}

// Group is one group's answers at an event, verbatim.
type Group struct {
	Name  string `json:"name"`
	Quote string `json:"quote"`
}

// Load parses the embedded fixture.
func Load() (*Network, error) {
	var n Network
	if err := json.Unmarshal(networkJSON, &n); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return &n, nil
}

// AccountOrganisations returns the fixture as account organisations, all public.
func (n *Network) AccountOrganisations() []account.Organisation {
	out := make([]account.Organisation, 0, len(n.Organisations))
	for _, o := range n.Organisations {
		ao := account.Organisation{
			Slug: o.Slug, Name: o.Name, ShortName: o.ShortName, Kind: account.OrgKind(o.Kind),
			Level: account.Level(o.Level), LanCode: o.LanCode, DescriptionMD: n.description(o), Public: true,
		}
		if o.NameNote != "" {
			ao.Name += " (" + o.NameNote + ")"
		}
		if o.CurrentName != "" {
			ao.Name, ao.FormerNames = o.CurrentName, []string{o.Name}
		}
		for _, c := range o.Contacts {
			ao.Contacts = append(ao.Contacts, account.Contact{Name: c.Name, Title: c.Title, Email: c.Email, DetailsPublic: c.Email != ""}) // published by the seed
		}
		out = append(out, ao)
	}
	return out
}

// description is an organisation's page text: its paragraph, or the
// passages that name it, each with its source.
func (n *Network) description(o Organisation) string {
	if o.HomeWork != "" || len(o.DescriptionQuotes) == 0 {
		return o.HomeWork
	}
	var b strings.Builder
	for i, q := range o.DescriptionQuotes {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("> " + strings.ReplaceAll(q.Quote, "\n", "\n> ") + "\n\n" + sourceKey + ": " + n.Sources[q.Seed].Title + ".")
	}
	return b.String()
}

// sourceKey is how the demo's texts name their sources in Swedish, the
// language of the sources (the pages translate their own "Källa" line).
const sourceKey = "Källa"

// Example accounts. They are labelled as examples: the seeds name no users.
const (
	AdminEmail  = "admin@framsyn.example"
	EditorEmail = "redaktor@framsyn.example"
	editorOrg   = "region-varmland"
)

// Login is an account the demo made, with its password.
type Login struct {
	Email, Password, Note string
}

// Store is what Seed needs beyond the account service: the account store
// (organisations and memberships), and the library's, posts' and
// workshops' stores.
type Store struct {
	Accounts  account.Store
	Library   library.Store
	Posts     post.Store
	Workshops workshop.Store
	Crosses   cross.Store // nil: no example crosses
}

// Seeded is what SeedAll made.
type Seeded struct {
	Logins    []Login
	Workshops *DemoWorkshops
}

// Seed is SeedAll with a workshop service of its own over store; it
// returns the logins.
func Seed(ctx context.Context, svc *account.Service, store Store) ([]Login, error) {
	s, err := SeedAll(ctx, svc, store, nil)
	if err != nil {
		return nil, err
	}
	return s.Logins, nil
}

// SeedAll creates or refreshes the demo network, the example accounts
// (giving each a new random password), the works the seeds name, the
// dated news they give, as posts, and the example workshops (see
// SeedWorkshops), through ws (nil: a service of its own over store).
// Running it again changes nothing but the passwords.
func SeedAll(ctx context.Context, svc *account.Service, store Store, ws *workshop.Service) (*Seeded, error) {
	n, err := Load()
	if err != nil {
		return nil, err
	}
	if err := svc.PutOrganisations(ctx, n.AccountOrganisations()); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var logins []Login
	var admin *account.Actor
	var editor *account.User
	for _, ex := range []struct {
		email, name, note string
		admin             bool
	}{
		{AdminEmail, "Exempel Administratör", "plattformsadministratör (exempel)", true},
		{EditorEmail, "Exempel Redaktör", "redaktör i Region Värmland (exempel)", false},
	} {
		pw := account.NewToken()[:20]
		u, err := svc.UserByEmail(ctx, ex.email)
		switch {
		case errs.Is(err, errs.NotFound):
			if u, err = svc.CreateUser(ctx, ex.email, ex.name, pw, ex.admin); err != nil {
				return nil, fmt.Errorf("demo: %w", err)
			}
		case err != nil:
			return nil, err
		default:
			if err := svc.SetPasswordByAdmin(ctx, u.ID, pw); err != nil {
				return nil, fmt.Errorf("demo: %w", err)
			}
		}
		if ex.admin {
			admin = &account.Actor{User: u}
		} else {
			editor = u
			o, err := store.Accounts.OrganisationBySlug(ctx, editorOrg)
			if err != nil {
				return nil, err
			}
			if err := store.Accounts.SetMembership(ctx, u.ID, o.ID, account.RoleEditor); err != nil {
				return nil, err
			}
		}
		logins = append(logins, Login{Email: ex.email, Password: pw, Note: ex.note})
	}
	if _, err := SeedWorks(ctx, library.NewService(store.Library), admin, store); err != nil {
		return nil, err
	}
	if _, err := SeedPosts(ctx, store.Posts, admin, store); err != nil {
		return nil, err
	}
	if store.Crosses != nil {
		if _, err := SeedCrosses(ctx, cross.NewService(store.Crosses), admin, store); err != nil {
			return nil, err
		}
	}
	if ws == nil {
		ws = newWorkshops(store.Workshops)
	}
	workshops, err := SeedWorkshops(ctx, ws, editor, admin.User)
	if err != nil {
		return nil, err
	}
	return &Seeded{Logins: logins, Workshops: workshops}, nil
}
