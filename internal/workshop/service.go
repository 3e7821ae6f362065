package workshop

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/ratelimit"
)

// Service is the workshop domain: creating and joining workshops,
// deciding commands, reading boards, and following events. The pages,
// the JSON API and the bench call the same methods.
type Service struct {
	store  Store
	broker live.Broker
	relay  *live.Relay[*Event]
	log    *slog.Logger
	now    func() time.Time
	limits ratelimit.Limiter
	// spendInApply: a command's token is taken in the store's Apply
	// (Reads.Spend), not by limits first (SetLimiter).
	spendInApply bool
	// observe, when set, sees each newly committed event first.
	observe func(*Event)
	boards  boardCache // the last board read of each workshop (boardcache.go)
	senders senders    // the guests SenderOf remembers (sender.go)
	tokens  tokenReads // guests' token lookups, gathered (tokens.go)
	// aheadN and lockedN count the commands saved decided ahead and
	// decided under the lock (Decided).
	aheadN, lockedN atomic.Int64
}

// Decided counts the commands this instance saved since it started: those
// decided ahead, against its board, and those decided under the
// workshop's lock (ahead.go); for metrics and the load bench.
func (s *Service) Decided() (ahead, locked int64) { return s.aheadN.Load(), s.lockedN.Load() }

// StreamBuffer is how many events a stream may lag before it is dropped.
const StreamBuffer = 256

