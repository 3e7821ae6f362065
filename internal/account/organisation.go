package account

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
)

// OrgKind is what sort of body an organisation is.
type OrgKind string

// The organisation kinds.
const (
	KindRegion       OrgKind = "region"
	KindAgency       OrgKind = "agency" // national agency
	KindMunicipality OrgKind = "municipality"
	KindAssociation  OrgKind = "association"
	KindOther        OrgKind = "other"
)

// OrgKinds lists the kinds in display order.
var OrgKinds = []OrgKind{KindRegion, KindAgency, KindMunicipality, KindAssociation, KindOther}

// Level is the administrative level an organisation works at.
type Level string

// The levels.
const (
	LevelNational Level = "national"
	LevelRegional Level = "regional"
	LevelLocal    Level = "local"
)

// Levels lists the levels in display order.
var Levels = []Level{LevelNational, LevelRegional, LevelLocal}

// Organisation is a member of the network.
type Organisation struct {
	ID            int64
	Slug          string
	Name          string
	ShortName     string
	FormerNames   []string // names it had before, kept and searchable (SKL for SKR)
	Kind          OrgKind
	Level         Level
	LanCode       string // two-digit län code, for regions
	DescriptionMD string // Markdown, sanitised when rendered
	Website       string
	Logo          string // content hash of the stored logo, or ""
	Public        bool   // has a public profile
	Contacts      []Contact
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// OrgRef is an organisation as other areas name it in lists and links:
// a work's owner, a post's author. Each store fills what its area shows.
type OrgRef struct {
	ID     int64
	Slug   string
	Name   string
	Level  Level
	Public bool
}

// Contact is an organisation's contact person; it may or may not be a user.
type Contact struct {
	ID             int64
	OrganisationID int64
	Name           string
	Title          string
	Email          string
	Phone          string
	DetailsPublic  bool  // e-mail and phone shown to everyone, not only to the signed-in network
	UserID         int64 // 0 when the contact has no account
	Position       int
}

// Field limits for organisations.
const (
	MaxDescriptionLen = 20000
	MaxURLLen         = 500
	MaxSlugLen        = 80
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
var lanRE = regexp.MustCompile(`^[0-9]{2}$`)
var phoneRE = regexp.MustCompile(`^[0-9+ ()\-]{5,30}$`)

// Slugify makes a URL slug from a Swedish name: "Region Jämtland Härjedalen"
// becomes "region-jamtland-harjedalen".
func Slugify(name string) string {
	r := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "ü", "u", "Å", "a", "Ä", "a", "Ö", "o", "É", "e")
	s := strings.ToLower(r.Replace(name))
	var b strings.Builder
	dash := false
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if len(out) > MaxSlugLen {
		out = strings.TrimSuffix(out[:MaxSlugLen], "-")
	}
	return out
}

// Validate normalises o and reports invalid fields.
func (o *Organisation) Validate() error {
	f := errs.Fields{}
	o.Name = validateName(f, "name", o.Name, true)
	o.ShortName = validateName(f, "short_name", o.ShortName, false)
	o.FormerNames = validateFormerNames(f, o.Name, o.FormerNames)
	o.Slug = strings.TrimSpace(o.Slug)
	if o.Slug == "" {
		o.Slug = Slugify(o.Name)
	}
	if !slugRE.MatchString(o.Slug) || len(o.Slug) > MaxSlugLen {
		f["slug"] = "org.slug_invalid"
	}
	if !oneOf(o.Kind, OrgKinds) {
		f["kind"] = "error.choose"
	}
	if !oneOf(o.Level, Levels) {
		f["level"] = "error.choose"
	}
	o.LanCode = strings.TrimSpace(o.LanCode)
	if o.LanCode != "" && !lanRE.MatchString(o.LanCode) {
		f["lan_code"] = "org.lan_code_invalid"
	}
	if o.Kind == KindRegion && o.LanCode == "" {
		f["lan_code"] = "org.lan_code_required"
	}
	if utf8.RuneCountInString(o.DescriptionMD) > MaxDescriptionLen {
		f["description"] = "error.too_long"
	}
	o.Website = strings.TrimSpace(o.Website)
	if o.Website != "" && !ValidWebURL(o.Website) {
		f["website"] = "error.url_invalid"
	}
	return f.Err()
}

// Validate normalises c and reports invalid fields.
func (c *Contact) Validate() error {
	f := errs.Fields{}
	c.Name = validateName(f, "name", c.Name, true)
	c.Title = validateName(f, "title", c.Title, false)
	if c.Email = strings.TrimSpace(c.Email); c.Email != "" {
		if n := NormalizeEmail(c.Email); n == "" {
			f["email"] = "error.email_invalid"
		} else {
			c.Email = n
		}
	}
	if c.Phone = strings.TrimSpace(c.Phone); c.Phone != "" && !phoneRE.MatchString(c.Phone) {
		f["phone"] = "error.phone_invalid"
	}
	return f.Err()
}

// ValidWebURL reports whether s is an absolute http(s) URL: no javascript:,
// data: or relative links in places that are rendered as links.
func ValidWebURL(s string) bool {
	if len(s) > MaxURLLen {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Organisations lists the organisations a may see.
func (s *Service) Organisations(ctx context.Context, a *Actor, f OrgFilter) ([]Organisation, error) {
	f.MemberOf, f.All = memberOf(a), a.IsAdmin()
	return s.store.ListOrganisations(ctx, f)
}

// memberOf is the organisations whose hidden pages a may see, read from
// the actor rather than by user id, so that a list made for a visibility
// scope (the viewer cache's actor has no user id) is the one its members see.
func memberOf(a *Actor) []int64 {
	if !a.SignedIn() {
		return nil
	}
	var ids []int64
	for _, m := range a.Memberships {
		if m.Role.AtLeast(RoleMember) {
			ids = append(ids, m.OrganisationID)
		}
	}
	return ids
}

// CountOrganisations counts the organisations a may see, by kind.
func (s *Service) CountOrganisations(ctx context.Context, a *Actor) (map[OrgKind]int, error) {
	return s.store.CountOrganisations(ctx, OrgFilter{MemberOf: memberOf(a), All: a.IsAdmin()})
}

// Organisation returns an organisation by slug, as NotFound when a may not see it.
func (s *Service) Organisation(ctx context.Context, a *Actor, slug string) (*Organisation, error) {
	o, err := s.store.OrganisationBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !CanSeeOrganisation(a, o) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return o, nil
}

// Logo reports whether a may see the stored file hash as an organisation's
// logo, and whether it is public (the logo of a public organisation). A
// file that is no visible organisation's logo is NotFound: /media serves
// logos only, and attachments go through the work's checked route.
func (s *Service) Logo(ctx context.Context, a *Actor, hash string) (public bool, err error) {
	orgs, err := s.store.OrganisationsByLogo(ctx, hash)
	if err != nil {
		return false, err
	}
	visible := false
	for i := range orgs {
		public = public || orgs[i].Public
		visible = visible || CanSeeOrganisation(a, &orgs[i])
	}
	if !visible {
		return false, errs.E(errs.NotFound, "error.not_found")
	}
	return public, nil
}

// CreateOrganisation adds an organisation.
func (s *Service) CreateOrganisation(ctx context.Context, a *Actor, o *Organisation) error {
	ctx = WithActor(ctx, a) // the audit log records who (storage writes it in the change's transaction)
	if !CanCreateOrganisation(a) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	id, err := s.store.CreateOrganisation(ctx, o)
	if errs.Is(err, errs.Conflict) {
		return errs.Fields{"slug": "org.slug_taken"}.Err()
	}
	o.ID = id
	return err
}

// UpdateOrganisation saves changes to an organisation's profile.
func (s *Service) UpdateOrganisation(ctx context.Context, a *Actor, o *Organisation) error {
	ctx = WithActor(ctx, a) // the audit log records who (storage writes it in the change's transaction)
	if !CanEditOrganisation(a, o.ID) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	err := s.store.UpdateOrganisation(ctx, o)
	if errs.Is(err, errs.Conflict) {
		return errs.Fields{"slug": "org.slug_taken"}.Err()
	}
	return err
}

// DeleteOrganisation removes an organisation with its contacts and memberships.
func (s *Service) DeleteOrganisation(ctx context.Context, a *Actor, id int64) error {
	ctx = WithActor(ctx, a) // the audit log records who (storage writes it in the change's transaction)
	if !CanDeleteOrganisation(a) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.DeleteOrganisation(ctx, id)
}

// SaveContact creates (ID 0) or updates a contact person.
func (s *Service) SaveContact(ctx context.Context, a *Actor, c *Contact) error {
	if !CanManageContacts(a, c.OrganisationID) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if c.UserID != 0 {
		// A contact may be linked to an account, but only to a member's.
		members, err := s.store.Members(ctx, c.OrganisationID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(members, func(m Membership) bool { return m.UserID == c.UserID }) {
			return errs.Fields{"user": "contact.user_not_member"}.Err()
		}
	}
	if c.ID == 0 {
		id, err := s.store.CreateContact(ctx, c)
		c.ID = id
		return err
	}
	return s.store.UpdateContact(ctx, c)
}

// DeleteContact removes a contact person.
func (s *Service) DeleteContact(ctx context.Context, a *Actor, orgID, id int64) error {
	if !CanManageContacts(a, orgID) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.DeleteContact(ctx, orgID, id)
}

// PutOrganisations validates and stores a whole set of organisations with
// their contacts (the demo network, imports): all or nothing.
func (s *Service) PutOrganisations(ctx context.Context, orgs []Organisation) error {
	for i := range orgs {
		if err := orgs[i].Validate(); err != nil {
			return fmt.Errorf("organisation %d (%s): %w", i+1, orgs[i].Name, err)
		}
		for j := range orgs[i].Contacts {
			if err := orgs[i].Contacts[j].Validate(); err != nil {
				return fmt.Errorf("organisation %s, contact %d: %w", orgs[i].Slug, j+1, err)
			}
		}
	}
	return s.store.PutOrganisations(ctx, orgs)
}

// MaxFormerNames bounds the former names an organisation keeps.
const MaxFormerNames = 10

// validateFormerNames trims the former names, drops empty ones, the
// current name and duplicates (case-insensitively), and reports a name
// too long or too many ("former_names").
func validateFormerNames(f errs.Fields, current string, names []string) []string {
	var out []string
	seen := map[string]bool{strings.ToLower(strings.TrimSpace(current)): true}
	for _, n := range names {
		if n = validateName(f, "former_names", n, false); n == "" || seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		out = append(out, n)
	}
	if len(out) > MaxFormerNames {
		f["former_names"] = "org.former_names_too_many"
	}
	return out
}

// ShowDetails reports whether a contact's e-mail and phone may be shown
// to a: to everyone when the organisation made them public, else only to
// the signed-in network.
func (c Contact) ShowDetails(a *Actor) bool { return c.DetailsPublic || a.SignedIn() }
