package storage_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// searchOrg creates an organisation for search tests.
func searchOrg(t testing.TB, db *storage.DB, slug string, level account.Level) int64 {
	t.Helper()
	o := &account.Organisation{Slug: slug, Name: "Org " + slug, Kind: account.KindOther, Level: level, Public: true}
	id, err := db.Organisations().CreateOrganisation(context.Background(), o)
	if err != nil {
		t.Fatalf("create organisation %s: %v", slug, err)
	}
	return id
}

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// searchCorpus is the documents of the search cases, by id.
func searchCorpus(org, other int64) []search.Document {
	doc := func(id int64, title, body, date string, tags ...string) search.Document {
		return search.Document{Kind: "note", ID: id, Scope: search.ScopePublic, Owner: org, Title: title,
			Body: body, Date: day(date), Tags: tags}
	}
	docs := []search.Document{
		doc(1, "Ett scenario för Region Artica", "Scenariot beskriver livet i norr år 2050.", "2018-03-01", "type:scenario"),
		doc(2, "Designfiktionerna från Blekinge", "Tre berättelser om framtidens arbetsmarknaden.", "2018-05-01", "type:design_fiction"),
		doc(3, "Hållbarhet i Kalmar", "Hållbar utveckling och omställningsförmåga i länet. En omvärldsanalys.", "2019-01-10", "type:report"),
		doc(4, "Historiepodden 2050", "En podcast om regionerna och kommunerna i Västerbotten.", "2017-11-01", "type:podcast"),
		doc(5, "Senior City", "Ett av fyra globala scenarier med en åldrande befolkning.", "2019-06-01", "type:scenario"),
		doc(6, "Far och får", "Fåren betar på gården medan far vilar.", "2016-01-01", "type:other"),
		doc(7, "Rapport om allt", strings.Repeat("Vi skriver om mycket annat här. ", 40)+"Till sist nämns Artica en gång.", "2019-02-01", "type:report"),
		doc(8, "<b>Märkt</b> & \"citerad\" scenarioövning", "Text med <script>alert(1)</script> i sig.", "2019-03-01", "type:other"),
	}
	docs[4].Owner, docs[4].Orgs = other, []int64{other}
	return docs
}

