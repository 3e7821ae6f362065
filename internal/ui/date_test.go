package ui

import (
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
)

// TestDateText: a date reads as precisely as its source gives it, in
// both languages, and an unknown one says so.
func TestDateText(t *testing.T) {
	t.Parallel()
	cat := i18n.MustLoad()
	d := time.Date(2017, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		date   time.Time
		p      library.DatePrecision
		sv, en string
		attr   string
	}{
		{"Day", time.Date(2020, 5, 19, 0, 0, 0, 0, time.UTC), library.DateDay, "19 maj 2020", "19 May 2020", "2020-05-19"},
		{"Month", d, library.DateMonth, "november 2017", "November 2017", "2017-11"},
		{"Year", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), library.DateYear, "2020", "2020", "2020"},
		{"Unknown", d, library.DateUnknown, "datum okänt", "date unknown", ""},
		{"NoDate", time.Time{}, library.DateDay, "datum okänt", "date unknown", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for lang, want := range map[string]string{"sv": tt.sv, "en": tt.en} {
				b := &base{Translator: cat.For(lang)}
				if got := b.DateText(tt.date, tt.p); got != want {
					t.Errorf("%s: %q, want %q", lang, got, want)
				}
				if got := b.DateAttr(tt.date, tt.p); got != tt.attr {
					t.Errorf("%s: datetime %q, want %q", lang, got, tt.attr)
				}
			}
		})
	}
}

// TestDayText: the site's own moments read as days and times in
// Stockholm, whatever zone they come in: 23:30 UTC on 2 December is 3
// December there.
func TestDayText(t *testing.T) {
	t.Parallel()
	cat := i18n.MustLoad()
	at := time.Date(2026, 12, 2, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		lang, day, dayTime string
	}{
		{"sv", "3 december 2026", "3 december 2026 kl. 00:30"},
		{"en", "3 December 2026", "3 December 2026 at 00:30"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			b := &base{Translator: cat.For(tt.lang)}
			if got := b.DayText(at); got != tt.day {
				t.Errorf("DayText %q, want %q", got, tt.day)
			}
			if got, want := string(b.DayHTML(at)), `<time datetime="2026-12-03">`+tt.day+`</time>`; got != want {
				t.Errorf("DayHTML %q, want %q", got, want)
			}
			if got := b.DateTimeText(at); got != tt.dayTime {
				t.Errorf("DateTimeText %q, want %q", got, tt.dayTime)
			}
			if got, want := string(b.DateTimeHTML(at)), `<time datetime="2026-12-03T00:30:00+01:00">`+tt.dayTime+`</time>`; got != want {
				t.Errorf("DateTimeHTML %q, want %q", got, want)
			}
			if b.DayText(time.Time{}) != "" || b.DateTimeHTML(time.Time{}) != "" {
				t.Error("no moment writes something")
			}
		})
	}
}
