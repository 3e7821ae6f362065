package account_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"OK", "Vinnova", "vinnova"},
		{"OKSwedish", "Region Jämtland Härjedalen", "region-jamtland-harjedalen"},
		{"OKCapitalsAndPunctuation", "  Örebro län – Region!  ", "orebro-lan-region"},
		{"OKDigits", "Region 2050", "region-2050"},
		{"OKEmpty", "–!", ""},
		{"OKCutAtMax", strings.Repeat("ab ", 40), strings.TrimSuffix(strings.Repeat("ab-", 27), "-")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := account.Slugify(tt.in); got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestOrganisation_Validate(t *testing.T) {
	valid := func() account.Organisation {
		return account.Organisation{Name: "Region Kronoberg", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "07"}
	}
	tests := []struct {
		name   string
		edit   func(o *account.Organisation)
		field  string // "" when valid
		key    string
		verify func(t *testing.T, o *account.Organisation)
	}{
		{name: "OK", edit: func(o *account.Organisation) {}, verify: func(t *testing.T, o *account.Organisation) {
			if o.Slug != "region-kronoberg" {
				t.Errorf("slug = %q, want it made from the name", o.Slug)
			}
		}},
		{name: "OKTrimmed", edit: func(o *account.Organisation) {
			o.Name, o.Slug, o.LanCode, o.Website = "  Region Kronoberg ", " kronoberg ", " 07 ", " https://www.regionkronoberg.se/ "
		}, verify: func(t *testing.T, o *account.Organisation) {
			if o.Name != "Region Kronoberg" || o.Slug != "kronoberg" || o.LanCode != "07" || o.Website != "https://www.regionkronoberg.se/" {
				t.Errorf("not trimmed: %+v", o)
			}
		}},
		{name: "OKAgencyWithoutLan", edit: func(o *account.Organisation) {
			o.Name, o.Kind, o.Level, o.LanCode = "Vinnova", account.KindAgency, account.LevelNational, ""
		}},
		{name: "OKHTTPWebsite", edit: func(o *account.Organisation) { o.Website = "http://example.se/om?x=1" }},
		{name: "OKLongestDescription", edit: func(o *account.Organisation) { o.DescriptionMD = strings.Repeat("ä", account.MaxDescriptionLen) }},
		{name: "OKLongestSlug", edit: func(o *account.Organisation) { o.Slug = strings.Repeat("a", account.MaxSlugLen) }},
		{name: "ErrNameRequired", edit: func(o *account.Organisation) { o.Name, o.Slug = " ", "x" }, field: "name", key: "error.required"},
		{name: "ErrNameTooLong", edit: func(o *account.Organisation) { o.Name = strings.Repeat("n", account.MaxNameLen+1) }, field: "name", key: "error.too_long"},
		{name: "ErrShortNameNewline", edit: func(o *account.Organisation) { o.ShortName = "Kron\noberg" }, field: "short_name", key: "error.invalid_chars"},
		{name: "ErrSlugUpper", edit: func(o *account.Organisation) { o.Slug = "Region-Kronoberg" }, field: "slug", key: "org.slug_invalid"},
		{name: "ErrSlugSpace", edit: func(o *account.Organisation) { o.Slug = "region kronoberg" }, field: "slug", key: "org.slug_invalid"},
		{name: "ErrSlugLeadingDash", edit: func(o *account.Organisation) { o.Slug = "-kronoberg" }, field: "slug", key: "org.slug_invalid"},
		{name: "ErrSlugTrailingDash", edit: func(o *account.Organisation) { o.Slug = "kronoberg-" }, field: "slug", key: "org.slug_invalid"},
		{name: "ErrSlugDoubleDash", edit: func(o *account.Organisation) { o.Slug = "region--kronoberg" }, field: "slug", key: "org.slug_invalid"},
		{name: "ErrSlugNonASCII", edit: func(o *account.Organisation) { o.Slug = "växjö" }, field: "slug", key: "org.slug_invalid"},
		{name: "ErrSlugPath", edit: func(o *account.Organisation) { o.Slug = "../admin" }, field: "slug", key: "org.slug_invalid"},
		{name: "ErrSlugTooLong", edit: func(o *account.Organisation) { o.Slug = strings.Repeat("a", account.MaxSlugLen+1) }, field: "slug", key: "org.slug_invalid"},
		{name: "ErrSlugFromEmptyName", edit: func(o *account.Organisation) { o.Name, o.Slug = "–", "" }, field: "slug", key: "org.slug_invalid"},
		{name: "ErrKind", edit: func(o *account.Organisation) { o.Kind = "county" }, field: "kind", key: "error.choose"},
		{name: "ErrKindEmpty", edit: func(o *account.Organisation) { o.Kind = "" }, field: "kind", key: "error.choose"},
		{name: "ErrLevel", edit: func(o *account.Organisation) { o.Level = "global" }, field: "level", key: "error.choose"},
		{name: "ErrRegionNeedsLanCode", edit: func(o *account.Organisation) { o.LanCode = " " }, field: "lan_code", key: "org.lan_code_required"},
		{name: "ErrLanCodeOneDigit", edit: func(o *account.Organisation) { o.LanCode = "7" }, field: "lan_code", key: "org.lan_code_invalid"},
		{name: "ErrLanCodeLetters", edit: func(o *account.Organisation) { o.LanCode = "AB" }, field: "lan_code", key: "org.lan_code_invalid"},
		{name: "ErrWebsiteJavascript", edit: func(o *account.Organisation) { o.Website = "javascript:alert(1)" }, field: "website", key: "error.url_invalid"},
		{name: "ErrWebsiteJavascriptCase", edit: func(o *account.Organisation) { o.Website = "JavaScript://example.se/%0Aalert(1)" }, field: "website", key: "error.url_invalid"},
		{name: "ErrWebsiteData", edit: func(o *account.Organisation) { o.Website = "data:text/html,<script>alert(1)</script>" }, field: "website", key: "error.url_invalid"},
		{name: "ErrWebsiteFTP", edit: func(o *account.Organisation) { o.Website = "ftp://example.se/" }, field: "website", key: "error.url_invalid"},
		{name: "ErrWebsiteRelative", edit: func(o *account.Organisation) { o.Website = "/om-oss" }, field: "website", key: "error.url_invalid"},
		{name: "ErrWebsiteSchemeRelative", edit: func(o *account.Organisation) { o.Website = "//evil.example" }, field: "website", key: "error.url_invalid"},
		{name: "ErrWebsiteNoHost", edit: func(o *account.Organisation) { o.Website = "https://" }, field: "website", key: "error.url_invalid"},
		{name: "ErrWebsiteUserinfo", edit: func(o *account.Organisation) { o.Website = "https://region.se@evil.example/" }, field: "website", key: "error.url_invalid"},
		{name: "ErrWebsiteTooLong", edit: func(o *account.Organisation) {
			o.Website = "https://example.se/" + strings.Repeat("a", account.MaxURLLen)
		}, field: "website", key: "error.url_invalid"},
		{name: "ErrDescriptionTooLong", edit: func(o *account.Organisation) { o.DescriptionMD = strings.Repeat("ä", account.MaxDescriptionLen+1) }, field: "description", key: "error.too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid()
			tt.edit(&o)
			err := o.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				if tt.verify != nil {
					tt.verify(t, &o)
				}
				return
			}
			wantField(t, err, tt.field, tt.key)
			if n := len(errs.As(err).Fields); n != 1 {
				t.Errorf("fields = %v, want only %s", errs.As(err).Fields, tt.field)
			}
		})
	}
}

