package ui

import (
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
)

// DateText writes a date as precisely as its source gives it, in the
// page's language: "19 maj 2020", "november 2017", "2020", or "datum
// okänt". Events and works share it, so a date reads the same anywhere.
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

// DateAttr is the datetime attribute of a <time> for a date at its
// precision ("2017-11", "2020"), "" when unknown.
func (b *base) DateAttr(t time.Time, p library.DatePrecision) string {
	return library.FormatDate(t, p)
}
