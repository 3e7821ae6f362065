package library_test

import (
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
