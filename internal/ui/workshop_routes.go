package ui

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/workshop"
)

// workshopPages serves the digital workshop: pages, commands and the event
// stream, over a workshop.Service.
type workshopPages struct {
	*Server
	svc *workshop.Service

	mu      sync.Mutex
	streams map[string]int // open streams per participant
}

// maxStreamsPerParticipant caps one participant's open streams: enough for
// a few tabs and devices, not for a script opening hundreds.
const maxStreamsPerParticipant = 8

// RegisterWorkshop adds the workshop pages, commands and stream to t.
// Participants are guests (a per-workshop cookie holding their token) or
// signed-in users, so most routes are Public and the domain decides.
func (s *Server) RegisterWorkshop(t *route.Table, svc *workshop.Service) {
	wp := &workshopPages{Server: s, svc: svc, streams: map[string]int{}}
	P := route.Public
	t.Handle(P, "GET /workshoppar/{id}/tavla.json", wp.boardJSON)
	t.Handle(P, "GET /workshoppar/{id}/strom", wp.stream)
	t.Handle(P, "POST /workshoppar/{id}/handling", wp.command)
}

func workshopCookie(id int64) string { return "framsyn_ws_" + strconv.FormatInt(id, 10) }

// workshopID reads {id}; a malformed one is NotFound.
func workshopID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "error.not_found")
	}
	return id, nil
}

// participant returns who makes the request in the workshop {id}.
func (wp *workshopPages) participant(r *http.Request) (*workshop.Participant, error) {
	id, err := workshopID(r)
	if err != nil {
		return nil, err
	}
	var token string
	if c, err := r.Cookie(workshopCookie(id)); err == nil {
		token = c.Value
	}
	return wp.svc.Participant(r.Context(), account.ActorFrom(r.Context()), id, token)
}

// setGuestCookie keeps a guest's token for one workshop, for a month: a
// guest who comes back (to the board or to /j/CODE) is the same participant.
func (wp *workshopPages) setGuestCookie(w http.ResponseWriter, workshopID int64, token string) {
	http.SetCookie(w, &http.Cookie{Name: workshopCookie(workshopID), Value: token, Path: "/",
		MaxAge: int((30 * 24 * time.Hour).Seconds()), Secure: wp.cfg.SecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// openStream counts a participant's stream; false when at the cap.
func (wp *workshopPages) openStream(p *workshop.Participant) (func(), bool) {
	key := strconv.FormatInt(p.WorkshopID, 10) + ":" + strconv.FormatInt(p.ID, 10)
	wp.mu.Lock()
	defer wp.mu.Unlock()
	if wp.streams[key] >= maxStreamsPerParticipant {
		return nil, false
	}
	wp.streams[key]++
	return func() {
		wp.mu.Lock()
		defer wp.mu.Unlock()
		if wp.streams[key]--; wp.streams[key] <= 0 {
			delete(wp.streams, key)
		}
	}, true
}
