// Package demo holds the demo network: the organisations, contact persons
// and home work that the seeds name, in one fixture (network.json) that
// later areas (library, events) can take their facts from.
package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/workshop"
)

//go:embed network.json
var networkJSON []byte

// Network is the demo fixture.
type Network struct {
	About         string         `json:"about"`
	Intro         string         `json:"intro"`
	Organisations []Organisation `json:"organisations"`
	Events        []Event        `json:"events"`
}

// Organisation is one organisation of the fixture.
type Organisation struct {
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	ShortName string    `json:"short_name"`
	Kind      string    `json:"kind"`
	Level     string    `json:"level"`
	LanCode   string    `json:"lan_code"`
	HomeWork  string    `json:"home_work"` // the seed's paragraph
	Contacts  []Contact `json:"contacts"`
	Mentions  []Mention `json:"mentions"` // works and events the paragraph names
	Source    string    `json:"source"`
}

// Contact is a contact person the seed names.
type Contact struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Email  string `json:"email"`
	Source string `json:"source"`
}

// Mention is a work or event named in an organisation's home work. The
// seeds give no URLs, so there are none.
type Mention struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	Note  string `json:"note"`
}

// Event is a network-wide event the seeds name.
type Event struct {
	Title  string `json:"title"`
	Date   string `json:"date"`
	Note   string `json:"note"`
	Source string `json:"source"`
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
			Level: account.Level(o.Level), LanCode: o.LanCode, DescriptionMD: o.HomeWork, Public: true,
		}
		for _, c := range o.Contacts {
			ao.Contacts = append(ao.Contacts, account.Contact{Name: c.Name, Title: c.Title, Email: c.Email})
		}
		out = append(out, ao)
	}
	return out
}

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
	if ws == nil {
		ws = newWorkshops(store.Workshops)
	}
	workshops, err := SeedWorkshops(ctx, ws, editor, admin.User)
	if err != nil {
		return nil, err
	}
	return &Seeded{Logins: logins, Workshops: workshops}, nil
}