// NewService returns a Service over store; broker carries wake-ups
// between instances (a live.Hub for one instance when nil).
func NewService(store Store, broker live.Broker, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	if broker == nil {
		broker = live.NewHub(64)
	}
	s := &Service{store: store, broker: broker, log: log, now: time.Now, limits: ratelimit.NewMemory()}
	s.relay = live.NewRelay[*Event](eventLog{store: store, boards: &s.boards}, broker, log, StreamBuffer)
	s.tokens.read = store.ParticipantsByToken
	return s
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Observe sets fn to be called with each newly committed event, before it
// is handed to the streams: the instant a command was accepted, for the
// load bench and metrics. Set it before the service is used.
func (s *Service) Observe(fn func(*Event)) { s.observe = fn }

// CloseStreams ends every open stream on this instance and refuses to
// follow any more (see live.Relay.Close); for a graceful shutdown.
func (s *Service) CloseStreams() { s.relay.Close() }

// Relay returns the service's relay.
func (s *Service) Relay() *live.Relay[*Event] { return s.relay }

// Create makes a workshop facilitated by a, in draft, with a join code.
// It returns Unauthorized for the public, Forbidden when a names an
// organisation they are not a member of, and Invalid for bad fields.
func (s *Service) Create(ctx context.Context, a *account.Actor, in Workshop) (*Workshop, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	now := s.now().UTC()
	f := errs.Fields{}
	w := &Workshop{OrganisationID: in.OrganisationID, HorizonYear: in.HorizonYear, Template: in.Template,
		DotBudget: in.DotBudget, Status: StatusDraft, CreatedBy: a.UserID(), Seq: 1, CreatedAt: now, UpdatedAt: now}
	var err error
	if w.Title, err = cleanText("title", in.Title, MaxTitle, false, false); err != nil {
		f["title"] = errs.As(err).Key
	}
	if w.FocalQuestion, err = cleanText("question", in.FocalQuestion, MaxQuestion, true, false); err != nil {
		f["question"] = errs.As(err).Key
	}
	if horizon(w.HorizonYear, now) != nil {
		f["horizon"] = "workshop.horizon_range"
	}
	if w.Template == "" {
		w.Template = DefaultTemplate
	}
	if _, ok := Templates[w.Template]; !ok {
		f["template"] = "workshop.template_unknown"
	}
	if w.DotBudget == 0 {
		w.DotBudget = DefaultDotBudget
	}
	if w.DotBudget < 1 || w.DotBudget > MaxDotBudget {
		f["budget"] = "workshop.budget_range"
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if w.OrganisationID != 0 && !a.HasRole(w.OrganisationID, account.RoleMember) {
		return nil, errs.E(errs.Forbidden, "workshop.org_forbidden")
	}
	host := &Participant{ID: 1, UserID: a.UserID(), Nickname: uniqueName(a.User.Name, nil), Role: RoleFacilitator, JoinedAt: now}
	for i := 0; ; i++ {
		w.Code = NewCode()
		err := s.store.CreateWorkshop(ctx, w, host, &Event{Seq: 1, Kind: WorkshopCreate, ParticipantID: 1,
			ClientID: "create-" + strconv.FormatInt(now.UnixNano(), 36), At: now})
		if errs.Is(err, errs.Conflict) && i < 10 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return w, nil
	}
}

// Copy makes a new draft workshop with the question, horizon, template
// and budget of one p facilitates, for running it again with another group.
func (s *Service) Copy(ctx context.Context, a *account.Actor, p *Participant) (*Workshop, error) {
	if !p.Facilitator() {
		return nil, errFacilitatorOnly
	}
	w, err := s.store.Workshop(ctx, p.WorkshopID)
	if err != nil {
		return nil, err
	}
	return s.Create(ctx, a, Workshop{OrganisationID: w.OrganisationID, Title: w.Title, FocalQuestion: w.FocalQuestion,
		HorizonYear: w.HorizonYear, Template: w.Template, DotBudget: w.DotBudget})
}

// Workshops lists limit of the workshops a takes part in, newest first,
// from offset.
func (s *Service) Workshops(ctx context.Context, a *account.Actor, offset, limit int) ([]Workshop, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.store.WorkshopsOf(ctx, a.UserID(), max(offset, 0), max(limit, 1))
}

// ByCode finds an open workshop by join code. Unknown codes count
// against client (an address), so codes cannot be guessed quickly.
func (s *Service) ByCode(ctx context.Context, code, client string) (*Workshop, error) {
	c := NormalizeCode(code)
	var w *Workshop
	err := errs.Error{Kind: errs.NotFound, Key: "workshop.code_unknown"}
	if c != "" {
		var gerr error
		if w, gerr = s.store.WorkshopByCode(ctx, c); gerr != nil && !errs.Is(gerr, errs.NotFound) {
			return nil, gerr
		}
	}
	if w == nil {
		ok, lerr := s.allow(ctx, "code:"+client, badCodeEvery, badCodeBurst)
		if lerr != nil {
			return nil, lerr
		}
		if !ok {
			s.log.Warn("workshop: join codes rate limited", "client", client)
			return nil, errs.E(errs.TooMany, "workshop.code_rate_limited")
		}
		return nil, &err
	}
	return w, nil
}

// Join adds a to the workshop with the code: a user as themselves, the
// public as a guest with nickname. It returns the participant and, for a
// new guest, the token to keep (in a cookie and a rejoin link). A user
// already in the workshop gets their participant back. clientID makes a
// resent join harmless; a resent guest join returns the participant with
// an empty token.
func (s *Service) Join(ctx context.Context, a *account.Actor, code, nickname, clientID, client string) (*Participant, string, error) {
	w, err := s.ByCode(ctx, code, client)
	if err != nil {
		return nil, "", err
	}
	if !validClientID(clientID) {
		return nil, "", errs.E(errs.Invalid, "workshop.client_id_invalid")
	}
	ok, err := s.allow(ctx, "join:"+client, joinEvery, joinBurst)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		s.log.Warn("workshop: joins rate limited", "client", client)
		return nil, "", errs.E(errs.TooMany, "workshop.join_rate_limited")
	}
	cmd := Command{ClientID: clientID, Kind: Join, Name: nickname}
	var token string
	if a.SignedIn() {
		if p, err := s.store.ParticipantByUser(ctx, w.ID, a.UserID()); err == nil {
			if p.Removed {
				return nil, "", errRemoved
			}
			return p, "", nil
		}
		cmd.user, cmd.Name = a.UserID(), a.User.Name
	} else {
		token = NewToken()
		cmd.tokenHash = HashToken(token)
	}
	ev, replayed, err := s.apply(ctx, w.ID, 0, clientID, Join, Reads{}, decide(cmd, 0, s.now()))
	if err != nil {
		return nil, "", err
	}
	if replayed {
		token = ""
	} else {
		s.published(ctx, ev)
	}
	p, err := s.store.Participant(ctx, w.ID, ev.ParticipantID)
	if err != nil {
		return nil, "", err
	}
	if token != "" {
		// A new guest's first command follows at once: SenderOf need
		// not read the token back.
		s.senders.remember(cmd.tokenHash, p)
	}
	return p, token, nil
}

// ParticipantOf returns who makes a request in the workshop: the guest
// whose token the request's cookie for it (GuestCookie) holds, or the
// signed-in user, as Participant. cookie reads one of the request's
// cookies by name, "" when it has none; the board and the API pass theirs.
// secure says the site is served over https, where the cookie carries the
// __Host- prefix (GuestCookieName) and one without it is not read.
func (s *Service) ParticipantOf(ctx context.Context, a *account.Actor, workshopID int64, cookie func(name string) string, secure bool) (*Participant, error) {
	return s.Participant(ctx, a, workshopID, cookie(GuestCookieName(workshopID, secure)))
}

// Participant returns who a is in the workshop: the guest whose token
// this is, or the signed-in user. A removed participant is Forbidden
// (workshop.removed); someone who has not joined is Forbidden
// (workshop.not_joined).
func (s *Service) Participant(ctx context.Context, a *account.Actor, workshopID int64, token string) (*Participant, error) {
	if token != "" {
		p, err := s.tokens.get(ctx, HashToken(token))
		switch {
		case err == nil && p.WorkshopID == workshopID:
			if p.Removed {
				return nil, errRemoved
			}
			return p, nil
		case err != nil && !errs.Is(err, errs.NotFound):
			return nil, err
		}
	}
	if a.SignedIn() {
		p, err := s.store.ParticipantByUser(ctx, workshopID, a.UserID())
		switch {
		case err == nil:
			if p.Removed {
				return nil, errRemoved
			}
			return p, nil
		case !errs.Is(err, errs.NotFound):
			return nil, err
		}
	}
	return nil, errNotJoined
}

// Do applies one command of p. It returns the stored event; a resend of a
// command already stored returns the first event and changes nothing.
// Refusals are errs kinds with i18n keys: Invalid for bad input,
// Forbidden for the wrong person, Conflict for the wrong moment (closed,
// locked, wrong stage, budget spent), TooMany past the rate limit.
func (s *Service) Do(ctx context.Context, p *Participant, cmd Command) (*Event, error) {
	if !validClientID(cmd.ClientID) {
		return nil, errs.E(errs.Invalid, "workshop.client_id_invalid")
	}
	if cmd.Kind == Undo {
		return s.Undo(ctx, p, cmd.ClientID)
	}
	if !Known(cmd.Kind) {
		return nil, errUnknownKind
	}
	cmd.user, cmd.tokenHash = 0, ""
	return s.do(ctx, p, cmd)
}

// AddFacilitator makes a user a co-facilitator of p's workshop.
func (s *Service) AddFacilitator(ctx context.Context, p *Participant, clientID string, u *account.User) (*Event, error) {
	if !validClientID(clientID) {
		return nil, errs.E(errs.Invalid, "workshop.client_id_invalid")
	}
	return s.do(ctx, p, Command{ClientID: clientID, Kind: FacilitatorAdd, user: u.ID, Name: u.Name})
}

func (s *Service) do(ctx context.Context, p *Participant, cmd Command) (*Event, error) {
	every, burst := participantEvery, participantBurst
	if p.Facilitator() {
		every, burst = facilitatorEvery, facilitatorBurst
	}
	key := "cmd:" + strconv.FormatInt(p.WorkshopID, 10) + ":" + strconv.FormatInt(p.ID, 10)
	reads, lim := readsOf(cmd, p.ID), rule(key, every, burst)
	if s.spendInApply {
		reads.Spend = &Spend{Rule: lim, At: s.now()}
	} else if ok, err := s.limits.Allow(ctx, s.now(), lim); err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrRateLimited
	}
	if ev, done, err := s.ahead(ctx, p, cmd, reads.Spend); err != nil {
		return nil, err
	} else if done {
		s.published(ctx, ev)
		return ev, nil
	}
	apply := func() (*Event, bool, error) {
		return s.apply(ctx, p.WorkshopID, p.ID, cmd.ClientID, cmd.Kind, reads, decide(cmd, p.ID, s.now()))
	}
	ev, replayed, err := apply()
	for i := 0; cmd.Kind == CodeNew && i < 10 && err != nil && errs.As(err).Key == "workshop.code_taken"; i++ {
		// The new code is another workshop's: draw again (the token is
		// spent).
		reads.Spend = nil
		ev, replayed, err = apply()
	}
	if err != nil {
		s.senders.forget(p, err)
		return nil, err
	}
	if !replayed {
		s.published(ctx, ev)
	}
	return ev, nil
}

