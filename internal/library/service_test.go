package library_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func TestService_Create(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		tests := []struct {
			name  string
			actor *account.Actor
			edit  func(w *library.Work)
			kind  errs.Kind // 0 with field "" and key "": success
			field string
			key   string
		}{
			{"OK", f.editorA, func(w *library.Work) {}, 0, "", ""},
			{"OKAdmin", f.admin, func(w *library.Work) { w.Title = "Av admin" }, 0, "", ""},
			{"ErrPublic", f.public, func(w *library.Work) {}, errs.Unauthorized, "", "error.sign_in"},
			{"ErrMember", f.memberA, func(w *library.Work) {}, errs.Forbidden, "", "library.forbidden"},
			{"ErrEditorOfOther", f.editorB, func(w *library.Work) {}, errs.Forbidden, "", "library.forbidden"},
			{"ErrMemberOnlyOfOrg", f.editorA, func(w *library.Work) { w.OrganisationID, w.ContactIDs = f.orgB, nil }, errs.Forbidden, "", "library.forbidden"},
			{"ErrTitle", f.editorA, func(w *library.Work) { w.Title = "" }, errs.Invalid, "title", "library.title_required"},
			{"ErrUnknownOrg", f.editorA, func(w *library.Work) { w.OrganisationID = 999 }, errs.Forbidden, "", "library.forbidden"},
			{"ErrUnknownOrgAdmin", f.admin, func(w *library.Work) { w.OrganisationID = 999 }, errs.Invalid, "organisation", "library.organisation_unknown"},
			{"ErrUnknownCoOrg", f.editorA, func(w *library.Work) { w.CoOrganisationIDs = []int64{f.orgC, 999} }, errs.Invalid, "co_organisations[1]", "library.co_organisation_not_member"},
			{"ErrUnknownCoOrgAdmin", f.admin, func(w *library.Work) { w.CoOrganisationIDs = []int64{f.orgC, 999} }, errs.Invalid, "co_organisations[1]", "library.organisation_unknown"},
			{"ErrContactOfOtherOrg", f.editorA, func(w *library.Work) { w.ContactIDs = []int64{f.contB} }, errs.Invalid, "contacts[0]", "library.contact_unknown"},
			{"ErrTakenSlug", f.editorA, func(w *library.Work) { w.Slug = "taken" }, errs.Conflict, "", "library.slug_taken"},
			{"ErrReservedSlug", f.editorA, func(w *library.Work) { w.Slug = "import" }, errs.Invalid, "slug", "library.slug_reserved"},
		}
		f.mustCreate(t, &library.Work{Type: library.TypeOther, Title: "Upptagen", Slug: "taken", OrganisationID: f.orgA})
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := f.work("Region Artica "+tt.name, library.Public)
				tt.edit(w)
				got, err := f.svc.Create(ctx, tt.actor, w)
				if tt.key == "" {
					if err != nil {
						t.Fatalf("Create: %v", err)
					}
					if got.ID == 0 || got.Version != 1 || got.AuthorID != tt.actor.UserID() || got.CreatedAt.IsZero() {
						t.Errorf("created %+v", got)
					}
					return
				}
				e := errs.As(err)
				if err == nil || e.Kind != tt.kind || (tt.field == "" && e.Key != tt.key) || (tt.field != "" && e.Fields[tt.field] != tt.key) {
					t.Errorf("Create error = %v, want kind %v %s=%s", err, tt.kind, tt.field, tt.key)
				}
			})
		}
		t.Run("OKSlugNumbered", func(t *testing.T) {
			a := f.mustCreate(t, f.work("Senior City", library.Public))
			b := f.mustCreate(t, f.work("Senior City", library.Public))
			if a.Slug != "senior-city" || b.Slug != "senior-city-2" {
				t.Errorf("slugs %q, %q", a.Slug, b.Slug)
			}
			// A title whose slug is a library page gets a number, not a dead page.
			if c := f.mustCreate(t, f.work("Ny", library.Public)); c.Slug != "ny-2" {
				t.Errorf("slug of \"Ny\" = %q, want ny-2", c.Slug)
			}
		})
		t.Run("OKStoredAsGiven", func(t *testing.T) {
			w := f.work("Copenborg", library.Network)
			w.Links = []library.Link{{Kind: library.LinkVideo, URL: "https://example.se/film", Title: "Filmen"}}
			w.Experience = &library.ExperienceReport{Purpose: "Lära oss", Count: 80, Steps: []string{"Megatrender", "Scenarier"}}
			created := f.mustCreate(t, w)
			got, err := f.svc.Get(ctx, f.signedIn, created.ID)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(created)
			b, _ := json.Marshal(got)
			if !bytes.Equal(a, b) {
				t.Errorf("stored\n%s\nread back\n%s", a, b)
			}
		})
	})
}

