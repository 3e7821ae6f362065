package workshop

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Status is where a workshop is in its life.
type Status string

// The statuses: a draft is prepared by facilitators, an open workshop
// takes input, a closed one takes none until reopened.
const (
	StatusDraft  Status = "draft"
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
)

// Workshop is one run of a method with one group of people.
type Workshop struct {
	ID             int64     `json:"id"`
	OrganisationID int64     `json:"-"` // 0: no organisation
	Title          string    `json:"title"`
	FocalQuestion  string    `json:"question"`
	HorizonYear    int       `json:"horizon"`
	Code           string    `json:"code"`
	Template       string    `json:"template"`
	Stage          int       `json:"stage"` // index into the template's stages
	StageLocked    bool      `json:"locked"`
	StageEndsAt    time.Time `json:"ends_at,omitzero"` // a visible countdown; zero for none
	Revealed       bool      `json:"revealed"`         // ratings and votes shown to everyone
	Apart          bool      `json:"apart"`            // groups work apart (see Viewer)
	// FacilitatorsCluster keeps clustering to facilitators (else everyone).
	FacilitatorsCluster bool `json:"cluster_facilitators"`
	// RejectedProposals are the keys (ProposalKey) of the proposed
	// clusters a facilitator rejected, the newest last.
	RejectedProposals []string  `json:"rejected_proposals,omitempty"`
	DotBudget         int       `json:"budget"`
	Status            Status    `json:"status"`
	CreatedBy         int64     `json:"-"`   // user id
	Seq               int64     `json:"seq"` // the last event's sequence number
	CreatedAt         time.Time `json:"-"`
	UpdatedAt         time.Time `json:"-"`
}

// Limits on a workshop's content.
const (
	DefaultDotBudget  = 3
	MaxDotBudget      = 20
	MaxNotesPerPerson = 200
	MaxNotes          = 3000
	MaxBackcast       = 500
	MaxGroups         = 40
	MaxParticipants   = 1000
	MaxStageSeconds   = 4 * 3600
)

// CodeAlphabet has no look-alikes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.
const CodeAlphabet = "ACDEFHJKMNPQRTWXY34679"

// CodeLength is the length of a join code: 22^6 ≈ 1.1e8 codes.
const CodeLength = 6

// NewCode returns a random join code.
func NewCode() string {
	b := make([]byte, CodeLength)
	_, _ = rand.Read(b)
	for i := range b {
		// 256 is not a multiple of 22; the bias (≤ 1/11) does not matter
		// for a code guarded by a rate limit and a unique index.
		b[i] = CodeAlphabet[int(b[i])%len(CodeAlphabet)]
	}
	return string(b)
}

// NormalizeCode turns typed input into a code, or "" when it cannot be one:
// case and spaces are ignored, and O, I, L, S, Z, B, G, U typed by mistake
// do not match anything anyway.
func NormalizeCode(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != CodeLength {
		return ""
	}
	for _, r := range s {
		if !strings.ContainsRune(CodeAlphabet, r) {
			return ""
		}
	}
	return s
}

// NewToken returns a guest's secret: 128 random bits, URL-safe.
func NewToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how a token is stored: a database leak gives no way in.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Role is a participant's part in a workshop.
type Role string

// The roles.
const (
	RoleParticipant Role = "participant"
	RoleFacilitator Role = "facilitator"
)

// Participant is one person in one workshop: a guest with a nickname and
// a token, or a signed-in user. IDs are per workshop: the sequence number
// of the event that added them.
type Participant struct {
	ID         int64     `json:"id"`
	WorkshopID int64     `json:"-"`
	UserID     int64     `json:"-"` // 0 for a guest; never shown to guests
	Nickname   string    `json:"nickname"`
	Role       Role      `json:"role"`
	GroupID    int64     `json:"group"`
	Removed    bool      `json:"removed"`
	JoinedAt   time.Time `json:"-"`
	TokenHash  string    `json:"-"`
	key        string
}

// Facilitator reports whether p runs the workshop.
func (p *Participant) Facilitator() bool { return p != nil && p.Role == RoleFacilitator && !p.Removed }

// Key returns the look-alike key of the nickname.
func (p *Participant) Key() string {
	if p.key == "" {
		p.key = NicknameKey(p.Nickname)
	}
	return p.key
}

// Group is a small group working in its own space; Quadrant (1–4) gives it
// one scenario of the cross to write.
type Group struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Quadrant int    `json:"quadrant"`
}