// apply is Store.Apply, folding the change it commits into the
// workshop's board.
func (s *Service) apply(ctx context.Context, wid, by int64, clientID string, kind Kind, reads Reads, decide Decider) (*Event, bool, error) {
	var ch *Change
	ev, replayed, err := s.store.Apply(ctx, wid, by, clientID, kind, reads, func(v View) (*Change, error) {
		c, err := decide(v)
		ch = c
		return c, err
	})
	if err == nil && !replayed {
		s.lockedN.Add(1)
		s.boards.fold(ev, ch)
	}
	return ev, replayed, err
}

// ahead decides cmd against the workshop's board as this instance knows
// it and saves it in one round trip when the workshop has not moved on
// (see ahead.go). done false: nothing was saved, and the command is to be
// decided under the lock. sp is the command's rate-limit token, when the
// store takes it; a refusal of the bucket is the answer.
func (s *Service) ahead(ctx context.Context, p *Participant, cmd Command, sp *Spend) (*Event, bool, error) {
	now := s.now()
	b, reload := s.boards.latest(p.WorkshopID, now)
	if reload {
		if _, err := s.loadBoard(ctx, p.WorkshopID); err != nil {
			return nil, false, nil // the command under the lock says what is wrong
		}
		b, _ = s.boards.latest(p.WorkshopID, now)
	}
	if b == nil {
		return nil, false, nil
	}
	ch, err := decide(cmd, p.ID, now)(BoardView(b, now))
	if err != nil {
		// A refusal is made under the lock, where a resend of an accepted
		// command is told apart from it.
		return nil, false, nil
	}
	ev, err := NewEvent(p.WorkshopID, b.Workshop.Seq+1, cmd.Kind, p.ID, cmd.ClientID, now, ch)
	if err != nil {
		return nil, false, nil
	}
	an := s.announcement(ev)
	switch done, err := s.store.ApplyDecided(ctx, ev, ch, sp, an); {
	case err != nil:
		return nil, false, err
	case !done:
		s.boards.drop(p.WorkshopID, b.Workshop.Seq)
		return nil, false, nil
	}
	s.aheadN.Add(1)
	s.boards.fold(ev, ch)
	ev.announced = an != nil
	return ev, true, nil
}