func TestContact_Validate(t *testing.T) {
	tests := []struct {
		name      string
		c         account.Contact
		field     string
		key       string
		wantEmail string
	}{
		{name: "OK", c: account.Contact{Name: "Cecilia Birgersson"}},
		{name: "OKEmailNormalised", c: account.Contact{Name: "Anna", Email: " Anna@Region.SE "}, wantEmail: "anna@region.se"},
		{name: "OKPhone", c: account.Contact{Name: "Anna", Phone: "+46 (0)470-58 30 00"}},
		{name: "ErrNameRequired", c: account.Contact{Name: "  "}, field: "name", key: "error.required"},
		{name: "ErrTitleTooLong", c: account.Contact{Name: "Anna", Title: strings.Repeat("t", account.MaxNameLen+1)}, field: "title", key: "error.too_long"},
		{name: "ErrEmailInvalid", c: account.Contact{Name: "Anna", Email: "anna@region"}, field: "email", key: "error.email_invalid"},
		{name: "ErrPhoneLetters", c: account.Contact{Name: "Anna", Phone: "ring mig"}, field: "phone", key: "error.phone_invalid"},
		{name: "ErrPhoneShort", c: account.Contact{Name: "Anna", Phone: "123"}, field: "phone", key: "error.phone_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			err := c.Validate()
			if tt.field != "" {
				wantField(t, err, tt.field, tt.key)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Email != tt.wantEmail {
				t.Errorf("email = %q, want %q", c.Email, tt.wantEmail)
			}
		})
	}
}

