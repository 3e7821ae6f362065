package api

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/markdown"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/route"
)

// Organization is an organisation as the API shows it.
type Organization struct {
	Slug            string    `json:"slug"`
	Name            string    `json:"name"`
	ShortName       string    `json:"short_name,omitempty"`
	FormerNames     []string  `json:"former_names,omitempty"`
	Kind            string    `json:"kind"`
	Level           string    `json:"level"`
	LanCode         string    `json:"lan_code,omitempty"`
	Description     string    `json:"description_md"`
	DescriptionHTML string    `json:"description_html"`
	Website         string    `json:"website,omitempty"`
	LogoURL         string    `json:"logo_url,omitempty"`
	Public          bool      `json:"public"`
	URL             string    `json:"url"`
	Contacts        []Contact `json:"contacts"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Contact is a contact person as the API shows it.
type Contact struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// organization is o as a shows it: a contact's e-mail and phone only
// where the organisation made them public, or to the signed-in network.
func (s *organizationsAPI) organization(a *account.Actor, o *account.Organisation) Organization {
	out := Organization{
		Slug: o.Slug, Name: o.Name, ShortName: o.ShortName, FormerNames: o.FormerNames, Kind: string(o.Kind), Level: string(o.Level),
		LanCode: o.LanCode, Description: o.DescriptionMD, DescriptionHTML: string(markdown.HTML(o.DescriptionMD)),
		Website: o.Website, Public: o.Public, URL: s.baseURL + paths.Organisation(o.Slug),
		Contacts: []Contact{}, UpdatedAt: o.UpdatedAt,
	}
	if o.Logo != "" {
		out.LogoURL = s.baseURL + "/media/" + o.Logo
	}
	for _, c := range o.Contacts {
		oc := Contact{Name: c.Name, Title: c.Title}
		if c.ShowDetails(a) {
			oc.Email, oc.Phone = c.Email, c.Phone
		}
		out.Contacts = append(out.Contacts, oc)
	}
	return out
}

const defaultLimit, maxLimit = 50, 200

// pageLimit reads ?limit=, 1..maxLimit.
func pageLimit(r *http.Request) (int, error) {
	n, bad := readLimit(r.URL.Query())
	if bad != "" {
		return 0, errs.Fields{"limit": bad}.Err()
	}
	return n, nil
}

// readLimit reads ?limit=, 1..maxLimit, for a handler that gathers its
// field errors itself: the message key when it is out of range, else "".
func readLimit(q url.Values) (n int, bad string) {
	v := q.Get("limit")
	if v == "" {
		return defaultLimit, ""
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, "api.limit_invalid"
	}
	return n, ""
}

func (s *organizationsAPI) listOrganizations(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := account.OrgFilter{Kind: account.OrgKind(q.Get("kind")), Level: account.Level(q.Get("level")), LanCode: q.Get("lan_code"), Limit: limit + 1}
	fields := errs.Fields{}
	if f.Kind != "" && !validKind(f.Kind) {
		fields["kind"] = "error.choose"
	}
	if f.Level != "" && !validLevel(f.Level) {
		fields["level"] = "error.choose"
	}
	if f.LanCode != "" && !lanCode.MatchString(f.LanCode) {
		fields["lan_code"] = "org.lan_code_invalid"
	}
	// With q, a prefix search by name (the combobox of the lists' filter),
	// paged by a cursor of the last name's sort key and id; else by slug.
	f.Query = strings.TrimSpace(q.Get("q"))
	if len(f.Query) > maxQuery {
		fields["q"] = "api.query_too_long"
	}
	if f.Query != "" {
		f.Order = account.OrderName
		if c := q.Get("cursor"); c != "" {
			if f.AfterKey, f.AfterID, err = parseNameCursor(c); err != nil {
				fields["cursor"] = "api.cursor_invalid"
			}
		}
	} else {
		f.AfterSlug = q.Get("cursor")
	}
	if err := fields.Err(); err != nil {
		return err
	}
	orgs, err := s.accounts.Organisations(r.Context(), account.ActorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	list := List[Organization]{Items: []Organization{}}
	orgs, list.Next = trimPage(orgs, limit, func(last *account.Organisation) string {
		if f.Query != "" {
			return nameCursor(last)
		}
		return last.Slug
	})
	for i := range orgs {
		list.Items = append(list.Items, s.organization(account.ActorFrom(r.Context()), &orgs[i]))
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// maxQuery bounds the length of q.
const maxQuery = 200

var lanCode = regexp.MustCompile(`^[0-9]{2}$`)

// nameCursor is the cursor after o in name order: its sort key and id.
func nameCursor(o *account.Organisation) string {
	return "n" + hex.EncodeToString(account.NameSortKey(o.Name)) + "." + strconv.FormatInt(o.ID, 10)
}

func parseNameCursor(c string) ([]byte, int64, error) {
	k, id, ok := strings.Cut(strings.TrimPrefix(c, "n"), ".")
	if !ok || !strings.HasPrefix(c, "n") {
		return nil, 0, errs.E(errs.Invalid, "api.cursor_invalid")
	}
	key, err := hex.DecodeString(k)
	if err != nil {
		return nil, 0, errs.E(errs.Invalid, "api.cursor_invalid")
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		return nil, 0, errs.E(errs.Invalid, "api.cursor_invalid")
	}
	return key, n, nil
}

func validKind(k account.OrgKind) bool {
	for _, x := range account.OrgKinds {
		if x == k {
			return true
		}
	}
	return false
}

func validLevel(l account.Level) bool {
	for _, x := range account.Levels {
		if x == l {
			return true
		}
	}
	return false
}

func (s *organizationsAPI) getOrganization(w http.ResponseWriter, r *http.Request) error {
	o, err := s.accounts.Organisation(r.Context(), account.ActorFrom(r.Context()), httpx.Path(r, "slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.organization(account.ActorFrom(r.Context()), o))
	return nil
}

// Register adds the organisations' API to t.
func (s *organizationsAPI) Register(t *route.Table) {
	t.Handle(route.Public, "GET /api/v1/organizations", s.h(s.listOrganizations))
	t.Handle(route.Public, "GET /api/v1/organizations/{slug}", s.h(s.getOrganization))
}
