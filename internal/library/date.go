package library

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// DatePrecision is how much of a work's date its source gives: a seed
// may name only "november 2017" or "2020", and the work shows no more.
type DatePrecision string

// The precisions, most precise first.
const (
	DateDay     DatePrecision = "day"
	DateMonth   DatePrecision = "month"
	DateYear    DatePrecision = "year"
	DateUnknown DatePrecision = "unknown"
)

// DatePrecisions are the valid precisions.
var DatePrecisions = []DatePrecision{DateDay, DateMonth, DateYear, DateUnknown}

// Valid reports whether p is one of DatePrecisions.
func (p DatePrecision) Valid() bool { return slices.Contains(DatePrecisions, p) }

// TruncateDate returns t cut to p at UTC midnight (the first day the
// precision allows), or the zero time for DateUnknown.
func TruncateDate(t time.Time, p DatePrecision) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	switch p {
	case DateDay:
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	case DateMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case DateYear:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

// FormatDate writes t at precision p as the API and exports do:
// "2017-11-05", "2017-11", "2020", or "" when unknown.
func FormatDate(t time.Time, p DatePrecision) string {
	if t.IsZero() {
		return ""
	}
	switch p {
	case DateMonth:
		return t.Format("2006-01")
	case DateYear:
		return t.Format("2006")
	case DateUnknown:
		return ""
	}
	return t.Format(time.DateOnly)
}

// ParseDate reads "YYYY-MM-DD", "YYYY-MM" or "YYYY" (or "" for unknown)
// into a date and its precision.
func ParseDate(s string) (time.Time, DatePrecision, error) {
	s = strings.TrimSpace(s)
	layout, p := "", DateUnknown
	switch len(s) {
	case 0:
		return time.Time{}, DateUnknown, nil
	case len("2006"):
		layout, p = "2006", DateYear
	case len("2006-01"):
		layout, p = "2006-01", DateMonth
	case len("2006-01-02"):
		layout, p = time.DateOnly, DateDay
	default:
		return time.Time{}, DateUnknown, fmt.Errorf("library: date %q: want YYYY-MM-DD, YYYY-MM or YYYY", s)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, DateUnknown, fmt.Errorf("library: date %q: %w", s, err)
	}
	return t, p, nil
}

// DateFromParts builds a date from a form's year, month and day (each
// may be empty): the precision follows from what is filled. Errors are
// catalogue keys under the field "date".
func DateFromParts(year, month, day string) (time.Time, DatePrecision, string) {
	year, month, day = strings.TrimSpace(year), strings.TrimSpace(month), strings.TrimSpace(day)
	if year == "" && month == "" && day == "" {
		return time.Time{}, DateUnknown, ""
	}
	if year == "" {
		return time.Time{}, DateUnknown, "library.date_year_required"
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < MinYear || y > MaxYear {
		return time.Time{}, DateUnknown, "library.date_year_invalid"
	}
	if month == "" {
		if day != "" {
			return time.Time{}, DateUnknown, "library.date_day_without_month"
		}
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), DateYear, ""
	}
	m, err := strconv.Atoi(month)
	if err != nil || m < 1 || m > 12 {
		return time.Time{}, DateUnknown, "library.date_month_invalid"
	}
	if day == "" {
		return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), DateMonth, ""
	}
	d, err := strconv.Atoi(day)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if err != nil || d < 1 || t.Month() != time.Month(m) {
		return time.Time{}, DateUnknown, "library.date_day_invalid"
	}
	return t, DateDay, ""
}

// NormalizeDate normalises a date and its precision as a work or a post
// stores them: a date without a precision is a day (old exports and
// callers), no date is unknown, and the date is cut to its precision so
// nothing more precise is stored. key is a catalogue key of the field
// "date" when the date is out of range, else "".
func NormalizeDate(t time.Time, p DatePrecision) (time.Time, DatePrecision, string) {
	switch {
	case t.IsZero():
		p = DateUnknown
	case p == "":
		p = DateDay
	case !p.Valid():
		return t, p, "library.date_invalid"
	}
	t = TruncateDate(t, p)
	if !t.IsZero() {
		if y := t.Year(); y < MinYear || y > MaxYear {
			return t, p, "library.date_invalid"
		}
	}
	return t, p, ""
}

// validateDate normalises the work's date and precision (NormalizeDate).
func (w *Work) validateDate(f errs.Fields) {
	var key string
	if w.Date, w.DatePrecision, key = NormalizeDate(w.Date, w.DatePrecision); key != "" {
		f["date"] = key
	}
}