// TestDB_SearchCases is the plain-text table of search behaviour: one
// query, the hits expected, on every engine.
func TestDB_SearchCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		want  []int64 // the set of hits
		first int64   // the best hit, when it matters
	}{
		{"StemFindsOtherForms", "scenarier", []int64{1, 5, 8}, 0}, // 8: "scenarioövning" starts with the stem
		{"LemmaFindsEveryForm", "scenario", []int64{1, 5, 8}, 0},  // the exception table: every form stems to "scenari"
		{"DefiniteForm", "scenariot", []int64{1, 5, 8}, 0},
		{"CompoundInflected", "designfiktion", []int64{2}, 0},
		{"PluralDefinite", "designfiktionerna", []int64{2}, 0},
		{"PrefixWhileTyping", "scena", []int64{1, 5, 8}, 0},
		{"PrefixOfWord", "historiepod", []int64{4}, 0},
		{"WithoutRingFindsRing", "hallbarhet", []int64{3}, 0},
		{"RingMatches", "hållbarhet", []int64{3}, 0},
		{"FarIsNotFår", "far", []int64{6}, 0},
		{"FårIsNotFar", "får", []int64{6}, 0},
		{"UpperCase", "HÅLLBAR", []int64{3}, 0},
		{"DefiniteFindsIndefinite", "regionerna", []int64{1, 4}, 0},
		{"Number", "2050", []int64{1, 4}, 0},
		{"TwoTermsAnd", "scenario artica", []int64{1}, 0},
		{"TitleRanksFirst", "artica", []int64{1, 7}, 1},
		{"PluralFindsSingular", "omställningsförmågor", []int64{3}, 0},
		{"Singular", "omvärldsanalys", []int64{3}, 0},
		{"PluralFindsSingularAnalysis", "omvärldsanalyser", []int64{3}, 0}, // Snowball alone: omvärldsanalys / omvärldsanaly
		{"OnlyStopWords", "och det att", nil, 0},
		{"Empty", "", nil, 0},
		{"Markup", "märkt citerad", []int64{8}, 0},
		{"HostileQuote", `"scenarier`, []int64{1, 5, 8}, 0},
		{"HostileQuotes", `"scenarier"`, []int64{1, 5, 8}, 0},
		{"HostileStar", "scenarier*", []int64{1, 5, 8}, 0},
		{"HostileStarAlone", "*", nil, 0},
		{"HostileParens", "(scenarier)", []int64{1, 5, 8}, 0},
		{"HostileMinus", "-scenarier", []int64{1, 5, 8}, 0},
		{"HostileColon", "title:scenarier", nil, 0}, // "title" is a word like any other
		{"HostileNear", "NEAR(scenarier designfiktion)", nil, 0},
		{"HostileOr", "scenarier OR podden", nil, 0}, // OR is a word: required, found nowhere
		{"HostileAndAlone", "AND", nil, 0},
		{"HostileNUL", "scenarier\x00", []int64{1, 5, 8}, 0},
		{"HostileInvalidUTF8", "scenarier\xff\xfe", []int64{1, 5, 8}, 0},
		{"HostileSQL", "'; DROP TABLE search_docs; --", nil, 0},
		{"HostileTSQuery", "scenarier:* & ! | <-> !!", []int64{1, 5, 8}, 0},
		{"HostileLong", strings.Repeat("scenarier ", 100), []int64{1, 5, 8}, 0},
		{"HostileLongNoise", strings.Repeat("x(\"*) ", 170), nil, 0},
		{"HostileLongWord", strings.Repeat("å", 1000), nil, 0},
	}
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		org := searchOrg(t, db, "org", account.LevelRegional)
		other := searchOrg(t, db, "other", account.LevelNational)
		if err := db.Search().PutSearchDocuments(ctx, searchCorpus(org, other)...); err != nil {
			t.Fatal(err)
		}
		candidatePaths(t, db, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					res, err := db.Search().Search(ctx, search.Query{Text: tt.query, Viewer: search.Viewer{All: true}})
					if err != nil {
						t.Fatalf("Search(%q): %v", tt.query, err)
					}
					got := hitIDs(res)
					if !sameSet(got, tt.want) {
						t.Errorf("Search(%q) = %v, want %v (stems %v)", tt.query, got, tt.want, res.Terms)
					}
					if tt.first != 0 && (len(got) == 0 || got[0] != tt.first) {
						t.Errorf("Search(%q) ranked %v, want %d first", tt.query, got, tt.first)
					}
				})
			}
		})
	})
}

// candidatePaths runs fn once for each way a relevance query can find its
// candidates: on PostgreSQL walking search_vecs newest first and sorting
// the GIN bitmap's matches (pgDense picks one by density, and a test's
// few documents would always walk); SQLite has one way.
func candidatePaths(t *testing.T, db *storage.DB, fn func(t *testing.T)) {
	t.Helper()
	if db.Engine != storage.Postgres {
		fn(t)
		return
	}
	for _, p := range []struct {
		name string
		rows int
	}{{"Walk", 1 << 40}, {"Bitmap", 0}} {
		t.Run(p.name, func(t *testing.T) {
			storage.SetWalkRows(db, p.rows)
			fn(t)
		})
	}
}

