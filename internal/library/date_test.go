package library_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestWork_DatePrecisionRoundTrip saves a work at each precision and
// reads back the date cut to it, on both engines, through create and
// update.
func TestWork_DatePrecisionRoundTrip(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		given := time.Date(2017, 11, 23, 15, 4, 0, 0, time.UTC)
		tests := []struct {
			name string
			date time.Time
			prec library.DatePrecision
			want time.Time
			wp   library.DatePrecision
		}{
			{"Day", given, library.DateDay, time.Date(2017, 11, 23, 0, 0, 0, 0, time.UTC), library.DateDay},
			{"Month", given, library.DateMonth, time.Date(2017, 11, 1, 0, 0, 0, 0, time.UTC), library.DateMonth},
			{"Year", given, library.DateYear, time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), library.DateYear},
			{"Unknown", given, library.DateUnknown, time.Time{}, library.DateUnknown},
			{"NoDate", time.Time{}, library.DateMonth, time.Time{}, library.DateUnknown},
			{"DateWithoutPrecisionIsDay", given, "", time.Date(2017, 11, 23, 0, 0, 0, 0, time.UTC), library.DateDay},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := f.work("Daterad "+tt.name, library.Public)
				w.Date, w.DatePrecision = tt.date, tt.prec
				made := f.mustCreate(t, w)
				got, err := f.svc.Get(ctx, f.editorA, made.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !got.Date.Equal(tt.want) || got.DatePrecision != tt.wp {
					t.Fatalf("created: got %v %q, want %v %q", got.Date, got.DatePrecision, tt.want, tt.wp)
				}
				// An edit to another precision is stored as such.
				got.Date, got.DatePrecision = time.Date(2020, 5, 19, 0, 0, 0, 0, time.UTC), library.DateYear
				if _, err := f.svc.Update(ctx, f.editorA, got); err != nil {
					t.Fatal(err)
				}
				again, err := f.svc.Get(ctx, f.editorA, made.ID)
				if err != nil {
					t.Fatal(err)
				}
				if want := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC); !again.Date.Equal(want) || again.DatePrecision != library.DateYear {
					t.Fatalf("updated: got %v %q, want %v year", again.Date, again.DatePrecision, want)
				}
			})
		}
	})
}

func TestDateFromParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		year, month, day string
		want             time.Time
		prec             library.DatePrecision
		key              string
	}{
		{"Empty", "", "", "", time.Time{}, library.DateUnknown, ""},
		{"Year", "2020", "", "", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), library.DateYear, ""},
		{"Month", "2017", "11", "", time.Date(2017, 11, 1, 0, 0, 0, 0, time.UTC), library.DateMonth, ""},
		{"Day", "2020", "5", "19", time.Date(2020, 5, 19, 0, 0, 0, 0, time.UTC), library.DateDay, ""},
		{"LeapDay", "2024", "2", "29", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), library.DateDay, ""},
		{"Spaces", " 2020 ", " ", "", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), library.DateYear, ""},
		{"ErrMonthWithoutYear", "", "11", "", time.Time{}, library.DateUnknown, "library.date_year_required"},
		{"ErrDayWithoutYear", "", "", "3", time.Time{}, library.DateUnknown, "library.date_year_required"},
		{"ErrDayWithoutMonth", "2020", "", "3", time.Time{}, library.DateUnknown, "library.date_day_without_month"},
		{"Err31February", "2021", "2", "31", time.Time{}, library.DateUnknown, "library.date_day_invalid"},
		{"Err29FebruaryNotLeap", "2023", "2", "29", time.Time{}, library.DateUnknown, "library.date_day_invalid"},
		{"ErrDayZero", "2021", "3", "0", time.Time{}, library.DateUnknown, "library.date_day_invalid"},
		{"ErrDayText", "2021", "3", "x", time.Time{}, library.DateUnknown, "library.date_day_invalid"},
		{"ErrMonth13", "2021", "13", "", time.Time{}, library.DateUnknown, "library.date_month_invalid"},
		{"ErrYearEarly", "1949", "", "", time.Time{}, library.DateUnknown, "library.date_year_invalid"},
		{"ErrYearLate", "2201", "", "", time.Time{}, library.DateUnknown, "library.date_year_invalid"},
		{"ErrYearText", "tjugo", "", "", time.Time{}, library.DateUnknown, "library.date_year_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, p, key := library.DateFromParts(tt.year, tt.month, tt.day)
			if !got.Equal(tt.want) || p != tt.prec || key != tt.key {
				t.Fatalf("got %v %q %q, want %v %q %q", got, p, key, tt.want, tt.prec, tt.key)
			}
		})
	}
}

