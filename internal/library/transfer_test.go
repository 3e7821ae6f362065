package library_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// importFile builds an import file from records given as JSON objects.
func importFile(records ...string) string {
	return `{"format": "` + library.ExportFormat + `", "works": [` + strings.Join(records, ",") + `]}`
}

const (
	goodA = `{"slug": "region-artica", "type": "scenario", "title": "Region Artica", "organisation": "region-norrbotten",
		"co_organisations": ["lulea-kommun"], "contacts": [{"organisation": "region-norrbotten", "name": "Tove Cullhed"}],
		"horizon_year": 2050, "methods": ["Scenariokors"], "date": "2018-03-01", "visibility": "public",
		"links": [{"kind": "web", "url": "https://example.se/artica"}], "experience": {"purpose": "Lära", "participant_count": 40}}`
	goodB = `{"slug": "designfiktioner", "type": "design_fiction", "title": "Designfiktioner", "organisation": "region-norrbotten", "visibility": "draft"}`
	goodC = `{"slug": "historiepodden", "type": "podcast", "title": "Historiepodden 2050", "organisation": "region-norrbotten"}`
)

func TestService_ImportAllOrNothing(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		tests := []struct {
			name string
			file string
			want map[string]string // field -> key of every problem
		}{
			{"Malformed", `{"format": "` + library.ExportFormat + `", "works": [`, map[string]string{"file": "library.import_malformed"}},
			{"NotJSON", `hej`, map[string]string{"file": "library.import_malformed"}},
			{"Format", `{"format": "other/1", "works": []}`, map[string]string{"format": "library.import_format"}},
			{"PartlyInvalid", importFile(goodA,
				`{"slug": "utan-titel", "type": "scenario", "title": "", "organisation": "region-norrbotten"}`,
				goodB,
				`{"slug": "okand", "type": "roman", "title": "Okänd", "organisation": "finns-inte", "date": "2018-13-01"}`,
				`{"slug": "fel-lank", "type": "video", "title": "Film", "organisation": "region-norrbotten",
					"links": [{"kind": "video", "url": "javascript:alert(1)"}], "contacts": [{"organisation": "tillvaxtverket", "name": "Sigrid Hedin"}]}`,
				`{"slug": "region-artica", "type": "scenario", "title": "Dubblett", "organisation": "region-norrbotten"}`,
				`{"slug": "annan-org", "type": "scenario", "title": "Annan", "organisation": "tillvaxtverket"}`,
				`{"slug": "okant-falt", "titel": "Stavfel", "type": "scenario", "title": "x", "organisation": "region-norrbotten"}`,
				`[1, 2]`,
			), map[string]string{
				"works[1].title":        "library.title_required",
				"works[3].type":         "library.type_invalid",
				"works[3].organisation": "library.organisation_unknown",
				"works[3].date":         "library.date_invalid",
				"works[4].links[0].url": "library.link_url_invalid",
				"works[4].contacts[0]":  "library.contact_unknown",
				"works[5].slug":         "library.slug_duplicate",
				"works[6].organisation": "library.forbidden",
				"works[7].record":       "library.import_malformed",
				"works[8].record":       "library.import_malformed",
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, err := f.svc.Import(t.Context(), f.editorA, strings.NewReader(tt.file))
				if err == nil {
					t.Fatalf("Import accepted it: %+v", res)
				}
				wantImportProblems(t, err, tt.want)
				var ie *library.ImportError
				if !errors.As(err, &ie) || len(ie.Problems) != len(tt.want) {
					t.Errorf("ImportError = %+v", ie)
				}
				p, err := f.svc.List(t.Context(), f.admin, library.Filter{})
				if err != nil || len(p.Works) != 0 {
					t.Errorf("a rejected import wrote %d works (%v)", len(p.Works), err)
				}
			})
		}
		t.Run("ErrPermission", func(t *testing.T) {
			for _, a := range []struct {
				name string
				kind errs.Kind
				err  func() error
			}{
				{"Public", errs.Unauthorized, func() error {
					_, err := f.svc.Import(t.Context(), f.public, strings.NewReader(importFile()))
					return err
				}},
				{"Member", errs.Forbidden, func() error {
					_, err := f.svc.Import(t.Context(), f.memberA, strings.NewReader(importFile()))
					return err
				}},
			} {
				if err := a.err(); !errs.Is(err, a.kind) {
					t.Errorf("%s: %v", a.name, err)
				}
			}
		})
		t.Run("OKThenUnchangedThenUpdated", func(t *testing.T) {
			res, err := f.svc.Import(t.Context(), f.editorA, strings.NewReader(importFile(goodA, goodB, goodC)))
			if err != nil || *res != (library.ImportResult{Created: 3}) {
				t.Fatalf("Import = %+v, %v", res, err)
			}
			res, err = f.svc.Import(t.Context(), f.editorA, strings.NewReader(importFile(goodA, goodB, goodC)))
			if err != nil || *res != (library.ImportResult{Unchanged: 3}) {
				t.Fatalf("Import again = %+v, %v", res, err)
			}
			changed := strings.Replace(goodC, "Historiepodden 2050", "Historiepodden", 1)
			res, err = f.svc.Import(t.Context(), f.editorA, strings.NewReader(importFile(goodA, goodB, changed)))
			if err != nil || *res != (library.ImportResult{Updated: 1, Unchanged: 2}) {
				t.Fatalf("Import changed = %+v, %v", res, err)
			}
			w, err := f.svc.GetBySlug(t.Context(), f.editorA, "historiepodden")
			if err != nil || w.Title != "Historiepodden" || w.Version != 2 {
				t.Fatalf("updated work %+v, %v", w, err)
			}
			revs, err := f.svc.Revisions(t.Context(), f.editorA, w.ID)
			if err != nil || len(revs) != 2 || !slices.Equal(revs[0].Changed, []string{"title"}) {
				t.Errorf("revisions %+v, %v", revs, err)
			}
			// The draft of A is hidden from B's editor: its slug is taken, not editable.
			_, err = f.svc.Import(t.Context(), f.editorB, strings.NewReader(importFile(
				`{"slug": "designfiktioner", "type": "report", "title": "B:s", "organisation": "tillvaxtverket"}`)))
			if e := errs.As(err); e.Fields["works[0].slug"] != "library.slug_taken" {
				t.Errorf("import over a hidden work: %v", err)
			}
		})
	})
}