func hitIDs(res *search.Result) []int64 {
	var out []int64
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func sameSet(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestDB_SearchFiltersAndPages(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		org := searchOrg(t, db, "org", account.LevelRegional)
		other := searchOrg(t, db, "other", account.LevelNational)
		if err := db.Search().PutSearchDocuments(ctx, searchCorpus(org, other)...); err != nil {
			t.Fatal(err)
		}
		all := search.Viewer{All: true}
		candidatePaths(t, db, func(t *testing.T) {
			tests := []struct {
				name string
				q    search.Query
				want []int64
			}{
				{"Tag", search.Query{Text: "scenarier", Tags: []string{"type:scenario"}}, []int64{1, 5}},
				{"TagNarrows", search.Query{Text: "scena", Tags: []string{"type:other"}}, []int64{8}},
				{"TwoTags", search.Query{Text: "scena", Tags: []string{"type:other", "type:scenario"}}, nil},
				{"Org", search.Query{Text: "scenarier", Org: other}, []int64{5}},
				{"Owners", search.Query{Text: "scenarier", Owners: []int64{org}}, []int64{1, 8}},
				{"Year", search.Query{Text: "scenarier", Year: 2019}, []int64{5, 8}},
				{"Kind", search.Query{Text: "scenarier", Kinds: []string{"post"}}, nil},
				{"NewestFirst", search.Query{Text: "scena", Sort: search.SortNewest}, []int64{5, 8, 1}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					tt.q.Viewer = all
					res, err := db.Search().Search(ctx, tt.q)
					if err != nil {
						t.Fatal(err)
					}
					got := hitIDs(res)
					if tt.q.Sort == search.SortNewest {
						if !slices.Equal(got, tt.want) {
							t.Errorf("got %v, want %v in order", got, tt.want)
						}
					} else if !sameSet(got, tt.want) {
						t.Errorf("got %v, want %v", got, tt.want)
					}
				})
			}
			t.Run("Pages", func(t *testing.T) {
				var seen []int64
				for off := 0; ; off += 2 {
					res, err := db.Search().Search(ctx, search.Query{Text: "scena", Viewer: all, Limit: 2, Offset: off})
					if err != nil {
						t.Fatal(err)
					}
					seen = append(seen, hitIDs(res)...)
					if !res.More {
						break
					}
				}
				if !sameSet(seen, []int64{1, 5, 8}) {
					t.Errorf("pages gave %v", seen)
				}
			})
			t.Run("Snippet", func(t *testing.T) {
				res, err := db.Search().Search(ctx, search.Query{Text: "scenarier", Viewer: all, Tags: []string{"type:scenario"}, Sort: search.SortNewest})
				if err != nil || len(res.Hits) != 2 {
					t.Fatalf("Search: %v, %v", res, err)
				}
				h := res.Hits[1] // doc 1
				if got := marked(h.TitleHL); !slices.Equal(got, []string{"scenario"}) {
					t.Errorf("title marks = %v", got)
				}
				if got := marked(h.Snippet); !slices.Equal(got, []string{"Scenariot"}) {
					t.Errorf("snippet marks = %v", got)
				}
			})
			t.Run("MarkupStaysText", func(t *testing.T) {
				res, err := db.Search().Search(ctx, search.Query{Text: "scenarioövning", Viewer: all})
				if err != nil || len(res.Hits) != 1 {
					t.Fatalf("Search: %v, %v", res, err)
				}
				h := res.Hits[0]
				if search.Plain(h.TitleHL) != h.Title || !strings.Contains(search.Plain(h.Snippet), "<script>") {
					t.Errorf("segments changed the text: %q / %q", search.Plain(h.TitleHL), search.Plain(h.Snippet))
				}
			})
			t.Run("ReplaceAndDelete", func(t *testing.T) {
				d := searchCorpus(org, other)[5]
				d.Title, d.Body = "Ny rubrik", "Helt annan text"
				if err := db.Search().PutSearchDocuments(ctx, d); err != nil {
					t.Fatal(err)
				}
				if got := count(t, db, "fåren"); got != 0 {
					t.Errorf("old text still found: %d", got)
				}
				if got := count(t, db, "rubrik"); got != 1 {
					t.Errorf("new text found %d times", got)
				}
				if err := db.Search().DeleteSearchDocument(ctx, "note", d.ID); err != nil {
					t.Fatal(err)
				}
				if got := count(t, db, "rubrik"); got != 0 {
					t.Errorf("deleted document found %d times", got)
				}
			})
		})
	})
}