// newOrg returns a valid organisation that Validate leaves as it is.
func newOrg(slug string, public bool) *account.Organisation {
	return &account.Organisation{Slug: slug, Name: "Org " + slug, Kind: account.KindMunicipality, Level: account.LevelLocal, Public: public}
}

func TestService_Organisation(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		platform := MustActor(t, db, MustUser(t, db, "platform@example.se", true))
		adminU := MustUser(t, db, "admin@example.se", false)
		editorU := MustUser(t, db, "editor@example.se", false)

		o := newOrg("vaxjo", true)
		o.DescriptionMD, o.Website, o.ShortName = "**Växjö** kommun", "https://vaxjo.se", "Växjö"
		t.Run("OKCreate", func(t *testing.T) {
			if err := svc.CreateOrganisation(t.Context(), platform, o); err != nil {
				t.Fatal(err)
			}
			got, err := svc.Organisation(t.Context(), nil, "vaxjo")
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != o.ID || got.Name != o.Name || got.ShortName != "Växjö" || got.Kind != account.KindMunicipality ||
				got.Level != account.LevelLocal || got.DescriptionMD != o.DescriptionMD || got.Website != o.Website || !got.Public || got.CreatedAt.IsZero() {
				t.Errorf("Organisation = %+v, want %+v", got, o)
			}
		})
		MustMember(t, db, adminU, o, account.RoleAdmin)
		MustMember(t, db, editorU, o, account.RoleEditor)
		admin, editor := MustActor(t, db, adminU), MustActor(t, db, editorU)

		t.Run("ErrCreateForbidden", func(t *testing.T) {
			wantKind(t, svc.CreateOrganisation(t.Context(), admin, newOrg("ny", true)), errs.Forbidden)
		})
		t.Run("ErrCreateInvalid", func(t *testing.T) {
			bad := newOrg("ny", true)
			bad.Website = "javascript:alert(1)"
			wantField(t, svc.CreateOrganisation(t.Context(), platform, bad), "website", "error.url_invalid")
		})
		t.Run("ErrCreateSlugTaken", func(t *testing.T) {
			wantField(t, svc.CreateOrganisation(t.Context(), platform, newOrg("vaxjo", true)), "slug", "org.slug_taken")
		})
		other := newOrg("kalmar", true)
		if err := svc.CreateOrganisation(t.Context(), platform, other); err != nil {
			t.Fatal(err)
		}
		t.Run("OKUpdateByOrgAdmin", func(t *testing.T) {
			edit := *o
			edit.Name, edit.Public = "Växjö kommun", false
			if err := svc.UpdateOrganisation(t.Context(), admin, &edit); err != nil {
				t.Fatal(err)
			}
			got, err := svc.Organisation(t.Context(), admin, "vaxjo")
			if err != nil || got.Name != "Växjö kommun" || got.Public {
				t.Errorf("after update: %+v, %v", got, err)
			}
		})
		t.Run("ErrUpdateByEditor", func(t *testing.T) {
			edit := *o
			edit.Name = "Kapad"
			wantKind(t, svc.UpdateOrganisation(t.Context(), editor, &edit), errs.Forbidden)
		})
		t.Run("ErrUpdateOtherOrg", func(t *testing.T) {
			edit := *other
			edit.Name = "Kapad"
			wantKind(t, svc.UpdateOrganisation(t.Context(), admin, &edit), errs.Forbidden)
		})
		t.Run("ErrUpdateSlugTaken", func(t *testing.T) {
			edit := *other
			edit.Slug = "vaxjo"
			wantField(t, svc.UpdateOrganisation(t.Context(), platform, &edit), "slug", "org.slug_taken")
		})
		t.Run("ErrUpdateNotFound", func(t *testing.T) {
			gone := newOrg("finns-inte", true)
			gone.ID = other.ID + 1000
			wantKind(t, svc.UpdateOrganisation(t.Context(), platform, gone), errs.NotFound)
		})
		t.Run("ErrDeleteByOrgAdmin", func(t *testing.T) {
			wantKind(t, svc.DeleteOrganisation(t.Context(), admin, o.ID), errs.Forbidden)
		})
		t.Run("OKDelete", func(t *testing.T) {
			c := &account.Contact{OrganisationID: o.ID, Name: "Kontakt"}
			if err := svc.SaveContact(t.Context(), editor, c); err != nil {
				t.Fatal(err)
			}
			if err := svc.DeleteOrganisation(t.Context(), platform, o.ID); err != nil {
				t.Fatal(err)
			}
			_, err := svc.Organisation(t.Context(), platform, "vaxjo")
			wantKind(t, err, errs.NotFound)
			if ms, err := db.Users().Memberships(t.Context(), adminU.ID); err != nil || len(ms) != 0 {
				t.Errorf("memberships after delete = %v, %v", ms, err)
			}
			wantKind(t, db.Organisations().UpdateContact(t.Context(), c), errs.NotFound)
		})
		t.Run("ErrDeleteNotFound", func(t *testing.T) {
			wantKind(t, svc.DeleteOrganisation(t.Context(), platform, o.ID), errs.NotFound)
		})
	})
}