// TestService_ExportImportRoundTrip exports a library, imports the file
// into an empty installation with the same organisations, and exports
// that: the two files must hold the same works.
func TestService_ExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		src := newFixture(t, db)
		listCorpus(t, src)
		full := src.work("Region Artica med allt", library.Organisation)
		full.Links = []library.Link{{Kind: library.LinkPodcast, URL: "https://example.se/podd", Title: "Avsnitt"}}
		full.Experience = &library.ExperienceReport{Purpose: "Pröva", Participants: "Tjänstepersoner", Count: 24,
			Steps: []string{"Megatrender", "Scenariokors", "Backcasting"}, TimeUsed: "Två halvdagar",
			Worked: "Smågrupper", Change: "Mer tid", AskWhom: "Tove"}
		full.Summary = "=CMD() ser ut som en formel"
		full.Source, full.Licence = "Hemarbete: \u201dLäs Norrbottens scenarie, Region Artica här.\u201d", "" // none given
		src.mustCreate(t, full)

		var first bytes.Buffer
		if err := src.svc.ExportJSON(t.Context(), src.admin, library.Filter{}, &first); err != nil {
			t.Fatal(err)
		}
		dst := newFixture(t, sameEngineDB(t, db))
		res, err := dst.svc.Import(t.Context(), dst.admin, bytes.NewReader(first.Bytes()))
		if err != nil || res.Created != 7 {
			t.Fatalf("Import = %+v, %v", res, err)
		}
		var second bytes.Buffer
		if err := dst.svc.ExportJSON(t.Context(), dst.admin, library.Filter{}, &second); err != nil {
			t.Fatal(err)
		}
		a, b := records(t, first.Bytes()), records(t, second.Bytes())
		if i := slices.IndexFunc(b, func(r library.Record) bool { return r.Slug == "region-artica-med-allt" }); i < 0 || b[i].Source != full.Source || b[i].Licence != "" {
			t.Errorf("imported record = %+v; want its source, and no licence", b)
		}
		if len(a) != 7 || !slices.EqualFunc(a, b, func(x, y library.Record) bool {
			xj, _ := json.Marshal(x)
			yj, _ := json.Marshal(y)
			return bytes.Equal(xj, yj)
		}) {
			t.Errorf("round trip differs:\n%s\n---\n%s", first.String(), second.String())
		}
		t.Run("CSV", func(t *testing.T) {
			var out bytes.Buffer
			if err := src.svc.ExportCSV(t.Context(), src.admin, library.Filter{Type: library.TypeScenario}, &out); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 4 { // header + 3 scenarios
				t.Fatalf("%d rows", len(rows))
			}
			byCol := map[string]string{}
			for i, h := range rows[0] {
				byCol[h] = rows[3][i] // the oldest scenario: "full" has the 2018-03-01 date, made last
			}
			for _, r := range rows[1:] {
				if r[0] == "region-artica-med-allt" {
					for i, h := range rows[0] {
						byCol[h] = r[i]
					}
				}
			}
			want := map[string]string{"summary": "'=CMD() ser ut som en formel", "contacts": "Tove Cullhed (region-norrbotten)",
				"co_organisations": "lulea-kommun", "links": "podcast https://example.se/podd Avsnitt", "experience": "yes",
				"horizon_year": "2050", "date": "2018-03-01", "visibility": "organisation",
				"source": "Hemarbete: \u201dLäs Norrbottens scenarie, Region Artica här.\u201d", "licence": ""}
			for k, v := range want {
				if byCol[k] != v {
					t.Errorf("column %s = %q, want %q", k, byCol[k], v)
				}
			}
		})
	})
}

// records decodes an export, without the times, which are the
// installation's own.
func records(t *testing.T, b []byte) []library.Record {
	t.Helper()
	var file library.File
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	var out []library.Record
	for _, raw := range file.Works {
		var r library.Record
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		r.CreatedAt, r.UpdatedAt = nil, nil
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y library.Record) int { return strings.Compare(x.Slug, y.Slug) })
	return out
}