func TestService_UpdateRevisionsRestore(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		v1 := f.mustCreate(t, f.work("Region Artica", library.Public))
		orig := *v1

		edit := *v1
		edit.Title, edit.Summary = "Region Artica 2050", "Nytt"
		v2, err := f.svc.Update(ctx, f.editorA, &edit)
		if err != nil || v2.Version != 2 {
			t.Fatalf("Update: %v, %+v", err, v2)
		}
		stale := *v1 // version 1, now stale
		stale.Title = "Krock"
		if _, err := f.svc.Update(ctx, f.editorA, &stale); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale Update = %v, want Conflict", err)
		}
		same := *v2
		if got, err := f.svc.Update(ctx, f.editorA, &same); err != nil || got.Version != 2 {
			t.Errorf("unchanged Update = %+v, %v; want version 2 kept", got, err)
		}
		edit3 := *v2
		edit3.Visibility, edit3.BodyMD = library.Draft, "Utkast"
		if _, err := f.svc.Update(ctx, f.admin, &edit3); err != nil {
			t.Fatal(err)
		}
		restored, err := f.svc.Restore(ctx, f.editorA, v1.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if restored.Version != 4 || restored.Title != orig.Title || restored.Visibility != library.Public || restored.BodyMD != orig.BodyMD {
			t.Errorf("restored %+v", restored)
		}
		revs, err := f.svc.Revisions(ctx, f.editorA, v1.ID)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			version, restored int
			user              int64
			changed           []string
		}
		want := []row{
			{4, 1, f.editorA.UserID(), []string{"title", "summary", "body", "visibility"}},
			{3, 0, f.admin.UserID(), []string{"body", "visibility"}},
			{2, 0, f.editorA.UserID(), []string{"title", "summary"}},
			{1, 0, f.editorA.UserID(), []string{"slug", "type", "title", "summary", "body", "organisation", "co_organisations",
				"contacts", "horizon_year", "methods", "themes", "date", "language", "licence", "visibility"}},
		}
		if len(revs) != len(want) {
			t.Fatalf("%d revisions, want %d: %+v", len(revs), len(want), revs)
		}
		for i, w := range want {
			r := revs[i]
			if r.Version != w.version || r.RestoredFrom != w.restored || r.UserID != w.user || !slices.Equal(r.Changed, w.changed) || r.CreatedAt.IsZero() {
				t.Errorf("revision %d = %+v, want %+v", i, r, w)
			}
		}
		rev, err := f.svc.Revision(ctx, f.editorA, v1.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		if w, err := rev.Work(); err != nil || w.Title != "Region Artica 2050" {
			t.Errorf("revision 2 snapshot = %+v, %v", w, err)
		}
		errCases := []struct {
			name string
			call func() error
			kind errs.Kind
		}{
			{"RevisionsPublic", func() error { _, err := f.svc.Revisions(ctx, f.public, v1.ID); return err }, errs.Unauthorized},
			{"RevisionsMember", func() error { _, err := f.svc.Revisions(ctx, f.memberA, v1.ID); return err }, errs.Forbidden},
			{"RevisionMissing", func() error { _, err := f.svc.Revision(ctx, f.editorA, v1.ID, 99); return err }, errs.NotFound},
			{"RestoreMissing", func() error { _, err := f.svc.Restore(ctx, f.editorA, v1.ID, 99); return err }, errs.NotFound},
			{"RestoreOtherEditor", func() error { _, err := f.svc.Restore(ctx, f.editorB, v1.ID, 1); return err }, errs.Forbidden},
			{"UpdateMember", func() error { w := *restored; w.Title = "x"; _, err := f.svc.Update(ctx, f.memberA, &w); return err }, errs.Forbidden},
			{"UpdateMissing", func() error { w := *restored; w.ID = 9999; _, err := f.svc.Update(ctx, f.editorA, &w); return err }, errs.NotFound},
			{"MoveToOrgNotEdited", func() error {
				w := *restored
				w.OrganisationID, w.CoOrganisationIDs, w.ContactIDs, w.Version = f.orgB, nil, nil, 0
				_, err := f.svc.Update(ctx, f.editorA, &w)
				return err
			}, errs.Forbidden},
			{"DeleteMember", func() error { return f.svc.Delete(ctx, f.memberA, v1.ID) }, errs.Forbidden},
		}
		for _, c := range errCases {
			t.Run(c.name, func(t *testing.T) {
				if err := c.call(); !errs.Is(err, c.kind) {
					t.Errorf("error = %v, want kind %v", err, c.kind)
				}
			})
		}
		t.Run("Delete", func(t *testing.T) {
			if err := f.svc.Delete(ctx, f.editorA, v1.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Get(ctx, f.admin, v1.ID); !errs.Is(err, errs.NotFound) {
				t.Errorf("Get after Delete = %v", err)
			}
			p, err := f.svc.Search(ctx, f.admin, library.Filter{Query: "artica"})
			if err != nil || len(p.Works) != 0 {
				t.Errorf("Search after Delete = %+v, %v", p, err)
			}
		})
	})
}

