// Package library holds the network's foresight works (framsynsarbeten):
// scenarios, design fictions, podcasts, method handbooks and the rest,
// with their experience reports ("Så här gjorde vi"), revisions, who may
// see and edit them, search, and export and import.
package library

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// Type is the kind of a work.
type Type string

// The work types.
const (
	TypeScenario       Type = "scenario"
	TypeScenarioSet    Type = "scenario_set"
	TypeDesignFiction  Type = "design_fiction"
	TypeBackcasting    Type = "backcasting"
	TypeTrendAnalysis  Type = "trend_analysis" // megatrend or trend analysis
	TypeWeakSignals    Type = "weak_signals"
	TypePodcast        Type = "podcast"
	TypeVideo          Type = "video" // video or film
	TypePresentation   Type = "presentation"
	TypeIllustration   Type = "illustration"
	TypeMethodHandbook Type = "method_handbook"
	TypeProcessPlan    Type = "process_plan"
	TypeReport         Type = "report"
	TypeWorkshopDoc    Type = "workshop_documentation"
	TypeOther          Type = "other"
)

// Types lists the work types in display order; the catalogue key of a type
// is "library.type." + the type.
var Types = []Type{TypeScenario, TypeScenarioSet, TypeDesignFiction, TypeBackcasting, TypeTrendAnalysis,
	TypeWeakSignals, TypePodcast, TypeVideo, TypePresentation, TypeIllustration, TypeMethodHandbook,
	TypeProcessPlan, TypeReport, TypeWorkshopDoc, TypeOther}

// Visibility is who may see a work.
type Visibility string

// The visibilities, from widest to narrowest; they are search.Scopes.
const (
	Public       Visibility = "public"       // everyone
	Network      Visibility = "network"      // signed-in users
	Organisation Visibility = "organisation" // members of the owning and co-organisations
	Draft        Visibility = "draft"        // editors of the owning organisation
)

// Visibilities lists the visibilities from widest to narrowest.
var Visibilities = []Visibility{Public, Network, Organisation, Draft}

// LinkKind is what a link points to.
type LinkKind string

// The link kinds.
const (
	LinkVideo    LinkKind = "video"
	LinkPodcast  LinkKind = "podcast"
	LinkDocument LinkKind = "document"
	LinkWeb      LinkKind = "web"
)

// LinkKinds lists the link kinds in display order.
var LinkKinds = []LinkKind{LinkVideo, LinkPodcast, LinkDocument, LinkWeb}

// Link is a link from a work to where it lives: a video, a podcast, a
// document or a web page.
type Link struct {
	Kind  LinkKind `json:"kind"`
	URL   string   `json:"url"`
	Title string   `json:"title,omitempty"`
}

// Attachment is a file stored with a work, by content hash (internal/media).
type Attachment struct {
	Hash      string `json:"hash"`
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
}

// ReservedSlugs are paths under /bibliotek that are pages, not works: a
// work with one of these slugs would have no page, whichever way it came
// (form, API or import).
var ReservedSlugs = []string{"ny", "import", "sa-har-gjorde-vi", "export", "typ"}

// DefaultLicence is the licence of a work unless its author chooses
// another or the work cites a source (Source).
const DefaultLicence = "CC BY 4.0"

// Work is one foresight work in the library.
type Work struct {
	ID                int64             `json:"id,omitempty"`
	Slug              string            `json:"slug"`
	Type              Type              `json:"type"`
	Title             string            `json:"title"`
	Summary           string            `json:"summary,omitempty"`
	BodyMD            string            `json:"body,omitempty"` // Markdown, sanitised when rendered
	OrganisationID    int64             `json:"organisation_id"`
	CoOrganisationIDs []int64           `json:"co_organisation_ids,omitempty"`
	ContactIDs        []int64           `json:"contact_ids,omitempty"`
	HorizonYear       int               `json:"horizon_year,omitempty"` // 0: none
	Methods           []string          `json:"methods,omitempty"`
	Themes            []string          `json:"themes,omitempty"`
	Date              time.Time         `json:"date"` // the work's date cut to DatePrecision, UTC midnight; zero: unknown
	DatePrecision     DatePrecision     `json:"date_precision"`
	Language          string            `json:"language"`
	Licence           string            `json:"licence"` // "": none given
	Links             []Link            `json:"links,omitempty"`
	Visibility        Visibility        `json:"visibility"`
	Experience        *ExperienceReport `json:"experience,omitempty"`
	Attachments       []Attachment      `json:"attachments,omitempty"`
	CoverImage        string            `json:"cover_image,omitempty"` // content hash, or ""
	Source            string            `json:"source,omitempty"`      // where its facts come from ("Källa"), or ""
	CrossID           int64             `json:"cross_id,omitempty"`    // the scenario cross the work shows, or 0
	AuthorID          int64             `json:"author_id,omitempty"`
	Version           int               `json:"version,omitempty"` // 1 on create, +1 per saved edit
	CreatedAt         time.Time         `json:"created_at"`
	UpdatedAt         time.Time         `json:"updated_at"`
}