// announcer is a broker whose wake-up of the other instances can go with
// the commit of an event (live.Notifier: a NOTIFY in the transaction),
// sparing a round trip of its own after it.
type announcer interface {
	Announcement(t live.Topic, seq int64) (channel, payload string)
}

// announcement is the wake-up to send with ev's commit, nil when the
// broker has none.
func (s *Service) announcement(ev *Event) *Announcement {
	a, ok := s.broker.(announcer)
	if !ok {
		return nil
	}
	c, p := a.Announcement(Topic(ev.WorkshopID), ev.Seq)
	return &Announcement{Channel: c, Payload: p}
}

// published hands a committed event to local streams and wakes the
// other instances, unless its commit did (announced). The relay's Offer
// is this instance's wake-up: its feed of the topic is the only local
// subscriber.
func (s *Service) published(ctx context.Context, ev *Event) {
	if s.observe != nil {
		s.observe(ev)
	}
	ev.prepare()
	s.relay.Offer(Topic(ev.WorkshopID), ev)
	if ev.announced {
		return
	}
	if err := s.broker.Publish(context.WithoutCancel(ctx), Topic(ev.WorkshopID), ev.Seq); err != nil {
		// Not fatal: other instances' periodic check finds the event.
		s.log.Warn("workshop: publish", "workshop", ev.WorkshopID, "seq", ev.Seq, "err", err)
	}
}

