package workshop

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/ratelimit"
)

// Announcement is the wake-up of the other instances that a command's
// transaction sends (Store.ApplyDecided).
type Announcement struct{ Channel, Payload string }

// Store keeps workshops and their event logs. Each method is one
// transaction; a missing object is errs.NotFound.
type Store interface {
	// CreateWorkshop saves a new workshop with its first facilitator and
	// its first event (seq 1); a taken join code is errs.Conflict.
	CreateWorkshop(ctx context.Context, w *Workshop, host *Participant, ev *Event) error
	// DeleteWorkshop removes a workshop with all it holds; CreateSeeded
	// uses it to take back a workshop whose seeding failed half-way.
	DeleteWorkshop(ctx context.Context, id int64) error
	Workshop(ctx context.Context, id int64) (*Workshop, error)
	WorkshopByCode(ctx context.Context, code string) (*Workshop, error)
	// WorkshopsOf lists limit of the workshops a user takes part in,
	// newest first, from offset.
	WorkshopsOf(ctx context.Context, userID int64, offset, limit int) ([]Workshop, error)
	// ParticipantsByToken returns the guests holding any of the token
	// hashes (those that exist, in any order).
	ParticipantsByToken(ctx context.Context, tokenHashes []string) ([]*Participant, error)
	ParticipantByUser(ctx context.Context, workshopID, userID int64) (*Participant, error)
	Participant(ctx context.Context, workshopID, id int64) (*Participant, error)

	// Apply runs decide in one write transaction. It first locks the
	// workshop row and assigns the next sequence number, so events commit
	// in sequence order; then, when an event with clientID exists, it
	// returns that event with replayed true and changes nothing; else it
	// calls decide and saves its change and the event. by is the acting
	// participant (0 when joining); a clientID used by another
	// participant is errs.Conflict. reads names what decide reads first,
	// for a store to read it with the lock (see Reads).
	Apply(ctx context.Context, workshopID, by int64, clientID string, kind Kind, reads Reads, decide Decider) (ev *Event, replayed bool, err error)
	// ApplyDecided saves a command decided ahead (see ahead.go): ch and its
	// event ev, in one write transaction, when the workshop's last
	// sequence number is still ev.Seq-1, with the workshop row updated as
	// Apply's lock does. It first takes sp's token, when set: a refusal is
	// ErrRateLimited and changes nothing. done false: it saved nothing,
	// for whatever reason (the workshop moved on, the client id is a
	// resend's, the connection failed), and the caller is to Apply the
	// command, which tells those apart. an, when set, is sent in the
	// transaction, to be delivered with its commit and not without it:
	// only a PostgreSQL store is given one (a NOTIFY; its broker is a
	// live.Notifier).
	ApplyDecided(ctx context.Context, ev *Event, ch *Change, sp *Spend, an *Announcement) (done bool, err error)
	// Events returns up to limit events with seq > after, in order.
	Events(ctx context.Context, workshopID, after int64, limit int) ([]*Event, error)
	// EventsOfKind returns up to limit events of one kind, in order.
	EventsOfKind(ctx context.Context, workshopID int64, kind Kind, limit int) ([]*Event, error)
	// LastSeq returns the workshop's last sequence number.
	LastSeq(ctx context.Context, workshopID int64) (int64, error)
	// Board reads the whole board in one consistent snapshot, with every
	// participant's ratings and votes (the service redacts).
	Board(ctx context.Context, workshopID int64) (*Board, error)

	// PutProjectorLink makes tokenHash the workshop's projector link,
	// replacing the one it had; DeleteProjectorLink revokes it.
	PutProjectorLink(ctx context.Context, workshopID int64, tokenHash string, by int64, at time.Time) error
	DeleteProjectorLink(ctx context.Context, workshopID int64) error
	// ProjectorLink returns when the link was made, zero when none.
	ProjectorLink(ctx context.Context, workshopID int64) (time.Time, error)
	// WorkshopByProjectorToken returns the workshop of a link;
	// errs.NotFound when no link has the hash.
	WorkshopByProjectorToken(ctx context.Context, tokenHash string) (int64, error)
}

// Reads names the reads a command's decision starts with, so that a store
// can send them with the workshop's lock: on PostgreSQL in one round trip,
// instead of one per read while every other writer of the workshop waits
// for the lock. A read the decision makes that is not named is made when
// it asks, so naming too little is slower, never wrong.
type Reads struct {
	Participant int64 // the acting participant (View.Participant)
	Note        int64 // a note (View.Note)
	NoteCounts  bool  // Participant's notes and all notes
	RatingStats bool  // Note's ratings but Participant's
	Votes       bool  // Participant's votes
	VoteTotals  bool
	// Spend, when set, is a rate-limit token the store takes first, in the
	// same round trip (Service sets it when its limits are the store's
	// database's, see limitSpender). A refusal is ErrRateLimited and
	// changes nothing; a token taken stays spent whatever the command's
	// outcome, as when the service spends it before Apply.
	Spend *Spend
}

// Spend is a token of Rule's bucket, taken at At.
type Spend struct {
	Rule ratelimit.Rule
	At   time.Time
}
