package library

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

func validWork() *Work {
	return &Work{Type: TypeScenario, Title: "Region Artica", OrganisationID: 1, Visibility: Public}
}

func TestWork_Validate(t *testing.T) {
	long := strings.Repeat("x", 201)
	tests := []struct {
		name   string
		edit   func(w *Work)
		fields map[string]string // the field errors expected, nil for none
	}{
		{"OK", func(w *Work) {}, nil},
		{"ErrTitleRequired", func(w *Work) { w.Title, w.Slug = "  ", "" }, map[string]string{"title": "library.title_required"}},
		{"ErrTitleWithoutAddress", func(w *Work) { w.Title, w.Slug = "???", "" }, map[string]string{"slug": "library.slug_from_title"}},
		{"ErrTitleTooLong", func(w *Work) { w.Title, w.Slug = long, "ok" }, map[string]string{"title": "library.title_too_long"}},
		{"ErrTitleNewline", func(w *Work) { w.Title = "a\nb" }, map[string]string{"title": "error.invalid_chars"}},
		{"ErrSummaryTooLong", func(w *Work) { w.Summary = strings.Repeat("å", MaxSummaryLen+1) }, map[string]string{"summary": "library.summary_too_long"}},
		{"ErrBodyTooLong", func(w *Work) { w.BodyMD = strings.Repeat("a", MaxBodyLen+1) }, map[string]string{"body": "library.body_too_long"}},
		{"ErrBodyNUL", func(w *Work) { w.BodyMD = "a\x00" }, map[string]string{"body": "error.invalid_chars"}},
		{"ErrSlug", func(w *Work) { w.Slug = "Inte OK" }, map[string]string{"slug": "library.slug_invalid"}},
		{"ErrType", func(w *Work) { w.Type = "novel" }, map[string]string{"type": "library.type_invalid"}},
		{"ErrTypeEmpty", func(w *Work) { w.Type = "" }, map[string]string{"type": "library.type_invalid"}},
		{"ErrOrganisationRequired", func(w *Work) { w.OrganisationID = 0 }, map[string]string{"organisation": "library.organisation_required"}},
		{"ErrTooManyCoOrgs", func(w *Work) {
			for i := range MaxCoOrgs + 1 {
				w.CoOrganisationIDs = append(w.CoOrganisationIDs, int64(i+2))
			}
		}, map[string]string{"co_organisations": "library.too_many"}},
		{"ErrTooManyContacts", func(w *Work) {
			for i := range MaxContacts + 1 {
				w.ContactIDs = append(w.ContactIDs, int64(i+1))
			}
		}, map[string]string{"contacts": "library.too_many"}},
		{"ErrHorizonYear", func(w *Work) { w.HorizonYear = 1999 }, map[string]string{"horizon_year": "library.horizon_year_invalid"}},
		{"OKHorizonYear", func(w *Work) { w.HorizonYear = 2050 }, nil},
		{"ErrTagTooLong", func(w *Work) { w.Methods = []string{long} }, map[string]string{"methods": "library.tag_invalid"}},
		{"ErrTooManyThemes", func(w *Work) {
			for i := range MaxTags + 1 {
				w.Themes = append(w.Themes, "tema "+string(rune('a'+i)))
			}
		}, map[string]string{"themes": "library.too_many"}},
		{"ErrDate", func(w *Work) { w.Date = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) }, map[string]string{"date": "library.date_invalid"}},
		{"ErrLanguage", func(w *Work) { w.Language = "svenska" }, map[string]string{"language": "library.language_invalid"}},
		{"ErrLicenceTooLong", func(w *Work) { w.Licence = long }, map[string]string{"licence": "error.too_long"}},
		{"ErrLinkKind", func(w *Work) { w.Links = []Link{{Kind: "ftp", URL: "https://example.se"}} }, map[string]string{"links[0].kind": "library.link_kind_invalid"}},
		{"ErrLinkJavascript", func(w *Work) { w.Links = []Link{{Kind: LinkWeb, URL: "javascript:alert(1)"}} }, map[string]string{"links[0].url": "library.link_url_invalid"}},
		{"ErrLinkRelative", func(w *Work) {
			w.Links = []Link{{Kind: LinkWeb, URL: "https://example.se"}, {Kind: LinkVideo, URL: "/video"}}
		}, map[string]string{"links[1].url": "library.link_url_invalid"}},
		{"ErrLinkData", func(w *Work) { w.Links = []Link{{Kind: LinkDocument, URL: "data:text/html,x"}} }, map[string]string{"links[0].url": "library.link_url_invalid"}},
		{"OKLinkHTTP", func(w *Work) {
			w.Links = []Link{{Kind: LinkPodcast, URL: "http://example.se/podd", Title: "Avsnitt 1"}}
		}, nil},
		{"ErrVisibility", func(w *Work) { w.Visibility = "secret" }, map[string]string{"visibility": "library.visibility_invalid"}},
		{"ErrReportCount", func(w *Work) { w.Experience = &ExperienceReport{Count: -1} }, map[string]string{"experience.participant_count": "library.participant_count_invalid"}},
		{"ErrReportText", func(w *Work) {
			w.Experience = &ExperienceReport{Worked: strings.Repeat("a", MaxReportTextLen+1)}
		}, map[string]string{"experience.worked": "library.report_text_too_long"}},
		{"ErrReportStep", func(w *Work) {
			w.Experience = &ExperienceReport{Steps: []string{"ok", strings.Repeat("a", MaxStepLen+1)}}
		}, map[string]string{"experience.steps[1]": "library.report_text_too_long"}},
		{"ErrAttachment", func(w *Work) { w.Attachments = []Attachment{{Hash: "abc", Name: "a.pdf"}} }, map[string]string{"attachments[0]": "library.attachment_invalid"}},
		{"ErrCoverImage", func(w *Work) { w.CoverImage = "../etc/passwd" }, map[string]string{"cover_image": "library.attachment_invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := validWork()
			tt.edit(w)
			err := w.Validate()
			var got map[string]string
			if err != nil {
				e := errs.As(err)
				if e.Kind != errs.Invalid {
					t.Fatalf("kind %v, want Invalid", e.Kind)
				}
				got = e.Fields
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("fields = %v, want %v", got, tt.fields)
			}
			for k, v := range tt.fields {
				if got[k] != v {
					t.Errorf("field %q = %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
		})
	}
}

func TestWork_ValidateNormalises(t *testing.T) {
	w := &Work{Type: TypePodcast, Title: "  Historiepodden 2050 ", OrganisationID: 3,
		CoOrganisationIDs: []int64{3, 4, 4, 0, 5}, ContactIDs: []int64{7, 7},
		Methods: []string{" Backcasting ", "backcasting", "", "Scenariokors"},
		Date:    time.Date(2018, 5, 4, 15, 30, 0, 0, time.FixedZone("CEST", 7200)),
		Links:   []Link{{Kind: LinkPodcast, URL: " https://example.se/podd "}}, Experience: &ExperienceReport{Steps: []string{" "}}}
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	cited := &Work{Type: TypePodcast, Title: "Historiepodden 2050", OrganisationID: 3, Source: " Hemarbete: \u201dLyssna på den här.\u201d "}
	if err := cited.Validate(); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Title", w.Title, "Historiepodden 2050"},
		{"CitedNoLicence", cited.Licence, ""},
		{"CitedSourceTrimmed", cited.Source, "Hemarbete: \u201dLyssna på den här.\u201d"},
		{"Slug", w.Slug, "historiepodden-2050"},
		{"CoOrgs", w.CoOrganisationIDs, []int64{4, 5}},
		{"Contacts", w.ContactIDs, []int64{7}},
		{"Methods", w.Methods, []string{"Backcasting", "Scenariokors"}},
		{"Date", w.Date, time.Date(2018, 5, 4, 0, 0, 0, 0, time.UTC)},
		{"Language", w.Language, "sv"},
		{"Licence", w.Licence, DefaultLicence},
		{"Visibility", w.Visibility, Draft},
		{"LinkTrimmed", w.Links[0].URL, "https://example.se/podd"},
		{"EmptyReportDropped", w.Experience == nil, true},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !equal(c.got, c.want) {
				t.Errorf("got %v, want %v", c.got, c.want)
			}
		})
	}
}

