package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// mustPost stores a post as the service would.
func mustPost(t testing.TB, db *storage.DB, orgID, author int64, body string, vis post.Visibility, at time.Time) *post.Post {
	t.Helper()
	p := &post.Post{OrganisationID: orgID, AuthorID: author, Body: body, Visibility: vis, CreatedAt: at, UpdatedAt: at}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.Posts().CreatePost(context.Background(), p); err != nil {
		t.Fatalf("create post: %v", err)
	}
	return p
}

// kindHits searches as v and returns the ids of the hits of kind.
func kindHits(t testing.TB, db *storage.DB, v search.Viewer, kind, text string) []int64 {
	t.Helper()
	res, err := db.Search().Search(context.Background(), search.Query{Text: text, Kinds: []string{kind}, Viewer: v})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	var ids []int64
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

func postIDs(posts []post.Post) []int64 {
	var ids []int64
	for _, p := range posts {
		ids = append(ids, p.ID)
	}
	return ids
}

func TestDB_Posts(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		// As internal/app wires it: posts follow their organisation.
		orgs := db.Organisations(db.Posts().OrganisationsChanged)
		ctx := t.Context()
		pub := searchOrg(t, db, "region-a", account.LevelRegional)
		hidden := &account.Organisation{Slug: "dold", Name: "Dold förening", Kind: account.KindOther, Level: account.LevelLocal}
		hid, err := orgs.CreateOrganisation(ctx, hidden)
		if err != nil {
			t.Fatal(err)
		}
		hidden.ID = hid
		uid, err := db.Users().CreateUser(ctx, &account.User{Email: "r@a.se", Name: "Redaktör A"}, "")
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		p1 := mustPost(t, db, pub, uid, "Vi höll **två workshoppar** om designfiktionerna i länet.", post.Public, t0)
		p2 := mustPost(t, db, pub, uid, "Internt: designfiktion om vården, bara för nätverket.", post.Network, t0.Add(time.Hour))
		p3 := mustPost(t, db, hid, uid, "Föreningens designfiktioner är klara.", post.Public, t0.Add(2*time.Hour))

		public := search.Viewer{}
		signedIn := search.Viewer{SignedIn: true}
		member := search.Viewer{SignedIn: true, Members: []int64{hid}}
		admin := search.Viewer{All: true}
		viewers := []struct {
			name string
			v    search.Viewer
			want []int64 // newest first
		}{
			{"Public", public, []int64{p1.ID}},
			{"SignedIn", signedIn, []int64{p2.ID, p1.ID}},
			{"MemberOfHidden", member, []int64{p3.ID, p2.ID, p1.ID}},
			{"Admin", admin, []int64{p3.ID, p2.ID, p1.ID}},
		}
		for _, tc := range viewers {
			t.Run("List"+tc.name, func(t *testing.T) {
				got, err := db.Posts().ListPosts(ctx, post.ListQuery{Viewer: tc.v, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(postIDs(got), tc.want) {
					t.Errorf("posts = %v, want %v", postIDs(got), tc.want)
				}
				for _, p := range got {
					if want := post.CanSee(actorOf(tc.v), &p); !want {
						t.Errorf("listed post %d that post.CanSee hides", p.ID)
					}
				}
			})
			t.Run("Search"+tc.name, func(t *testing.T) {
				// "designfiktion" finds "designfiktionerna" and "designfiktioner".
				want := slices.Clone(tc.want)
				slices.Sort(want)
				if got := kindHits(t, db, tc.v, post.Kind, "designfiktion"); !slices.Equal(got, want) {
					t.Errorf("hits = %v, want %v", got, want)
				}
			})
		}

		t.Run("ListOneOrganisationPaged", func(t *testing.T) {
			got, err := db.Posts().ListPosts(ctx, post.ListQuery{OrganisationID: pub, Viewer: admin, Limit: 1})
			if err != nil || !slices.Equal(postIDs(got), []int64{p2.ID}) {
				t.Fatalf("first page = %v, %v", postIDs(got), err)
			}
			got, err = db.Posts().ListPosts(ctx, post.ListQuery{OrganisationID: pub, Viewer: admin, Limit: 5, Before: got[0].CreatedAt, BeforeID: got[0].ID})
			if err != nil || !slices.Equal(postIDs(got), []int64{p1.ID}) {
				t.Fatalf("second page = %v, %v", postIDs(got), err)
			}
		})

		t.Run("Loaded", func(t *testing.T) {
			p, err := db.Posts().Post(ctx, p1.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.OrgSlug != "region-a" || !p.OrgPublic || p.AuthorName != "Redaktör A" || !p.CreatedAt.Equal(t0) || p.Visibility != post.Public {
				t.Errorf("post = %+v", p)
			}
			got, err := db.Posts().PostsByID(ctx, []int64{p3.ID, 999999, p1.ID})
			if err != nil || !slices.Equal(postIDs(got), []int64{p3.ID, p1.ID}) {
				t.Errorf("by id = %v, %v", postIDs(got), err)
			}
		})

		t.Run("UpdateReindexes", func(t *testing.T) {
			p := *p1
			p.Body, p.Visibility, p.UpdatedAt = "Nu handlar det om backcasting.", post.Network, t0.Add(time.Minute)
			if err := db.Posts().UpdatePost(ctx, &p); err != nil {
				t.Fatal(err)
			}
			if got := kindHits(t, db, admin, post.Kind, "backcasting"); !slices.Equal(got, []int64{p1.ID}) {
				t.Errorf("new text: hits %v", got)
			}
			if got := kindHits(t, db, public, post.Kind, "backcasting"); len(got) != 0 {
				t.Errorf("network post found by the public: %v", got)
			}
			if got := kindHits(t, db, admin, post.Kind, "workshoppar"); len(got) != 0 {
				t.Errorf("old text still found: %v", got)
			}
		})

		t.Run("ListRecent", func(t *testing.T) {
			// The oldest post, made public again after the others were
			// written, leads by change and stays last by creation.
			p := *p1
			p.Visibility, p.UpdatedAt = post.Public, t0.Add(3*time.Hour)
			if err := db.Posts().UpdatePost(ctx, &p); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name string
				q    post.ListQuery
				want []int64
			}{
				{"ByCreation", post.ListQuery{Viewer: admin, Limit: 10}, []int64{p3.ID, p2.ID, p1.ID}},
				{"ByChange", post.ListQuery{Viewer: admin, Recent: true, Limit: 10}, []int64{p1.ID, p3.ID, p2.ID}},
				{"ByChangePublic", post.ListQuery{Viewer: public, Recent: true, Limit: 10}, []int64{p1.ID}},
				{"ByChangeAfter", post.ListQuery{Viewer: admin, Recent: true, Limit: 10, Before: p.UpdatedAt, BeforeID: p1.ID}, []int64{p3.ID, p2.ID}},
			} {
				got, err := db.Posts().ListPosts(ctx, tc.q)
				if err != nil || !slices.Equal(postIDs(got), tc.want) {
					t.Errorf("%s: %v, %v; want %v", tc.name, postIDs(got), err, tc.want)
				}
			}
		})

		t.Run("OrganisationMadePublicReindexesItsPosts", func(t *testing.T) {
			hidden.Public = true
			if err := orgs.UpdateOrganisation(ctx, hidden); err != nil {
				t.Fatal(err)
			}
			if got := kindHits(t, db, public, post.Kind, "föreningens"); !slices.Equal(got, []int64{p3.ID}) {
				t.Errorf("hits as public after the organisation went public = %v", got)
			}
			hidden.Public = false
			if err := orgs.UpdateOrganisation(ctx, hidden); err != nil {
				t.Fatal(err)
			}
			if got := kindHits(t, db, public, post.Kind, "föreningens"); len(got) != 0 {
				t.Errorf("hits as public after it was hidden again = %v", got)
			}
		})

		t.Run("Delete", func(t *testing.T) {
			if err := db.Posts().DeletePost(ctx, p2.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Posts().Post(ctx, p2.ID); err == nil {
				t.Error("deleted post still there")
			}
			if got := kindHits(t, db, admin, post.Kind, "vården"); len(got) != 0 {
				t.Errorf("deleted post found: %v", got)
			}
			if err := db.Posts().DeletePost(ctx, p2.ID); err == nil {
				t.Error("deleting twice: no error")
			}
		})

		t.Run("OrganisationDeletedTakesItsPosts", func(t *testing.T) {
			if err := orgs.DeleteOrganisation(ctx, hid); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Posts().Post(ctx, p3.ID); err == nil {
				t.Error("post of a deleted organisation still there")
			}
			if got := kindHits(t, db, admin, post.Kind, "föreningens"); len(got) != 0 {
				t.Errorf("post of a deleted organisation found: %v", got)
			}
		})
	})
}

// actorOf is an actor the viewer stands for, for comparing the store's
// rule with post.CanSee.
func actorOf(v search.Viewer) *account.Actor {
	if !v.SignedIn && !v.All {
		return nil
	}
	a := &account.Actor{User: &account.User{ID: 1, IsAdmin: v.All}}
	for _, id := range v.Members {
		a.Memberships = append(a.Memberships, account.Membership{OrganisationID: id, Role: account.RoleMember})
	}
	return a
}

func TestDB_OrganisationSearch(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		// As internal/app wires it: posts follow their organisation.
		store := db.Organisations(db.Posts().OrganisationsChanged)
		ctx := t.Context()
		orgs := []account.Organisation{
			{Slug: "region-varmland", Name: "Region Värmland", ShortName: "Värmland", Kind: account.KindRegion, Level: account.LevelRegional,
				LanCode: "17", Public: true, DescriptionMD: "Region Värmland har haft en *scenarioworkshop* för sina kollegor.",
				Contacts: []account.Contact{{Name: "Sara Johansson"}}},
			{Slug: "hemlig", Name: "Hemliga gruppen", Kind: account.KindOther, Level: account.LevelLocal,
				DescriptionMD: "Gruppen skriver scenarier om kusten."},
		}
		if err := store.PutOrganisations(ctx, orgs); err != nil {
			t.Fatal(err)
		}
		vid, hid := orgs[0].ID, orgs[1].ID
		public, member := search.Viewer{}, search.Viewer{SignedIn: true, Members: []int64{hid}}
		tests := []struct {
			name  string
			v     search.Viewer
			query string
			want  []int64
		}{
			{"ByName", public, "värmland", []int64{vid}},
			{"StemOfTheHomeWork", public, "kollegorna", []int64{vid}},
			{"ContactPerson", public, "johansson", []int64{vid}},
			{"HiddenNotFoundByThePublic", public, "kusten", nil},
			{"HiddenNotFoundBySignedIn", search.Viewer{SignedIn: true}, "kusten", nil},
			{"HiddenFoundByMembers", member, "kusten", []int64{hid}},
			{"InflectedFindsBoth", member, "scenarier", []int64{vid, hid}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if got := kindHits(t, db, tc.v, account.OrganisationKind, tc.query); !slices.Equal(got, tc.want) {
					t.Errorf("%q: hits %v, want %v", tc.query, got, tc.want)
				}
			})
		}
		t.Run("KindAndLevelTags", func(t *testing.T) {
			res, err := db.Search().Search(ctx, search.Query{Text: "region", Kinds: []string{account.OrganisationKind},
				Tags: []string{search.Tag("level", "regional"), search.Tag("kind", "region")}})
			if err != nil || len(res.Hits) != 1 || res.Hits[0].ID != vid {
				t.Errorf("hits = %+v, %v", res, err)
			}
		})
		t.Run("ContactChangesReindex", func(t *testing.T) {
			if _, err := store.CreateContact(ctx, &account.Contact{OrganisationID: vid, Name: "Kerstin Lindqvist"}); err != nil {
				t.Fatal(err)
			}
			if got := kindHits(t, db, public, account.OrganisationKind, "lindqvist"); !slices.Equal(got, []int64{vid}) {
				t.Errorf("new contact: hits %v", got)
			}
		})
		t.Run("ProfileChangesReindex", func(t *testing.T) {
			o, err := store.OrganisationBySlug(ctx, "hemlig")
			if err != nil {
				t.Fatal(err)
			}
			o.Public, o.DescriptionMD = true, "Nu öppet: backcasting i skärgården."
			if err := store.UpdateOrganisation(ctx, o); err != nil {
				t.Fatal(err)
			}
			if got := kindHits(t, db, public, account.OrganisationKind, "skärgården"); !slices.Equal(got, []int64{hid}) {
				t.Errorf("after going public: hits %v", got)
			}
			if got := kindHits(t, db, member, account.OrganisationKind, "kusten"); len(got) != 0 {
				t.Errorf("old description still found: %v", got)
			}
		})
		t.Run("BackfillIsIdempotent", func(t *testing.T) {
			// A database from before organisations were indexed.
			for _, id := range []int64{vid, hid} {
				if err := db.Search().DeleteSearchDocument(ctx, account.OrganisationKind, id); err != nil {
					t.Fatal(err)
				}
			}
			if got := kindHits(t, db, public, account.OrganisationKind, "värmland"); len(got) != 0 {
				t.Fatalf("documents not removed: %v", got)
			}
			for range 2 {
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if got := kindHits(t, db, public, account.OrganisationKind, "värmland"); !slices.Equal(got, []int64{vid}) {
				t.Errorf("after the backfill: hits %v", got)
			}
			res, err := db.Search().Search(ctx, search.Query{Text: "region", Kinds: []string{account.OrganisationKind}, Viewer: search.Viewer{All: true}})
			if err != nil || len(res.Hits) != 1 {
				t.Errorf("documents after backfilling twice: %+v, %v", res, err)
			}
		})
		t.Run("DeleteRemoves", func(t *testing.T) {
			if err := store.DeleteOrganisation(ctx, hid); err != nil {
				t.Fatal(err)
			}
			if got := kindHits(t, db, search.Viewer{All: true}, account.OrganisationKind, "skärgården"); len(got) != 0 {
				t.Errorf("deleted organisation found: %v", got)
			}
		})
	})
}