func TestService_OrganisationVisibility(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		MustOrg(t, db, "oppen", true)
		hidden := MustOrg(t, db, "dold", false)
		other := MustOrg(t, db, "annan-dold", false)
		member := MustUser(t, db, "member@example.se", false)
		MustMember(t, db, member, hidden, account.RoleMember)
		outsider := MustUser(t, db, "outsider@example.se", false)
		MustMember(t, db, outsider, other, account.RoleAdmin)

		tests := []struct {
			name     string
			actor    *account.Actor
			wantList []string
		}{
			{"Anonymous", nil, []string{"oppen"}},
			{"AnonymousFromContext", account.ActorFrom(t.Context()), []string{"oppen"}},
			{"Member", MustActor(t, db, member), []string{"dold", "oppen"}},
			{"NonMember", MustActor(t, db, outsider), []string{"annan-dold", "oppen"}},
			{"PlatformAdmin", MustActor(t, db, MustUser(t, db, "platform@example.se", true)), []string{"annan-dold", "dold", "oppen"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				a := tt.actor
				list, err := svc.Organisations(t.Context(), a, account.OrgFilter{})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, o := range list {
					got = append(got, o.Slug)
				}
				if !slices.Equal(got, tt.wantList) {
					t.Errorf("Organisations = %v, want %v", got, tt.wantList)
				}
				for _, slug := range []string{"oppen", "dold", "annan-dold", "finns-inte"} {
					o, err := svc.Organisation(t.Context(), a, slug)
					if slices.Contains(tt.wantList, slug) {
						if err != nil || o.Slug != slug {
							t.Errorf("Organisation(%s) = %v, %v", slug, o, err)
						}
						continue
					}
					wantKind(t, err, errs.NotFound)
					if o != nil {
						t.Errorf("Organisation(%s) leaked %+v", slug, o)
					}
				}
			})
		}
	})
}