func TestChanged(t *testing.T) {
	base := func() *Work {
		w := validWork()
		w.Methods = []string{"Backcasting"}
		return w
	}
	tests := []struct {
		name string
		edit func(w *Work)
		want []string
	}{
		{"Nothing", func(w *Work) {}, nil},
		{"NilEqualsEmpty", func(w *Work) { w.Themes = []string{} }, nil},
		{"Title", func(w *Work) { w.Title = "Ny" }, []string{"title"}},
		{"Several", func(w *Work) { w.Visibility, w.Methods = Draft, nil }, []string{"methods", "visibility"}},
		{"Report", func(w *Work) { w.Experience = &ExperienceReport{Purpose: "Lära"} }, []string{"experience"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := base()
			tt.edit(w)
			if got := Changed(base(), w); !slices.Equal(got, tt.want) {
				t.Errorf("Changed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Plain", "Region Artica", "Region Artica"},
		{"Empty", "", ""},
		{"Equals", "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"Plus", "+46 8 123", "'+46 8 123"},
		{"Minus", "-2+3", "'-2+3"},
		{"At", "@SUM(A1)", "'@SUM(A1)"},
		{"Tab", "\t=1", "'\t=1"},
		{"CR", "\r=1", "'\r=1"},
		{"LeadingSpace", "  =1", "'  =1"},
		{"LeadingNewline", "\n=1", "'\n=1"},
		{"InnerEquals", "a=b", "a=b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CSVCell(tt.in); got != tt.want {
				t.Errorf("CSVCell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTitleKey_SwedishOrder(t *testing.T) {
	titles := []string{"Östersund", "Zebra", "Ängelholm", "Åre", "arbete", "Böcker", "Öland"}
	slices.SortFunc(titles, func(a, b string) int { return strings.Compare(TitleKey(a), TitleKey(b)) })
	want := []string{"arbete", "Böcker", "Zebra", "Åre", "Ängelholm", "Öland", "Östersund"}
	if !slices.Equal(titles, want) {
		t.Errorf("order %v, want %v", titles, want)
	}
}

func TestCursor_RoundTrip(t *testing.T) {
	tests := []struct {
		name string
		c    Cursor
	}{
		{"Newest", Cursor{Sort: SortNewest, Key: "1514764800000", ID: 42}},
		{"Title", Cursor{Sort: SortTitle, Key: "0a1b2c", ID: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeCursor(encodeCursor(&tt.c))
			if err != nil || *got != tt.c {
				t.Errorf("round trip = %+v, %v", got, err)
			}
		})
	}
	for _, bad := range []string{"", "!!", "bmV3ZXN0fHh8MQ"} {
		if _, err := decodeCursor(bad); err == nil {
			t.Errorf("decodeCursor(%q) accepted", bad)
		}
	}
}
