// Package facilitator is the network's directory of process leaders
// ("processledare") who lend themselves to other organisations: a member
// offers themselves, others search by method and region and send a
// request, the facilitator accepts, declines or proposes another date,
// and both organisations see the history.
package facilitator

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// Kind is the search document kind of facilitators.
const Kind = "facilitator"

// Methods are the methods a facilitator can lead, the method guides'
// names (catalogue keys "method.<name>").
var Methods = []string{"scenario_cross", "backcasting", "megatrends", "design_fiction", "weak_signals", "trend_workshop", "futures_wheel"}

// Languages a facilitator can lead in (catalogue keys "language.<code>").
var Languages = []string{"sv", "en", "fi", "se"}

// Limits.
const (
	MaxTextLen = 4000
	MaxNoteLen = 2000
)

var lanRE = regexp.MustCompile(`^[0-9]{2}$`)

// Profile is one user's offer to lead for others.
type Profile struct {
	UserID         int64
	OrganisationID int64 // the organisation they lead for (a membership)
	Methods        []string
	Languages      []string
	Regions        []string // län codes they travel to
	DigitalOnly    bool
	Availability   string
	About          string // Markdown
	Active         bool
	UpdatedAt      time.Time

	// Read when loaded.
	Name, OrgSlug, OrgName string
	Workshops              []WorkshopRef // framsyn workshops they led
}

// WorkshopRef is a workshop a facilitator led.
type WorkshopRef struct {
	ID    int64
	Title string
}

// Validate normalises p and reports invalid fields with catalogue keys.
func (p *Profile) Validate() error {
	f := errs.Fields{}
	p.Methods = known(p.Methods, Methods, f, "methods")
	p.Languages = known(p.Languages, Languages, f, "languages")
	if len(p.Methods) == 0 {
		f["methods"] = "facilitator.methods_required"
	}
	if len(p.Languages) == 0 {
		f["languages"] = "facilitator.languages_required"
	}
	var regions []string
	for _, r := range p.Regions {
		if r = strings.TrimSpace(r); !lanRE.MatchString(r) {
			f["regions"] = "facilitator.region_invalid"
		} else if !slices.Contains(regions, r) {
			regions = append(regions, r)
		}
	}
	slices.Sort(regions)
	p.Regions = regions
	if p.DigitalOnly {
		p.Regions = nil
	} else if len(p.Regions) == 0 {
		f["regions"] = "facilitator.regions_required"
	}
	p.Availability = strings.TrimSpace(p.Availability)
	p.About = strings.TrimSpace(strings.ReplaceAll(p.About, "\r\n", "\n"))
	if utf8.RuneCountInString(p.Availability) > MaxNoteLen {
		f["availability"] = "error.too_long"
	}
	if utf8.RuneCountInString(p.About) > MaxTextLen {
		f["about"] = "error.too_long"
	}
	if strings.ContainsRune(p.Availability+p.About, 0) {
		f["about"] = "error.invalid_chars"
	}
	if p.OrganisationID <= 0 {
		f["organisation"] = "facilitator.organisation_required"
	}
	return f.Err()
}

func known(in, allowed []string, f errs.Fields, field string) []string {
	var out []string
	for _, v := range in {
		if !slices.Contains(allowed, v) {
			f[field] = "facilitator.choice_invalid"
			continue
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Travels reports whether p can come to län code (or leads digitally).
func (p *Profile) Travels(lan string) bool { return p.DigitalOnly || slices.Contains(p.Regions, lan) }

// SearchDocument is the profile in the search index: for signed-in users.
func (p *Profile) SearchDocument() search.Document {
	tags := []string{}
	for _, m := range p.Methods {
		tags = append(tags, search.Tag("method", m))
	}
	for _, r := range p.Regions {
		tags = append(tags, search.Tag("lan", r))
	}
	if p.DigitalOnly {
		tags = append(tags, search.Tag("digital", "yes"))
	}
	return search.Document{Kind: Kind, ID: p.UserID, Scope: search.ScopeNetwork, Owner: p.OrganisationID, Orgs: []int64{p.OrganisationID},
		Title: p.Name + ", " + p.OrgName, Body: search.MarkdownText(p.About) + "\n" + p.Availability + "\n" + strings.Join(p.Methods, " "),
		Date: p.UpdatedAt, Tags: tags}
}

// Status is where a request stands.
type Status string

// The statuses. A request starts pending; the facilitator accepts,
// declines or proposes another date (the requester then accepts it or
// cancels); an accepted one is finished when done.
const (
	Pending  Status = "pending"
	Proposed Status = "proposed"
	Accepted Status = "accepted"
	Declined Status = "declined"
	Canceled Status = "cancelled"
	Done     Status = "done"
)

// Request asks a facilitator to lead something.
type Request struct {
	ID             int64
	FacilitatorID  int64 // user
	FacilitatorOrg int64
	RequesterID    int64 // user
	RequesterOrg   int64
	What           string
	When           time.Time // the day asked for (Stockholm midnight)
	ProposedWhen   time.Time // the day the facilitator proposed instead
	ForWhom        string
	Participants   int
	Status         Status
	WorkshopID     int64 // a finished assignment's workshop
	ReportWorkID   int64 // and its experience report (a library work)
	CreatedAt      time.Time
	UpdatedAt      time.Time

	// Read when loaded.
	FacilitatorName, FacilitatorOrgName string
	RequesterName, RequesterOrgName     string
	History                             []Step
}

// Step is one change of a request.
type Step struct {
	ActorName string
	Action    string // created, accept, decline, propose, accept_proposal, cancel, finish
	Note      string
	At        time.Time
}

// Validate checks a new request.
func (r *Request) Validate(now time.Time) error {
	f := errs.Fields{}
	r.What, r.ForWhom = strings.TrimSpace(r.What), strings.TrimSpace(r.ForWhom)
	if r.What == "" {
		f["what"] = "facilitator.what_required"
	} else if utf8.RuneCountInString(r.What) > MaxTextLen || strings.ContainsRune(r.What, 0) {
		f["what"] = "error.too_long"
	}
	if utf8.RuneCountInString(r.ForWhom) > MaxNoteLen || strings.ContainsRune(r.ForWhom, 0) {
		f["for_whom"] = "error.too_long"
	}
	if r.When.IsZero() {
		f["when"] = "facilitator.when_required"
	} else if r.When.Before(now.AddDate(0, 0, -1)) {
		f["when"] = "facilitator.when_past"
	}
	if r.Participants < 1 || r.Participants > 10000 {
		f["participants"] = "facilitator.participants_range"
	}
	if r.RequesterOrg <= 0 {
		f["organisation"] = "facilitator.organisation_required"
	}
	return f.Err()
}

// Actions a request takes.
const (
	ActAccept         = "accept"
	ActDecline        = "decline"
	ActPropose        = "propose"
	ActAcceptProposal = "accept_proposal"
	ActCancel         = "cancel"
	ActFinish         = "finish"
)