// TestDB_PostSource: a post's source is stored, and an edit keeps it.
func TestDB_PostSource(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		org := searchOrg(t, db, "region-a", account.LevelRegional)
		at := time.Date(2017, 11, 1, 12, 0, 0, 0, time.UTC)
		p := &post.Post{OrganisationID: org, Body: "Region Halland hade en stor regional konferens i november, 2017.",
			Visibility: post.Public, Source: "Nätverkets sida Hemarbete", CreatedAt: at, UpdatedAt: at}
		if err := db.Posts().CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
		p.Body, p.Source, p.UpdatedAt = "Ändrad.", "", at.Add(time.Hour)
		if err := db.Posts().UpdatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := db.Posts().Post(ctx, p.ID)
		if err != nil || got.Source != "Nätverkets sida Hemarbete" || got.Body != "Ändrad." {
			t.Errorf("post = %+v, %v; want the source kept through the edit", got, err)
		}
	})
}

// TestDB_PostDates: a post keeps its own date at its precision, in its
// row and its search document; migration 43 dates the posts made before
// by the day they were added (what they showed) and takes undated works'
// search documents off the day they were added, and back down.
func TestDB_PostDates(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		org := searchOrg(t, db, "region-a", account.LevelRegional)
		added := time.Date(2025, 3, 1, 21, 30, 0, 0, time.UTC)
		mk := func(body string, d time.Time, p library.DatePrecision) *post.Post {
			x := &post.Post{OrganisationID: org, Body: body, Visibility: post.Public, CreatedAt: added, UpdatedAt: added, Date: d, DatePrecision: p}
			if err := x.Validate(); err != nil {
				t.Fatal(err)
			}
			if err := db.Posts().CreatePost(ctx, x); err != nil {
				t.Fatal(err)
			}
			return x
		}
		month := mk("Konferens om megatrender i november.", time.Date(2017, 11, 23, 0, 0, 0, 0, time.UTC), library.DateMonth)
		unknown := mk("Workshop om megatrender någon gång.", time.Time{}, library.DateUnknown)
		lib := library.NewService(db.Works())
		lib.SetClock(func() time.Time { return added })
		admin := &account.Actor{User: &account.User{ID: MustUser(t, db, "admin@a.se").ID, IsAdmin: true}}
		w, err := lib.Create(ctx, admin, &library.Work{Type: library.TypeScenario, Title: "Megatrender utan datum", OrganisationID: org, Visibility: library.Public})
		if err != nil {
			t.Fatal(err)
		}
		search2017 := func(year int, kind string) []int64 {
			t.Helper()
			res, err := db.Search().Search(ctx, search.Query{Text: "megatrender", Kinds: []string{kind}, Year: year, Viewer: search.Viewer{All: true}})
			if err != nil {
				t.Fatal(err)
			}
			return hitIDs(res)
		}
		check := func(when string, wantMonth, wantUnknown post.Post) {
			t.Helper()
			for _, want := range []post.Post{wantMonth, wantUnknown} {
				got, err := db.Posts().Post(ctx, want.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !got.Date.Equal(want.Date) || got.DatePrecision != want.DatePrecision || !got.CreatedAt.Equal(added) {
					t.Errorf("%s: post %d dated %v %s (added %v), want %v %s", when, got.ID, got.Date, got.DatePrecision, got.CreatedAt, want.Date, want.DatePrecision)
				}
			}
		}
		check("made", post.Post{ID: month.ID, Date: time.Date(2017, 11, 1, 0, 0, 0, 0, time.UTC), DatePrecision: library.DateMonth},
			post.Post{ID: unknown.ID, DatePrecision: library.DateUnknown})
		if got := search2017(2017, post.Kind); !slices.Equal(got, []int64{month.ID}) {
			t.Errorf("posts of 2017: %v, want the month's %d", got, month.ID)
		}
		if got := search2017(2025, post.Kind); len(got) != 0 {
			t.Errorf("posts of the year added: %v, want none", got)
		}
		if got := search2017(2025, library.Kind); len(got) != 0 {
			t.Errorf("works of the year added: %v, want none", got)
		}

		// Before 43 the search knew only the day things were added.
		if err := db.MigrateDownTo(ctx, 42); err != nil {
			t.Fatal(err)
		}
		if got := search2017(2025, library.Kind); !slices.Equal(got, []int64{w.ID}) {
			t.Errorf("down: works of the year added: %v, want the undated %d", got, w.ID)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		// Posts made before 43 are dated the day they were added, as shown.
		day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		check("migrated", post.Post{ID: month.ID, Date: day, DatePrecision: library.DateDay}, post.Post{ID: unknown.ID, Date: day, DatePrecision: library.DateDay})
		if got := search2017(2025, post.Kind); !slices.Equal(got, []int64{month.ID, unknown.ID}) && !slices.Equal(got, []int64{unknown.ID, month.ID}) {
			t.Errorf("migrated: posts of 2025: %v, want both", got)
		}
		if got := search2017(2025, library.Kind); len(got) != 0 {
			t.Errorf("migrated: works of the year added: %v, want none", got)
		}
	})
}