func count(t *testing.T, db *storage.DB, q string) int {
	t.Helper()
	res, err := db.Search().Search(t.Context(), search.Query{Text: q, Viewer: search.Viewer{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Hits)
}

func marked(segs []search.Segment) []string {
	var out []string
	for _, s := range segs {
		if s.Mark {
			out = append(out, s.Text)
		}
	}
	return out
}

// TestDB_SearchVisibility checks the visibility rule inside the query
// against search.Viewer.CanSee, for every scope and kind of viewer.
func TestDB_SearchVisibility(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		a := searchOrg(t, db, "a", account.LevelRegional)
		b := searchOrg(t, db, "b", account.LevelRegional)
		c := searchOrg(t, db, "c", account.LevelRegional)
		var docs []search.Document
		id := int64(0)
		for _, scope := range search.Scopes {
			for _, owner := range []int64{a, b} {
				id++
				docs = append(docs, search.Document{Kind: "note", ID: id, Scope: scope, Owner: owner,
					Orgs: []int64{owner, c}, Title: fmt.Sprintf("Omvärldsanalys %s %d", scope, owner), Date: day("2020-01-01")})
			}
		}
		if err := db.Search().PutSearchDocuments(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		viewers := []struct {
			name string
			v    search.Viewer
		}{
			{"Public", search.Viewer{}},
			{"SignedIn", search.Viewer{SignedIn: true}},
			{"MemberA", search.Viewer{SignedIn: true, Members: []int64{a}}},
			{"MemberCoOrg", search.Viewer{SignedIn: true, Members: []int64{c}}},
			{"EditorA", search.Viewer{SignedIn: true, Members: []int64{a}, Editors: []int64{a}}},
			{"EditorBMemberA", search.Viewer{SignedIn: true, Members: []int64{a, b}, Editors: []int64{b}}},
			{"Admin", search.Viewer{All: true, SignedIn: true}},
		}
		// Reindexed: migration 6 down and up again rebuilds every
		// document's words and facets from the stored rows.
		for _, stage := range []string{"Indexed", "Reindexed"} {
			if stage == "Reindexed" {
				if err := db.MigrateDownTo(ctx, 5); err != nil {
					t.Fatal(err)
				}
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			}
			candidatePaths(t, db, func(t *testing.T) {
				for _, vt := range viewers {
					for _, sort := range []search.Sort{search.SortRelevance, search.SortNewest} {
						t.Run(stage+"/"+vt.name+"/"+string(sort), func(t *testing.T) {
							res, err := db.Search().Search(ctx, search.Query{Text: "omvärldsanalys", Viewer: vt.v, Limit: 100, Sort: sort})
							if err != nil {
								t.Fatal(err)
							}
							var want []int64
							for _, d := range docs {
								if vt.v.CanSee(d.Scope, d.Owner, d.Orgs) {
									want = append(want, d.ID)
								}
							}
							if got := hitIDs(res); !sameSet(got, want) {
								t.Errorf("sees %v, want %v", got, want)
							}
						})
					}
				}
			})
		}
	})
}

// TestDB_StemParity checks that Go's Snowball stemmer (under the
// analyser's exception table) gives PostgreSQL's swedish_stem stems and
// stop words, on the seed vocabulary and inflections of it, and that
// PostgreSQL's 'simple' configuration indexes the analyser's terms as they
// are, so both engines hold the same terms.
func TestDB_StemParity(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		if db.Engine != storage.Postgres {
			t.Skip("PostgreSQL only")
		}
		raw, err := os.ReadFile("../search/testdata/words.txt")
		if err != nil {
			t.Fatal(err)
		}
		suffixes := []string{"", "en", "et", "er", "erna", "ar", "arna", "or", "orna", "ens", "ets", "s", "na", "a",
			"e", "t", "ade", "ande", "het", "heten", "lig", "ligt", "ning", "ningar", "ns", "ernas"}
		var words []string
		for _, w := range strings.Fields(string(raw)) {
			for _, s := range suffixes {
				words = append(words, w+s)
			}
		}
		for _, w := range []string{"och", "att", "för", "är", "över", "någon", "vilkas"} {
			words = append(words, w)
		}
		got, err := storage.PostgresStems(t.Context(), db, words)
		if err != nil {
			t.Fatal(err)
		}
		diff := 0
		for i, w := range words {
			want := search.Snowball(w)
			if search.IsStopWord(w) {
				want = ""
			}
			if got[i] != want {
				diff++
				if diff <= 20 {
					t.Errorf("%q: Go %q, PostgreSQL %q", w, want, got[i])
				}
			}
		}
		t.Logf("%d words compared, %d differ", len(words), diff)
		text := strings.Join(words, " ") + " Göteborgs 2050-talet covid19 Västra Götalandsregionen é"
		lex, err := storage.PostgresLexemes(t.Context(), db, search.IndexTerms(text, true))
		if err != nil {
			t.Fatal(err)
		}
		terms := slices.Compact(slices.Sorted(slices.Values(strings.Fields(search.IndexTerms(text, true)))))
		slices.Sort(lex)
		if !slices.Equal(lex, terms) {
			t.Errorf("PostgreSQL's lexemes differ from Go's terms: %d against %d", len(lex), len(terms))
		}
	})
}