// Limits on work fields.
const (
	MaxTitleLen       = 200
	MaxSummaryLen     = 2000
	MaxBodyLen        = 100000
	MaxSlugLen        = 80
	MaxCoOrgs         = 20
	MaxContacts       = 10
	MaxTags           = 20 // methods, and themes, each
	MaxTagLen         = 80
	MaxLinks          = 30
	MaxLicenceLen     = 100
	MaxSourceLen      = 2000
	MaxAttachments    = 20
	MinHorizonYear    = 2000
	MaxHorizonYear    = 2200
	MinYear           = 1950
	MaxYear           = 2200
	MaxAttachmentSize = 100 << 20
	// MaxAttachmentBytes bounds a file an upload or an import attaches
	// now; MaxAttachmentSize is what a stored work may name.
	MaxAttachmentBytes = 25 << 20
)

var (
	slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	langRE = regexp.MustCompile(`^[a-z]{2,3}$`)
	hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// OrgIDs returns the owning organisation followed by the co-organisations.
func (w *Work) OrgIDs() []int64 {
	return append([]int64{w.OrganisationID}, w.CoOrganisationIDs...)
}

// Validate normalises w (trims, fills defaults, removes duplicates) and
// reports invalid fields by name, e.g. "title" or "links[2].url", each
// with a catalogue key. It checks the work alone; that organisations and
// contacts exist is the Service's business.
func (w *Work) Validate() error {
	f := errs.Fields{}
	w.Title = text(f, "title", w.Title, MaxTitleLen, true, "library.title_required", "library.title_too_long")
	w.Summary = strings.TrimSpace(w.Summary)
	if utf8.RuneCountInString(w.Summary) > MaxSummaryLen {
		f["summary"] = "library.summary_too_long"
	}
	if utf8.RuneCountInString(w.BodyMD) > MaxBodyLen {
		f["body"] = "library.body_too_long"
	} else if strings.ContainsRune(w.BodyMD, 0) {
		f["body"] = "error.invalid_chars"
	}
	derived := false
	if w.Slug = strings.TrimSpace(w.Slug); w.Slug == "" {
		w.Slug, derived = account.Slugify(w.Title), true
		if slices.Contains(ReservedSlugs, w.Slug) {
			w.Slug = numbered(w.Slug, 2) // a title "Ny" still gets a page
		}
	}
	switch {
	case derived && w.Slug == "" && f["title"] != "":
		// The address left empty, as the form asks, comes from the title,
		// whose own message says what is missing.
	case derived && w.Slug == "":
		f["slug"] = "library.slug_from_title"
	case !slugRE.MatchString(w.Slug) || len(w.Slug) > MaxSlugLen:
		f["slug"] = "library.slug_invalid"
	case slices.Contains(ReservedSlugs, w.Slug):
		f["slug"] = "library.slug_reserved"
	}
	if !slices.Contains(Types, w.Type) {
		f["type"] = "library.type_invalid"
	}
	if w.OrganisationID <= 0 {
		f["organisation"] = "library.organisation_required"
	}
	w.CoOrganisationIDs = ids(w.CoOrganisationIDs, w.OrganisationID)
	if len(w.CoOrganisationIDs) > MaxCoOrgs {
		f["co_organisations"] = "library.too_many"
	}
	w.ContactIDs = ids(w.ContactIDs, 0)
	if len(w.ContactIDs) > MaxContacts {
		f["contacts"] = "library.too_many"
	}
	if w.HorizonYear != 0 && (w.HorizonYear < MinHorizonYear || w.HorizonYear > MaxHorizonYear) {
		f["horizon_year"] = "library.horizon_year_invalid"
	}
	w.Methods = tags(f, "methods", w.Methods)
	w.Themes = tags(f, "themes", w.Themes)
	w.validateDate(f)
	if w.Language = strings.ToLower(strings.TrimSpace(w.Language)); w.Language == "" {
		w.Language = "sv"
	}
	if !langRE.MatchString(w.Language) {
		f["language"] = "library.language_invalid"
	}
	w.Source = strings.TrimSpace(w.Source)
	if utf8.RuneCountInString(w.Source) > MaxSourceLen {
		f["source"] = "error.too_long"
	} else if strings.ContainsRune(w.Source, 0) {
		f["source"] = "error.invalid_chars"
	}
	// A work from a cited source has the licence the source gives, and
	// none when it gives none: the default is for a user's own work.
	if w.Licence = strings.TrimSpace(w.Licence); w.Licence == "" && w.Source == "" {
		w.Licence = DefaultLicence
	}
	w.Licence = text(f, "licence", w.Licence, MaxLicenceLen, false, "", "error.too_long")
	w.validateLinks(f)
	if w.Visibility == "" {
		w.Visibility = Draft
	}
	if !slices.Contains(Visibilities, w.Visibility) {
		f["visibility"] = "library.visibility_invalid"
	}
	if w.Experience != nil {
		if w.Experience.validate(f); w.Experience.Empty() {
			w.Experience = nil
		}
	}
	w.validateAttachments(f)
	return f.Err()
}

func (w *Work) validateLinks(f errs.Fields) {
	if len(w.Links) > MaxLinks {
		f["links"] = "library.too_many"
		return
	}
	for i := range w.Links {
		l := &w.Links[i]
		key := "links[" + strconv.Itoa(i) + "]"
		if !slices.Contains(LinkKinds, l.Kind) {
			f[key+".kind"] = "library.link_kind_invalid"
		}
		if l.URL = strings.TrimSpace(l.URL); !account.ValidWebURL(l.URL) {
			f[key+".url"] = "library.link_url_invalid"
		}
		l.Title = text(f, key+".title", l.Title, MaxTitleLen, false, "", "error.too_long")
	}
}

func (w *Work) validateAttachments(f errs.Fields) {
	if len(w.Attachments) > MaxAttachments {
		f["attachments"] = "library.too_many"
		return
	}
	for i := range w.Attachments {
		a := &w.Attachments[i]
		key := "attachments[" + strconv.Itoa(i) + "]"
		if !hashRE.MatchString(a.Hash) || a.Size <= 0 || a.Size > MaxAttachmentSize || a.MediaType == "" {
			f[key] = "library.attachment_invalid"
		}
		a.Name = text(f, key+".name", a.Name, MaxTitleLen, true, "error.required", "error.too_long")
	}
	if w.CoverImage != "" && !hashRE.MatchString(w.CoverImage) {
		f["cover_image"] = "library.attachment_invalid"
	}
}

// text trims a one-line text field and checks its length and characters.
func text(f errs.Fields, field, s string, maxLen int, required bool, requiredKey, tooLongKey string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		f[field] = requiredKey
	case utf8.RuneCountInString(s) > maxLen:
		f[field] = tooLongKey
	case strings.ContainsAny(s, "\x00\r\n"):
		f[field] = "error.invalid_chars"
	}
	return s
}

// tags trims, drops empty and duplicate (case-insensitively) entries.
func tags(f errs.Fields, field string, in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range in {
		t = strings.Join(strings.Fields(t), " ")
		k := strings.ToLower(t)
		if t == "" || seen[k] {
			continue
		}
		seen[k] = true
		if utf8.RuneCountInString(t) > MaxTagLen || strings.ContainsRune(t, 0) {
			f[field] = "library.tag_invalid"
		}
		out = append(out, t)
	}
	if len(out) > MaxTags {
		f[field] = "library.too_many"
	}
	return out
}

// ids drops zero, negative and duplicate ids, and skip, keeping the order.
func ids(in []int64, skip int64) []int64 {
	var out []int64
	for _, id := range in {
		if id > 0 && id != skip && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// HasContent reports whether the work itself can be reached: a link or an
// attached file. The seeds name works without either ("Lyssna på den
// här"); such a work says so to everyone and asks its editors for it.
func (w *Work) HasContent() bool { return len(w.Links) > 0 || len(w.Attachments) > 0 }