// STEEP tags for drivers.
var STEEP = []string{"social", "technological", "economic", "environmental", "political", "values"}

func validSTEEP(s string) bool {
	if s == "" {
		return true
	}
	for _, t := range STEEP {
		if s == t {
			return true
		}
	}
	return false
}

// Note is a driver (or any card) on the board. A note merged into a
// cluster points at the cluster's first note, which holds the name.
type Note struct {
	ID            int64     `json:"id"`
	ParticipantID int64     `json:"by"`
	GroupID       int64     `json:"group"`
	STEEP         string    `json:"steep"`
	Text          string    `json:"text"`
	ClusterID     int64     `json:"cluster"`
	ClusterName   string    `json:"cluster_name"`
	Removed       bool      `json:"removed"`
	CreatedAt     time.Time `json:"at"`
}

// Rating is one participant's rating of one note.
type Rating struct {
	NoteID        int64 `json:"note"`
	ParticipantID int64 `json:"by"`
	Impact        int   `json:"impact"`
	Uncertainty   int   `json:"uncertainty"`
}

// RatingStats aggregates the ratings of one note.
type RatingStats struct {
	NoteID         int64 `json:"note"`
	N              int   `json:"n"`
	ImpactSum      int   `json:"impact_sum"`
	UncertaintySum int   `json:"uncertainty_sum"`
}

// Vote is the dots one participant put on one scenario (quadrant).
type Vote struct {
	ParticipantID int64 `json:"by"`
	Quadrant      int   `json:"quadrant"`
	Dots          int   `json:"dots"`
}

// VoteTotal is the dots on one quadrant.
type VoteTotal struct {
	Quadrant int `json:"quadrant"`
	Dots     int `json:"dots"`
}

// Axis is one axis of the 2×2 cross: "x" or "y", the uncertainty it
// comes from (a note, optional) and the names of its poles.
type Axis struct {
	Name   string `json:"axis"`
	NoteID int64  `json:"note"`
	Label  string `json:"label"`
	Low    string `json:"low"`
	High   string `json:"high"`
}

// Scenario is one quadrant of the cross: 1 is x high and y high, then
// counter-clockwise (2 x low y high, 3 both low, 4 x high y low).
type Scenario struct {
	Quadrant  int    `json:"quadrant"`
	Name      string `json:"name"`
	Story     string `json:"story"`
	Life      string `json:"life"`
	Signs     string `json:"signs"`
	UpdatedBy int64  `json:"by"`
}

// Backcast item kinds.
const (
	Milestone = "milestone"
	Action    = "action"
)

// BackcastItem is a milestone on the way from the preferred future back
// to today, or an action under a milestone, with an owner.
type BackcastItem struct {
	ID            int64  `json:"id"`
	Kind          string `json:"kind"`
	ParentID      int64  `json:"parent"`
	Year          int    `json:"year"`
	Text          string `json:"text"`
	Owner         string `json:"owner"`
	ParticipantID int64  `json:"by"`
	Removed       bool   `json:"removed"`
}

// Board is a workshop's whole state at one sequence number.
type Board struct {
	Workshop     Workshop       `json:"workshop"`
	Template     *Template      `json:"template"`
	Participants []Participant  `json:"participants"`
	Groups       []Group        `json:"groups"`
	Notes        []Note         `json:"notes"`
	Ratings      []Rating       `json:"ratings"` // the viewer's own, unless facilitator
	Stats        []RatingStats  `json:"stats"`   // when revealed, or to facilitators
	Votes        []Vote         `json:"votes"`   // the viewer's own
	Totals       []VoteTotal    `json:"totals"`  // when revealed, or to facilitators
	Axes         []Axis         `json:"axes"`
	Scenarios    []Scenario     `json:"scenarios"`
	Backcast     []BackcastItem `json:"backcast"`
	Me           int64          `json:"me"` // the viewer's participant id
}

// GuestCookie names the cookie that holds a guest's token for one
// workshop; the board, the API and the load command all read it.
func GuestCookie(workshopID int64) string { return "framsyn_ws_" + strconv.FormatInt(workshopID, 10) }

// GuestCookieName is the guest cookie's name as set and read: under https
// with the __Host- prefix, which binds it to this host and path / and
// requires Secure, so a neighbouring subdomain cannot plant one.
func GuestCookieName(workshopID int64, secure bool) string {
	if secure {
		return "__Host-" + GuestCookie(workshopID)
	}
	return GuestCookie(workshopID)
}
