package workshop

import (
	"context"
	"encoding/json"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/live"
)

// The projector link: the room's PC shows the projector view without a
// facilitator signed in on it. A facilitator makes the link (a random
// token, kept only as its hash, like a guest's) and can replace or
// revoke it. The token reads the projector view and its stream, nothing
// else: it is no participant, sends no command, reads no board.json, and
// its stream carries only each event's sequence number and kind (the
// view fetches what to draw). A revoked or replaced token is not found.

// NewProjectorLink makes a new projector link for p's workshop and
// returns its token; the workshop's old link stops working.
func (s *Service) NewProjectorLink(ctx context.Context, p *Participant) (string, error) {
	if !p.Facilitator() {
		return "", errFacilitatorOnly
	}
	token := NewToken()
	if err := s.store.PutProjectorLink(ctx, p.WorkshopID, HashToken(token), p.ID, s.now()); err != nil {
		return "", err
	}
	return token, nil
}

// RevokeProjectorLink ends p's workshop's projector link.
func (s *Service) RevokeProjectorLink(ctx context.Context, p *Participant) error {
	if !p.Facilitator() {
		return errFacilitatorOnly
	}
	return s.store.DeleteProjectorLink(ctx, p.WorkshopID)
}

// ProjectorLinkSince returns when p's workshop's projector link was
// made, the zero time when it has none.
func (s *Service) ProjectorLinkSince(ctx context.Context, p *Participant) (time.Time, error) {
	if !p.Facilitator() {
		return time.Time{}, errFacilitatorOnly
	}
	return s.store.ProjectorLink(ctx, p.WorkshopID)
}

// Projector is what a projector link may read.
type Projector struct {
	WorkshopID int64
}

// ProjectorByToken returns the projector a link's token opens;
// errs.NotFound for a token that is unknown, replaced or revoked.
func (s *Service) ProjectorByToken(ctx context.Context, token string) (*Projector, error) {
	if token == "" || len(token) > 100 {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	wid, err := s.store.WorkshopByProjectorToken(ctx, HashToken(token))
	if err != nil {
		return nil, err
	}
	return &Projector{WorkshopID: wid}, nil
}

// ProjectorBoard is the board as the projector view draws it for a link:
// the facilitators' board, which the view redacts as it does for a
// signed-in projector (ratings and votes wait for the reveal, groups
// working apart show only their counts). The participant returned is the
// view's own, read-only stand-in: it is a facilitator for drawing only,
// and no handler takes it for a command.
func (s *Service) ProjectorBoard(ctx context.Context, pr *Projector) (*Board, *Participant, error) {
	me := &Participant{WorkshopID: pr.WorkshopID, Role: RoleFacilitator}
	b, err := s.Board(ctx, me)
	if err != nil {
		return nil, nil, err
	}
	return b, me, nil
}

// WatchProjector follows the workshop's events for a projector link.
func (s *Service) WatchProjector(ctx context.Context, pr *Projector) (*live.Watch[*Event], error) {
	return s.relay.Watch(ctx, Topic(pr.WorkshopID))
}

// ProjectorFrame is what a projector link's stream carries of an event:
// its sequence number and kind, never its data.
func ProjectorFrame(ev *Event) []byte {
	b, _ := json.Marshal(struct {
		Seq  int64 `json:"seq"`
		Kind Kind  `json:"kind"`
	}{ev.Seq, ev.Kind})
	return b
}