func TestService_OrganisationsPaged(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		var all, public []string
		for i, slug := range []string{"gotland", "a", "orebro", "b-1", "b", "b-2", "vasternorrland", "z9", "halland", "a0"} {
			MustOrg(t, db, slug, i%3 != 0)
			all = append(all, slug)
			if i%3 != 0 {
				public = append(public, slug)
			}
		}
		slices.Sort(all)
		slices.Sort(public)
		admin := MustActor(t, db, MustUser(t, db, "platform@example.se", true))
		tests := []struct {
			name  string
			actor *account.Actor
			limit int
			want  []string
		}{
			{"OKAdminLimit1", admin, 1, all},
			{"OKAdminLimit3", admin, 3, all},
			{"OKAdminLimitAll", admin, len(all), all},
			{"OKAdminLimitMore", admin, 100, all},
			{"OKPublicLimit2", &account.Actor{}, 2, public},
			{"OKPublicLimit4", &account.Actor{}, 4, public},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var got []string
				after := ""
				for page := 0; ; page++ {
					if page > len(all) {
						t.Fatal("pagination does not end")
					}
					list, err := svc.Organisations(t.Context(), tt.actor, account.OrgFilter{AfterSlug: after, Limit: tt.limit})
					if err != nil {
						t.Fatal(err)
					}
					if len(list) > tt.limit {
						t.Fatalf("page of %d, limit %d", len(list), tt.limit)
					}
					if len(list) == 0 {
						break
					}
					for _, o := range list {
						got = append(got, o.Slug)
					}
					after = list[len(list)-1].Slug
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("pages = %v, want each of %v once in order", got, tt.want)
				}
			})
		}
		t.Run("OKFilterKind", func(t *testing.T) {
			o := newOrg("region-x", true)
			o.Kind, o.Level, o.LanCode = account.KindRegion, account.LevelRegional, "01"
			if _, err := db.Organisations().CreateOrganisation(t.Context(), o); err != nil {
				t.Fatal(err)
			}
			list, err := svc.Organisations(t.Context(), admin, account.OrgFilter{Kind: account.KindRegion})
			if err != nil || len(list) != 1 || list[0].Slug != "region-x" {
				t.Errorf("Organisations(kind region) = %v, %v", list, err)
			}
			list, err = svc.Organisations(t.Context(), admin, account.OrgFilter{Level: account.LevelLocal, Limit: 2})
			if err != nil || len(list) != 2 || list[0].Slug != "a" {
				t.Errorf("Organisations(level local, 2) = %v, %v", list, err)
			}
		})
		t.Run("OKFilterIDs", func(t *testing.T) {
			// A page of search hits: one hidden, one public, one gone.
			ids := []int64{MustOrg(t, db, "oppen-hit", true).ID, MustOrg(t, db, "dold-hit", false).ID, 999999}
			for _, tt := range []struct {
				name  string
				actor *account.Actor
				ids   []int64
				want  []string
			}{
				{"Admin", admin, ids, []string{"dold-hit", "oppen-hit"}},
				{"Public", &account.Actor{}, ids, []string{"oppen-hit"}},
				{"Empty", admin, []int64{}, nil},
			} {
				list, err := svc.Organisations(t.Context(), tt.actor, account.OrgFilter{IDs: tt.ids})
				var got []string
				for _, o := range list {
					got = append(got, o.Slug)
				}
				if err != nil || !slices.Equal(got, tt.want) {
					t.Errorf("%s: %v, %v; want %v", tt.name, got, err, tt.want)
				}
			}
		})
	})
}