func TestParseFormatDate(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"2017-11-05", "2017-11", "2020", ""} {
		d, p, err := library.ParseDate(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got := library.FormatDate(d, p); got != s {
			t.Errorf("%q: round trip gave %q (%q)", s, got, p)
		}
	}
	for _, s := range []string{"2017-13", "17", "2017-02-30", "2017/11"} {
		if _, _, err := library.ParseDate(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
}

// TestImport_DatePrecision reads the dates of an import: an old export
// (a day, no precision) still imports as a day, and a new one keeps
// month, year and unknown; exported again, each reads as it came.
func TestImport_DatePrecision(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		rec := func(slug, date string) string {
			return `{"slug": "` + slug + `", "type": "scenario", "title": "T ` + slug + `", "organisation": "region-norrbotten"` + date + `}`
		}
		file := importFile(
			rec("gammal-export", `, "date": "2018-03-01"`),
			rec("manad", `, "date": "2017-11", "date_precision": "month"`),
			rec("ar", `, "date": "2020", "date_precision": "year"`),
			rec("dag-till-manad", `, "date": "2019-06-15", "date_precision": "month"`),
			rec("okant", ``),
		)
		if _, err := f.svc.Import(t.Context(), f.editorA, strings.NewReader(file)); err != nil {
			t.Fatal(err)
		}
		want := map[string]struct {
			date string
			p    library.DatePrecision
		}{
			"gammal-export": {"2018-03-01", library.DateDay}, "manad": {"2017-11", library.DateMonth},
			"ar": {"2020", library.DateYear}, "dag-till-manad": {"2019-06", library.DateMonth}, "okant": {"", library.DateUnknown},
		}
		var out bytes.Buffer
		if err := f.svc.ExportJSON(t.Context(), f.admin, library.Filter{}, &out); err != nil {
			t.Fatal(err)
		}
		var exp struct {
			Works []library.Record `json:"works"`
		}
		if err := json.Unmarshal(out.Bytes(), &exp); err != nil {
			t.Fatal(err)
		}
		for slug, w := range want {
			got, err := f.svc.GetBySlug(t.Context(), f.admin, slug)
			if err != nil {
				t.Fatal(slug, err)
			}
			if s := library.FormatDate(got.Date, got.DatePrecision); s != w.date || got.DatePrecision != w.p {
				t.Errorf("%s: stored %q %q, want %q %q", slug, s, got.DatePrecision, w.date, w.p)
			}
		}
		if len(exp.Works) != len(want) {
			t.Fatalf("exported %d works", len(exp.Works))
		}
		for _, r := range exp.Works {
			w := want[r.Slug]
			if r.Date != w.date || (w.date != "" && r.DatePrecision != w.p) {
				t.Errorf("%s: exported %q %q, want %q %q", r.Slug, r.Date, r.DatePrecision, w.date, w.p)
			}
		}
		bad := importFile(rec("fel", `, "date": "2020", "date_precision": "day"`))
		_, err := f.svc.Import(t.Context(), f.editorA, strings.NewReader(bad))
		wantImportProblems(t, err, map[string]string{"works[0].date": "library.date_invalid"})
	})
}

// TestList_ByOwnDate: "newest" and the year filter go by a work's own
// date at its precision, with a query (the search index) and without
// (the works table) alike: an undated work matches no year and comes
// after the dated ones; a year-precision work matches its year.
func TestList_ByOwnDate(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		mk := func(title string, d time.Time, p library.DatePrecision) int64 {
			w := f.work(title, library.Public)
			w.Date, w.DatePrecision = d, p
			return f.mustCreate(t, w).ID
		}
		// Made in an order unlike their dates, the undated one in between.
		month := mk("Scenario november", time.Date(2017, 11, 1, 0, 0, 0, 0, time.UTC), library.DateMonth)
		undated := mk("Scenario utan datum", time.Time{}, library.DateUnknown)
		year := mk("Scenario året", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), library.DateYear)
		day := mk("Scenario dagen", time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC), library.DateDay)
		addedYear := time.Now().UTC().Year()
		tests := []struct {
			name string
			f    library.Filter
			want []int64 // in order
		}{
			{"NewestUndatedLast", library.Filter{Sort: library.SortNewest}, []int64{year, day, month, undated}},
			{"YearOfYearPrecision", library.Filter{Year: 2020}, []int64{year}},
			{"YearOfMonthPrecision", library.Filter{Year: 2017}, []int64{month}},
			{"YearOfDay", library.Filter{Year: 2019}, []int64{day}},
			{"UndatedNotInTheYearAdded", library.Filter{Year: addedYear}, nil},
			{"YearWithNone", library.Filter{Year: 2018}, nil},
			{"AddedIsAnotherOrder", library.Filter{Sort: library.SortAdded}, []int64{day, year, undated, month}},
		}
		for _, tt := range tests {
			for _, query := range []string{"", "scenario"} {
				if query != "" && tt.f.Sort == library.SortAdded {
					continue // a search orders by relevance or its date
				}
				name := tt.name + "/Table"
				if query != "" {
					name = tt.name + "/Search"
				}
				t.Run(name, func(t *testing.T) {
					fl := tt.f
					fl.Query = query
					if query != "" && fl.Sort == "" {
						fl.Sort = library.SortNewest
					}
					page, err := f.svc.List(ctx, f.editorA, fl)
					if err != nil {
						t.Fatal(err)
					}
					var got []int64
					for _, w := range page.Works {
						if w.ID == month || w.ID == undated || w.ID == year || w.ID == day {
							got = append(got, w.ID)
						}
					}
					if !slices.Equal(got, tt.want) {
						t.Errorf("List(%+v) = %v, want %v (year %d, day %d, month %d, undated %d)", fl, got, tt.want, year, day, month, undated)
					}
				})
			}
		}
	})
}
