package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/library"
)

// TestPosts_DateAsTheSourceGivesIt: a post is dated by its form's year,
// month and day as precisely as they are filled, and every place shows
// that date ("november 2017", "datum okänt"), never the day it was
// added; news orders by when it was added. A bad date is refused with the
// work form's messages, linked from the summary, the input kept.
func TestPosts_DateAsTheSourceGivesIt(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newPostFixture(t, dsn)
		ta := f.ta
		ctx := context.Background()
		send := func(path, body, y, m, d string) *http.Response {
			return ta.do(req{method: "POST", path: path, session: f.sEditor,
				form: url.Values{"body": {body}, "visibility": {"public"}, "date": {y}, "date_month": {m}, "date_day": {d}}})
		}
		expect(t, send("/organisationer/org-a/poster", "Regional konferens om megatrender.", "2017", "11", ""), http.StatusSeeOther)
		expect(t, send("/organisationer/org-a/poster", "Workshopdag om svaga signaler.", "", "", ""), http.StatusSeeOther)
		expect(t, send("/organisationer/org-a/poster", "Masterclass om scenarier.", "2020", "5", "19"), http.StatusSeeOther)
		expect(t, send("/organisationer/org-a/poster", "Ett år av omvärldsanalys.", "2009", "", ""), http.StatusSeeOther)
		posts, err := ta.Posts.List(ctx, nil, f.a.ID, 10)
		if err != nil || len(posts) != 4 {
			t.Fatalf("posts = %d, %v", len(posts), err)
		}
		// Newest added first, whatever their own dates.
		want := []struct {
			body string
			prec library.DatePrecision
			date string
		}{
			{"Ett år av omvärldsanalys.", library.DateYear, "2009"},
			{"Masterclass om scenarier.", library.DateDay, "2020-05-19"},
			{"Workshopdag om svaga signaler.", library.DateUnknown, ""},
			{"Regional konferens om megatrender.", library.DateMonth, "2017-11"},
		}
		for i, w := range want {
			p := posts[i]
			if p.Body != w.body || p.DatePrecision != w.prec || library.FormatDate(p.Date, p.DatePrecision) != w.date {
				t.Errorf("post %d = %q %s %q, want %q %s %q", i, p.Body, p.DatePrecision, library.FormatDate(p.Date, p.DatePrecision), w.body, w.prec, w.date)
			}
		}
		month := posts[3]
		added := month.CreatedAt.Format("2006-01-02")
		t.Run("Shown", func(t *testing.T) {
			for _, page := range []struct{ name, path, lang string }{
				{"Organisation", "/organisationer/org-a", "sv"}, {"FrontPage", "/", "sv"},
				{"OrganisationEnglish", "/organisationer/org-a", "en"}, {"FrontPageEnglish", "/", "en"},
			} {
				body := expect(t, ta.do(req{method: "GET", path: page.path, header: map[string]string{"Cookie": "framsyn_lang=" + page.lang}}), http.StatusOK)
				wants := []string{`<time datetime="2017-11">november 2017</time>`, `<time datetime="2020-05-19">19 maj 2020</time>`, `<time datetime="2009">2009</time>`, "datum okänt"}
				if page.lang == "en" {
					wants = []string{`<time datetime="2017-11">November 2017</time>`, `<time datetime="2020-05-19">19 May 2020</time>`, `<time datetime="2009">2009</time>`, "date unknown"}
				}
				for _, s := range wants {
					if !strings.Contains(body, s) {
						t.Errorf("%s lacks %s", page.name, s)
					}
				}
				if strings.Contains(body, ">"+added) || strings.Contains(body, "2017-11-01") {
					t.Errorf("%s shows a day no post has (%s or 2017-11-01)", page.name, added)
				}
			}
		})
		t.Run("Feed", func(t *testing.T) {
			body := expect(t, ta.do(req{method: "GET", path: "/organisationer/org-a/flode.atom"}), http.StatusOK)
			for _, s := range []string{"Datum: november 2017", "Datum: datum okänt", "Datum: 19 maj 2020"} {
				if !strings.Contains(body, s) {
					t.Errorf("feed lacks %q", s)
				}
			}
		})
		t.Run("Search", func(t *testing.T) {
			page := expect(t, ta.do(req{method: "GET", path: "/sok?q=megatrender"}), http.StatusOK)
			if !strings.Contains(page, `<time datetime="2017-11">november 2017</time>`) || strings.Contains(page, ">"+added) {
				t.Errorf("/sok: the hit does not show the post's own month")
			}
			body := expect(t, ta.do(req{method: "GET", path: "/api/v1/search?q=megatrender&kind=post"}), http.StatusOK)
			if !strings.Contains(body, `"date":"2017-11"`) || !strings.Contains(body, `"date_precision":"month"`) {
				t.Errorf("API hit lacks the month: %s", body)
			}
		})
		t.Run("Edit", func(t *testing.T) {
			edit := fmt.Sprintf("/organisationer/org-a/poster/%d", month.ID)
			expect(t, send(edit, month.Body, "2018", "", ""), http.StatusSeeOther)
			got, err := ta.Posts.Get(ctx, nil, month.ID)
			if err != nil || got.DatePrecision != library.DateYear || got.Date.Year() != 2018 || !got.CreatedAt.Equal(month.CreatedAt) {
				t.Errorf("after the edit: %+v, %v; want the year 2018, added as before", got, err)
			}
			page := expect(t, ta.do(req{method: "GET", path: "/organisationer/org-a", session: f.sEditor}), http.StatusOK)
			for _, s := range []string{fmt.Sprintf(`id="date-%d" name="date" value="2018"`, month.ID), fmt.Sprintf(`id="date_day-%d" name="date_day" value=""`, month.ID)} {
				if !strings.Contains(page, s) {
					t.Errorf("edit form lacks %s", s)
				}
			}
		})
		t.Run("Errors", func(t *testing.T) {
			tests := []struct {
				name, y, m, d, want string
			}{
				{"ErrDayWithoutMonth", "2020", "", "3", "Välj månaden när du anger dagen, eller lämna dagen tom."},
				{"ErrYearRequired", "", "11", "", "Skriv året när du anger månad eller dag."},
				{"Err31February", "2021", "2", "31", "Den dagen finns inte i månaden"},
				{"ErrYearInvalid", "17", "", "", "Skriv året med fyra siffror, mellan 1950 och 2200."},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					page := expect(t, send("/organisationer/org-a/poster", "Text som ska finnas kvar.", tt.y, tt.m, tt.d), http.StatusUnprocessableEntity)
					for _, s := range []string{tt.want, `href="#date"`, `id="date-error"`, "Text som ska finnas kvar.", `name="date" value="` + tt.y + `"`, `name="date_day" value="` + tt.d + `"`} {
						if !strings.Contains(page, s) {
							t.Errorf("page lacks %s", s)
						}
					}
				})
			}
			page := expect(t, send(fmt.Sprintf("/organisationer/org-a/poster/%d", month.ID), "", "2020", "", "3"), http.StatusUnprocessableEntity)
			for _, s := range []string{fmt.Sprintf(`href="#date-%d"`, month.ID), fmt.Sprintf(`href="#body-%d"`, month.ID), fmt.Sprintf(`id="date-%d-error"`, month.ID)} {
				if !strings.Contains(page, s) {
					t.Errorf("edit with a bad date: page lacks %s", s)
				}
			}
			if n, _ := ta.Posts.List(ctx, nil, f.a.ID, 10); len(n) != 4 {
				t.Errorf("posts after refused input = %d, want 4", len(n))
			}
			// One who may not post gets Forbidden, not the form's errors.
			resp := ta.do(req{method: "POST", path: "/organisationer/org-a/poster", session: f.sMember,
				form: url.Values{"body": {"x"}, "visibility": {"public"}, "date": {""}, "date_month": {"11"}}})
			expect(t, resp, http.StatusForbidden)
		})
	})
}
