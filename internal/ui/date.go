package ui

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
)

// DateText writes a date as precisely as its source gives it, in the
// page's language: "19 maj 2020", "november 2017", "2020", or "datum
// okänt". Events, works and the site's own moments (DayText,
// DateTimeText) share it, so a date reads the same anywhere; the
// templates have no formatter of their own.
func (b *base) DateText(t time.Time, p library.DatePrecision) string {
	return dateText(b.Translator, t, p)
}

// dateText is DateText for a translator alone (the feeds).
func dateText(tr *i18n.Translator, t time.Time, p library.DatePrecision) string {
	if t.IsZero() || p == library.DateUnknown {
		return tr.T("date.unknown")
	}
	month := tr.T("month." + strconv.Itoa(int(t.Month())))
	y := strconv.Itoa(t.Year())
	switch p {
	case library.DateYear:
		return y
	case library.DateMonth:
		return month + " " + y
	}
	return strconv.Itoa(t.Day()) + " " + month + " " + y
}

// DayText is the day of a moment (a change, a creation) in Stockholm, as
// DateText writes a day: "2 december 2026"; "" for none. DateText is for
// a date its source gives; this is for the site's own timestamps.
func (b *base) DayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return b.DateText(t.In(stockholm), library.DateDay)
}

// DayHTML is DayText in a <time> with the day as its datetime.
func (b *base) DayHTML(t time.Time) template.HTML {
	if t.IsZero() {
		return ""
	}
	return b.DateHTML(t.In(stockholm), library.DateDay)
}

// DateTimeText is a moment in Stockholm to the minute: "2 december 2026
// kl. 14:05" ("2 December 2026 at 14:05").
func (b *base) DateTimeText(t time.Time) string { return dateTimeText(b.Translator, t) }

// dateTimeText is DateTimeText for a translator alone (the inbox's stream).
func dateTimeText(tr *i18n.Translator, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(stockholm)
	return tr.T("date.at_time", dateText(tr, t, library.DateDay), t.Format("15:04"))
}

// DateTimeHTML is DateTimeText in a <time> with the moment as its datetime.
func (b *base) DateTimeHTML(t time.Time) template.HTML {
	if t.IsZero() {
		return ""
	}
	return template.HTML(`<time datetime="` + t.In(stockholm).Format(time.RFC3339) + `">` +
		template.HTMLEscapeString(b.DateTimeText(t)) + `</time>`)
}

// DateAttr is the datetime attribute of a <time> for a date at its
// precision ("2017-11", "2020"), "" when unknown.
func (b *base) DateAttr(t time.Time, p library.DatePrecision) string {
	return library.FormatDate(t, p)
}

// dateInput is the year, month and day inputs of one date field
// (partial date_parts), shared by the work and post forms so both read
// and refuse a date alike (library.DateFromParts).
type dateInput struct {
	Page             *base
	Suffix           string // appended to the inputs' ids, for one of several forms ("-12")
	Year, Month, Day string
	Err              string // the field's message, or ""
	Legend, Hint     string // catalogue keys
}

// Months are the month select's options, 1 to 12.
func (dateInput) Months() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} }

// DateInput returns the inputs of a date t at precision p, with the
// submitted values and the field "date"'s error when fromForm (the form
// that was sent), under ids ending in suffix.
func (b *base) DateInput(suffix string, t time.Time, p library.DatePrecision, fromForm bool, legend, hint string) dateInput {
	in := dateInput{Page: b, Suffix: suffix, Legend: legend, Hint: hint}
	if !t.IsZero() && p != library.DateUnknown {
		in.Year = strconv.Itoa(t.Year())
		if p == library.DateMonth || p == library.DateDay {
			in.Month = strconv.Itoa(int(t.Month()))
		}
		if p == library.DateDay {
			in.Day = strconv.Itoa(t.Day())
		}
	}
	if fromForm {
		in.Year, in.Month, in.Day = b.Value("date", in.Year), b.Value("date_month", in.Month), b.Value("date_day", in.Day)
		in.Err = b.FieldError("date")
	}
	return in
}

// dateFromForm reads a form's date inputs (partial date_parts) into
// *t and *p, or the field's error into bad.
func dateFromForm(r *http.Request, t *time.Time, p *library.DatePrecision, bad errs.Fields) {
	var key string
	*t, *p, key = library.DateFromParts(r.PostFormValue("date"), r.PostFormValue("date_month"), r.PostFormValue("date_day"))
	if key != "" {
		bad["date"] = key
	}
}

// DateHTML is DateText in a <time> with its DateAttr, or the text alone
// when the date is unknown (a <time> needs a date).
func (b *base) DateHTML(t time.Time, p library.DatePrecision) template.HTML {
	text := template.HTMLEscapeString(b.DateText(t, p))
	if attr := b.DateAttr(t, p); attr != "" {
		return template.HTML(`<time datetime="` + attr + `">` + text + `</time>`)
	}
	return template.HTML(text)
}