func TestService_Contacts(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		orgA, orgB := MustOrg(t, db, "org-a", true), MustOrg(t, db, "org-b", true)
		editorU := MustUser(t, db, "editor@example.se", false)
		MustMember(t, db, editorU, orgA, account.RoleEditor)
		memberU := MustUser(t, db, "member@example.se", false)
		MustMember(t, db, memberU, orgA, account.RoleMember)
		editor, member := MustActor(t, db, editorU), MustActor(t, db, memberU)
		platform := MustActor(t, db, MustUser(t, db, "platform@example.se", true))

		first := &account.Contact{OrganisationID: orgA.ID, Name: "Cecilia Birgersson", Email: " Cecilia@Example.SE "}
		second := &account.Contact{OrganisationID: orgA.ID, Name: "Magdalena Berglin", UserID: memberU.ID}
		inB := &account.Contact{OrganisationID: orgB.ID, Name: "Niklas Gandal"}
		contacts := func(t *testing.T, slug string) []account.Contact {
			t.Helper()
			o, err := svc.Organisation(t.Context(), platform, slug)
			if err != nil {
				t.Fatal(err)
			}
			return o.Contacts
		}

		t.Run("OKCreate", func(t *testing.T) {
			for _, c := range []*account.Contact{first, second} {
				if err := svc.SaveContact(t.Context(), editor, c); err != nil {
					t.Fatal(err)
				}
			}
			if err := svc.SaveContact(t.Context(), platform, inB); err != nil {
				t.Fatal(err)
			}
			got := contacts(t, "org-a")
			if len(got) != 2 || got[0].ID != first.ID || got[0].Email != "cecilia@example.se" || got[0].Position != 0 ||
				got[1].ID != second.ID || got[1].Position != 1 || got[1].UserID != memberU.ID {
				t.Errorf("contacts = %+v", got)
			}
		})
		t.Run("ErrCreateByMember", func(t *testing.T) {
			c := &account.Contact{OrganisationID: orgA.ID, Name: "X"}
			wantKind(t, svc.SaveContact(t.Context(), member, c), errs.Forbidden)
		})
		t.Run("ErrCreateInOtherOrg", func(t *testing.T) {
			c := &account.Contact{OrganisationID: orgB.ID, Name: "X"}
			wantKind(t, svc.SaveContact(t.Context(), editor, c), errs.Forbidden)
		})
		t.Run("ErrCreateInvalid", func(t *testing.T) {
			c := &account.Contact{OrganisationID: orgA.ID, Name: "X", Phone: "ring"}
			wantField(t, svc.SaveContact(t.Context(), editor, c), "phone", "error.phone_invalid")
		})
		t.Run("OKUpdate", func(t *testing.T) {
			edit := *first
			edit.Title = "Utvecklingsstrateg"
			if err := svc.SaveContact(t.Context(), editor, &edit); err != nil {
				t.Fatal(err)
			}
			if got := contacts(t, "org-a"); got[0].Title != "Utvecklingsstrateg" || got[0].Name != first.Name {
				t.Errorf("contact = %+v", got[0])
			}
		})
		t.Run("ErrUpdateThroughOtherOrg", func(t *testing.T) {
			// The editor of A names B's contact but claims organisation A.
			edit := *inB
			edit.OrganisationID, edit.Name = orgA.ID, "Kapad"
			wantKind(t, svc.SaveContact(t.Context(), editor, &edit), errs.NotFound)
			if got := contacts(t, "org-b"); got[0].Name != "Niklas Gandal" {
				t.Errorf("contact of B changed: %+v", got[0])
			}
		})
		t.Run("ErrDeleteThroughOtherOrg", func(t *testing.T) {
			wantKind(t, svc.DeleteContact(t.Context(), editor, orgA.ID, inB.ID), errs.NotFound)
			if got := contacts(t, "org-b"); len(got) != 1 {
				t.Errorf("contacts of B = %+v", got)
			}
		})
		t.Run("ErrDeleteByMember", func(t *testing.T) {
			wantKind(t, svc.DeleteContact(t.Context(), member, orgA.ID, first.ID), errs.Forbidden)
		})
		t.Run("OKDelete", func(t *testing.T) {
			if err := svc.DeleteContact(t.Context(), editor, orgA.ID, first.ID); err != nil {
				t.Fatal(err)
			}
			if got := contacts(t, "org-a"); len(got) != 1 || got[0].ID != second.ID {
				t.Errorf("contacts = %+v", got)
			}
			wantKind(t, svc.DeleteContact(t.Context(), editor, orgA.ID, first.ID), errs.NotFound)
		})
		t.Run("OKListHasContacts", func(t *testing.T) {
			list, err := svc.Organisations(t.Context(), nil, account.OrgFilter{})
			if err != nil || len(list) != 2 || len(list[0].Contacts) != 1 || len(list[1].Contacts) != 1 || list[1].Contacts[0].Name != "Niklas Gandal" {
				t.Errorf("Organisations = %+v, %v", list, err)
			}
		})
	})
}

// batch returns three organisations with contacts, as an import brings them.
func batch() []account.Organisation {
	return []account.Organisation{
		{Slug: "region-kronoberg", Name: "Region Kronoberg", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "07", Public: true,
			Contacts: []account.Contact{{Name: "Cecilia Birgersson"}}},
		{Slug: "region-dalarna", Name: "Region Dalarna", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "20", Public: true,
			Contacts: []account.Contact{{Name: "Monika Jönsson"}, {Name: "Peter Möller", Email: "Peter@Example.se"}}},
		{Slug: "vinnova", Name: "Vinnova", Kind: account.KindAgency, Level: account.LevelNational, Public: true},
	}
}

