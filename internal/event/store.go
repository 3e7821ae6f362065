package event

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/search"
)

// Store keeps events. Methods return an errs.NotFound error for a missing
// event; each method is one transaction, and every write of an event
// updates its search document in that same transaction.
type Store interface {
	// CreateEvent inserts e with its organiser as a confirmed host, the
	// co-hosts as invited (unconfirmed) and its links; sets e.ID.
	CreateEvent(ctx context.Context, e *Event, coHosts []int64) error
	// UpdateEvent saves e's fields and links.
	UpdateEvent(ctx context.Context, e *Event) error
	// DeleteEvent removes an event with its hosts, registrations and document.
	DeleteEvent(ctx context.Context, id int64) error
	// Event returns an event with its hosts, links and counts.
	Event(ctx context.Context, id int64) (*Event, error)
	// EventsByID returns the events that exist among ids, in the order of ids.
	EventsByID(ctx context.Context, ids []int64) ([]Event, error)
	// ListEvents returns the events q.Viewer may see that match q.
	ListEvents(ctx context.Context, q ListQuery) ([]Event, error)
	// InviteHost adds orgID as an unconfirmed co-host; Conflict if it is one.
	InviteHost(ctx context.Context, eventID, orgID int64) error
	// ConfirmHost confirms orgID's invitation; NotFound without one.
	ConfirmHost(ctx context.Context, eventID, orgID int64) error
	// RemoveHost removes a co-host (confirmed or not); NotFound if none.
	RemoveHost(ctx context.Context, eventID, orgID int64) error
	// Register registers userID: confirmed while places remain, else on
	// the waiting list, decided under a lock on the event so two at once
	// cannot both take the last place. Conflict if already registered.
	Register(ctx context.Context, eventID, userID int64, now time.Time) (*Registration, error)
	// Cancel removes userID's registration and, when that freed a place,
	// confirms the first on the waiting list in the same transaction,
	// returning them (nil when nobody moved up). NotFound if not registered.
	Cancel(ctx context.Context, eventID, userID int64) (*Registration, error)
	// Registration returns userID's registration; NotFound if none.
	Registration(ctx context.Context, eventID, userID int64) (*Registration, error)
	// Registrations lists an event's registrations, confirmed first, each
	// in order of registering, at most limit.
	Registrations(ctx context.Context, eventID int64, limit int) ([]Registration, error)
}

// ListQuery selects events, visibility included.
type ListQuery struct {
	Viewer         search.Viewer
	OrganisationID int64     // 0: all; else events it hosts (organiser or confirmed co-host)
	From, To       time.Time // events overlapping [From, To) (zero: open)
	Past           bool      // newest first (for ended events); else soonest first
	Calendar       bool      // only events with a known day (Precision Exact)
	AfterStart     time.Time // cursor: after (or, Past, before) this start …
	AfterID        int64     // … or at it past this id
	Limit          int
}

// Status is a registration's place.
type Status string

// The statuses.
const (
	Confirmed Status = "confirmed"
	Waiting   Status = "waiting"
)

// Registration is one user's registration for an event.
type Registration struct {
	EventID      int64
	UserID       int64
	UserName     string
	UserEmail    string
	UserLanguage string // the language the user chose for the site ("" until they do): their mails'
	Status       Status
	Position     int // place on the waiting list, from 1 (0 when confirmed)
	CreatedAt    time.Time
}