// Board returns the workshop's state as p may see it: their own ratings
// and votes, and the aggregates when revealed or to facilitators.
func (s *Service) Board(ctx context.Context, p *Participant) (*Board, error) {
	b, err := s.rawBoard(ctx, p.WorkshopID)
	if err != nil {
		return nil, err
	}
	b.Template = TemplateOf(b.Workshop.Template)
	b.Me = p.ID
	see := p.Facilitator() || b.Workshop.Revealed
	b.Stats, b.Totals = aggregate(b.Ratings), voteTotals(b.Votes)
	b.Ratings = filter(b.Ratings, func(r *Rating) bool { return r.ParticipantID == p.ID })
	b.Votes = filter(b.Votes, func(v *Vote) bool { return v.ParticipantID == p.ID })
	if !see {
		b.Stats, b.Totals = []RatingStats{}, []VoteTotal{}
	}
	viewer(p, b).filter(b)
	return b, nil
}

func aggregate(rs []Rating) []RatingStats {
	idx := map[int64]int{}
	out := []RatingStats{}
	for _, r := range rs {
		i, ok := idx[r.NoteID]
		if !ok {
			i = len(out)
			idx[r.NoteID] = i
			out = append(out, RatingStats{NoteID: r.NoteID})
		}
		out[i].N++
		out[i].ImpactSum += r.Impact
		out[i].UncertaintySum += r.Uncertainty
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Events returns up to limit of the workshop's events after seq; p must
// be in the workshop (the caller checked).
func (s *Service) Events(ctx context.Context, p *Participant, after int64, limit int) ([]*Event, error) {
	if after < 0 {
		after = 0
	}
	return s.store.Events(ctx, p.WorkshopID, after, limit)
}

// LastSeq returns the sequence number of p's workshop's last event.
func (s *Service) LastSeq(ctx context.Context, p *Participant) (int64, error) {
	return s.store.LastSeq(ctx, p.WorkshopID)
}

// Watch starts following p's workshop (see live.Relay.Watch); a
// live.Stream of it replays from the log.
func (s *Service) Watch(ctx context.Context, p *Participant) (*live.Watch[*Event], error) {
	return s.relay.Watch(ctx, Topic(p.WorkshopID))
}

// Recheck reports whether p may still follow the workshop, reading their
// row again (a removal on another instance arrives as an event too).
func (s *Service) Recheck(ctx context.Context, p *Participant) error {
	q, err := s.store.Participant(ctx, p.WorkshopID, p.ID)
	if err != nil {
		return err
	}
	if q.Removed {
		return errRemoved
	}
	return nil
}

// Removes reports whether the event removes participant id.
func (e *Event) Removes(id int64) bool {
	if e.Kind != ParticipantRemove {
		return false
	}
	var d struct {
		Participants []Participant `json:"participants"`
	}
	if json.Unmarshal(e.Full, &d) != nil {
		return false
	}
	for _, p := range d.Participants {
		if p.ID == id && p.Removed {
			return true
		}
	}
	return false
}