// TestService_Visibility proves that who sees a work is the same in Get,
// List, Search and both exports, for every role and visibility.
func TestService_Visibility(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		mk := func(slug string, vis library.Visibility, org int64) *library.Work {
			w := f.work("Framtidsbild "+slug, vis)
			w.Slug = slug
			if org == f.orgB {
				w.OrganisationID, w.CoOrganisationIDs, w.ContactIDs = f.orgB, nil, nil
				got, err := f.svc.Create(ctx, f.editorB, w)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			return f.mustCreate(t, w)
		}
		works := []*library.Work{
			mk("public", library.Public, f.orgA), mk("network", library.Network, f.orgA),
			mk("organisation", library.Organisation, f.orgA), mk("draft", library.Draft, f.orgA),
			mk("draft-b", library.Draft, f.orgB),
		}
		tests := []struct {
			name  string
			actor *account.Actor
			want  []string
		}{
			{"Public", f.public, []string{"public"}},
			{"SignedIn", f.signedIn, []string{"public", "network"}},
			{"MemberOwner", f.memberA, []string{"public", "network", "organisation"}},
			{"MemberCoOrg", f.memberC, []string{"public", "network", "organisation"}},
			{"EditorOwner", f.editorA, []string{"public", "network", "organisation", "draft"}},
			{"EditorOther", f.editorB, []string{"public", "network", "draft-b"}},
			{"Admin", f.admin, []string{"public", "network", "organisation", "draft", "draft-b"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				views := map[string][]string{}
				for _, w := range works {
					if _, err := f.svc.Get(ctx, tt.actor, w.ID); err == nil {
						views["Get"] = append(views["Get"], w.Slug)
					} else if !errs.Is(err, errs.NotFound) {
						t.Errorf("Get(%s) = %v, want NotFound when hidden", w.Slug, err)
					}
				}
				p, err := f.svc.List(ctx, tt.actor, library.Filter{})
				if err != nil {
					t.Fatal(err)
				}
				views["List"] = slugs(p.Works)
				if p, err = f.svc.Search(ctx, tt.actor, library.Filter{Query: "framtidsbilder"}); err != nil {
					t.Fatal(err)
				}
				views["Search"] = slugs(p.Works)
				var js, cs bytes.Buffer
				if err := f.svc.ExportJSON(ctx, tt.actor, library.Filter{}, &js); err != nil {
					t.Fatal(err)
				}
				views["ExportJSON"] = jsonSlugs(t, js.Bytes())
				if err := f.svc.ExportCSV(ctx, tt.actor, library.Filter{}, &cs); err != nil {
					t.Fatal(err)
				}
				views["ExportCSV"] = csvSlugs(t, cs.Bytes())
				// Every view is compared, also one that saw nothing: a Get
				// that refuses every work must not drop out of the check.
				for _, view := range []string{"Get", "List", "Search", "ExportJSON", "ExportCSV"} {
					got := views[view]
					slices.Sort(got)
					want := slices.Sorted(slices.Values(tt.want))
					if !slices.Equal(got, want) {
						t.Errorf("%s sees %v, want %v", view, got, want)
					}
				}
				for _, w := range works {
					if got, want := library.CanSee(tt.actor, w), slices.Contains(tt.want, w.Slug); got != want {
						t.Errorf("CanSee(%s) = %v", w.Slug, got)
					}
				}
			})
		}
	})
}

func slugs(ws []library.Work) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.Slug)
	}
	return out
}

func jsonSlugs(t *testing.T, b []byte) []string {
	t.Helper()
	var file library.File
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatalf("export JSON: %v\n%s", err, b)
	}
	out := []string{}
	for _, raw := range file.Works {
		var r library.Record
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r.Slug)
	}
	return out
}

func csvSlugs(t *testing.T, b []byte) []string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) == 0 || !slices.Equal(rows[0], library.CSVHeader) {
		t.Fatalf("export CSV: %v\n%s", err, b)
	}
	out := []string{}
	for _, r := range rows[1:] {
		out = append(out, r[0])
	}
	return out
}