// snapshot lists every organisation with its contacts, as a platform admin sees them.
func snapshot(t *testing.T, svc *account.Service, admin *account.Actor) []account.Organisation {
	t.Helper()
	list, err := svc.Organisations(t.Context(), admin, account.OrgFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// contactNames lists "slug/position/name" for each contact.
func contactNames(orgs []account.Organisation) []string {
	var out []string
	for _, o := range orgs {
		for _, c := range o.Contacts {
			out = append(out, fmt.Sprintf("%s/%d/%s/%s", o.Slug, c.Position, c.Name, c.Email))
		}
	}
	return out
}

func TestService_PutOrganisations(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, clk := MustService(t, db)
		admin := MustActor(t, db, MustUser(t, db, "platform@example.se", true))
		wantContacts := []string{
			"region-dalarna/0/Monika Jönsson/", "region-dalarna/1/Peter Möller/peter@example.se",
			"region-kronoberg/0/Cecilia Birgersson/",
		}

		t.Run("OK", func(t *testing.T) {
			if err := svc.PutOrganisations(t.Context(), batch()); err != nil {
				t.Fatal(err)
			}
			got := snapshot(t, svc, admin)
			if len(got) != 3 {
				t.Fatalf("organisations = %d, want 3", len(got))
			}
			if names := contactNames(got); !slices.Equal(names, wantContacts) {
				t.Errorf("contacts = %q, want %q", names, wantContacts)
			}
		})
		t.Run("OKIdempotent", func(t *testing.T) {
			before := snapshot(t, svc, admin)
			clk.Advance(time.Hour)
			if err := svc.PutOrganisations(t.Context(), batch()); err != nil {
				t.Fatal(err)
			}
			after := snapshot(t, svc, admin)
			if len(after) != len(before) {
				t.Fatalf("organisations = %d, want %d", len(after), len(before))
			}
			for i := range after {
				b, a := before[i], after[i]
				if a.ID != b.ID || a.Slug != b.Slug || a.Name != b.Name || !a.CreatedAt.Equal(b.CreatedAt) {
					t.Errorf("organisation %d = %+v, was %+v", i, a, b)
				}
			}
			if names := contactNames(after); !slices.Equal(names, wantContacts) {
				t.Errorf("contacts = %q, want %q (replaced, not added)", names, wantContacts)
			}
		})
		t.Run("OKReplacesContactsKeepsLogo", func(t *testing.T) {
			o, err := db.Organisations().OrganisationBySlug(t.Context(), "region-dalarna")
			if err != nil {
				t.Fatal(err)
			}
			o.Logo = "sha256-abc"
			if err := db.Organisations().UpdateOrganisation(t.Context(), o); err != nil {
				t.Fatal(err)
			}
			b := batch()
			b[1].Name, b[1].Contacts = "Region Dalarna (ny)", []account.Contact{{Name: "Peter Möller"}}
			if err := svc.PutOrganisations(t.Context(), b[1:2]); err != nil {
				t.Fatal(err)
			}
			got, err := svc.Organisation(t.Context(), admin, "region-dalarna")
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != o.ID || got.Name != "Region Dalarna (ny)" || got.Logo != "sha256-abc" || len(got.Contacts) != 1 || got.Contacts[0].Name != "Peter Möller" {
				t.Errorf("after put: %+v", got)
			}
		})
		t.Run("ErrThirdViolatesConstraint", func(t *testing.T) {
			before := snapshot(t, svc, admin)
			b := batch()
			b[0].Name = "Region Kronoberg (ändrad)"
			b[1] = account.Organisation{Slug: "region-skane", Name: "Region Skåne", Kind: account.KindRegion, Level: account.LevelRegional, LanCode: "12",
				Contacts: []account.Contact{{Name: "Ida Karlsson"}}}
			// A contact linked to a user who does not exist breaks a foreign key.
			b[2].Contacts = []account.Contact{{Name: "Ingen", UserID: 987654}}
			if err := svc.PutOrganisations(t.Context(), b); err == nil {
				t.Fatal("PutOrganisations = nil, want the foreign key error")
			}
			if after := snapshot(t, svc, admin); !reflect.DeepEqual(after, before) {
				t.Errorf("database changed by a failed batch:\n got %+v\nwant %+v", after, before)
			}
		})
		t.Run("ErrThirdInvalid", func(t *testing.T) {
			before := snapshot(t, svc, admin)
			b := batch()
			b[0].Name = "Region Kronoberg (ändrad)"
			b[2].Website = "javascript:alert(1)"
			err := svc.PutOrganisations(t.Context(), b)
			wantField(t, err, "website", "error.url_invalid")
			if after := snapshot(t, svc, admin); !reflect.DeepEqual(after, before) {
				t.Errorf("database changed by an invalid batch")
			}
		})
	})
}
