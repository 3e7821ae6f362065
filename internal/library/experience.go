package library

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
)

// ExperienceReport is a work's structured account of how it was done
// ("Så här gjorde vi"), so others can borrow the way of working.
type ExperienceReport struct {
	Purpose      string   `json:"purpose,omitempty"`
	Participants string   `json:"participants,omitempty"` // who took part
	Count        int      `json:"participant_count,omitempty"`
	Steps        []string `json:"steps,omitempty"`     // method steps, in order
	TimeUsed     string   `json:"time_used,omitempty"` // e.g. "två halvdagar"
	Worked       string   `json:"worked,omitempty"`    // what worked
	Change       string   `json:"change,omitempty"`    // what we would change
	AskWhom      string   `json:"ask_whom,omitempty"`  // whom to ask
}

// Limits on experience reports.
const (
	MaxReportTextLen = 5000
	MaxSteps         = 30
	MaxStepLen       = 1000
	MaxShortLen      = 200
	MaxParticipants  = 100000
)

// Empty reports whether nothing is filled in.
func (r *ExperienceReport) Empty() bool {
	return r.Purpose == "" && r.Participants == "" && r.Count == 0 && len(r.Steps) == 0 &&
		r.TimeUsed == "" && r.Worked == "" && r.Change == "" && r.AskWhom == ""
}

// validate normalises r into f under "experience.<field>".
func (r *ExperienceReport) validate(f errs.Fields) {
	long := func(field string, s string) string {
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) > MaxReportTextLen {
			f["experience."+field] = "library.report_text_too_long"
		} else if strings.ContainsRune(s, 0) {
			f["experience."+field] = "error.invalid_chars"
		}
		return s
	}
	r.Purpose = long("purpose", r.Purpose)
	r.Participants = long("participants", r.Participants)
	r.Worked = long("worked", r.Worked)
	r.Change = long("change", r.Change)
	r.AskWhom = long("ask_whom", r.AskWhom)
	r.TimeUsed = text(f, "experience.time_used", r.TimeUsed, MaxShortLen, false, "", "error.too_long")
	if r.Count < 0 || r.Count > MaxParticipants {
		f["experience.participant_count"] = "library.participant_count_invalid"
	}
	var steps []string
	for i, s := range r.Steps {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if utf8.RuneCountInString(s) > MaxStepLen || strings.ContainsRune(s, 0) {
			f["experience.steps["+strconv.Itoa(i)+"]"] = "library.report_text_too_long"
		}
		steps = append(steps, s)
	}
	r.Steps = steps
	if len(r.Steps) > MaxSteps {
		f["experience.steps"] = "library.too_many"
	}
}

// text returns the report as plain text, for the search index.
func (r *ExperienceReport) text() string {
	parts := []string{r.Purpose, r.Participants}
	parts = append(parts, r.Steps...)
	parts = append(parts, r.TimeUsed, r.Worked, r.Change, r.AskWhom)
	var b strings.Builder
	for _, p := range parts {
		if p != "" {
			b.WriteString(p)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