// TestDB_SearchBroadRanking: past the bm25 budget (forced to 0 here; 20,000
// counted documents in production) FTS5 ranks by title hits, then newest;
// PostgreSQL's ts_rank weighs titles the same way.
func TestDB_SearchBroadRanking(t *testing.T) {
	restore := storage.SetRankBudget(0)
	t.Cleanup(restore)
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		org := searchOrg(t, db, "org", account.LevelRegional)
		doc := func(id int64, title, body string) search.Document {
			return search.Document{Kind: "note", ID: id, Scope: search.ScopePublic, Owner: org, Title: title, Body: body, Date: day("2020-01-01")}
		}
		for _, d := range []search.Document{
			doc(1, "Klimat i norr", "Här finns scenarier om klimatet."),
			doc(2, "Scenarier för Artica", "Fyra framtider."),
			doc(3, "Annat arbete", "Scenariot beskriver en region."),
			doc(4, "Scenariot Senior City", "Ett av fyra scenarier."),
			doc(5, "Utan träff", "Inget här."),
		} {
			if err := db.Search().PutSearchDocuments(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		res, err := db.Search().Search(ctx, search.Query{Text: "scenarier"})
		if err != nil {
			t.Fatal(err)
		}
		got := hitIDs(res)
		if len(got) != 4 || !sameSet(got[:2], []int64{2, 4}) || !sameSet(got[2:], []int64{1, 3}) {
			t.Fatalf("order %v: want the title hits 2 and 4 before 1 and 3", got)
		}
		if db.Engine == storage.SQLite && !slices.Equal(got, []int64{4, 2, 3, 1}) {
			t.Errorf("order %v, want [4 2 3 1]: title hits, then newest", got)
		}
		// Sparse matches (a rare word AND a common one, far apart in the
		// index) are scored from their rows' titles, not FTS5's title
		// matches in their range: the same order.
		for i := range int64(60) {
			id := 100 + i
			title, body := "Fyllnad", "Inget om saken."
			switch i {
			case 0:
				title, body = "Hamnens scenarier", "Om Ystad."
			case 30:
				title, body = "Annat", "Scenariot om Ystad."
			case 59:
				title, body = "Scenariot Ystad 2050", "Om hamnen."
			}
			if err := db.Search().PutSearchDocuments(ctx, doc(id, title, body)); err != nil {
				t.Fatal(err)
			}
		}
		// With the default probe depth the probes cannot tell in so small an
		// index, and the candidates' span does; probing two deep, they can.
		for _, depth := range []int64{256, 2} {
			restore := storage.SetProbeDepth(depth)
			res, err = db.Search().Search(ctx, search.Query{Text: "scenarier ystad"})
			restore()
			if err != nil {
				t.Fatal(err)
			}
			got = hitIDs(res)
			if len(got) != 3 || !sameSet(got[:2], []int64{100, 159}) || got[2] != 130 {
				t.Fatalf("probe depth %d: sparse order %v: want the title hits 100 and 159 before 130", depth, got)
			}
			if db.Engine == storage.SQLite && !slices.Equal(got, []int64{159, 100, 130}) {
				t.Errorf("probe depth %d: sparse order %v, want [159 100 130]: title hits, then newest", depth, got)
			}
		}
	})
}
