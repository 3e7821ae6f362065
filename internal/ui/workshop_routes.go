package ui

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/httpx"
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

// maxCommandBytes bounds one command from the board; the longest text (a
// scenario's story) is 4,000 characters.
const maxCommandBytes = 64 << 10

// Workshops returns the workshop pages over svc.
func (s *Server) Workshops(svc *workshop.Service) route.Area {
	return &workshopPages{Server: s, svc: svc, streams: map[string]int{}}
}

// Register adds the workshop pages, commands and stream to t.
// Participants are guests (a per-workshop cookie holding their token) or
// signed-in users, so most routes are Public and the domain decides.
func (wp *workshopPages) Register(t *route.Table) {
	s, P, U := wp.Server, route.Public, route.SignedIn
	t.Handle(P, "GET /workshoppar", s.h(wp.listWorkshops))
	t.Handle(U, "POST /workshoppar", s.h(wp.createWorkshop))
	t.Handle(P, "GET /workshoppar/{id}", s.h(wp.showBoard))
	t.Handle(U, "POST /workshoppar/{id}/kopiera", s.h(wp.copyWorkshop))
	t.Handle(U, "POST /workshoppar/{id}/medledare", s.h(wp.addFacilitator))
	t.Handle(P, "POST /workshoppar/{id}/grupper-per-kvadrant", s.h(wp.groupsByQuadrant))
	t.Handle(P, "GET /workshoppar/{id}/resultat", s.h(wp.showResults))
	t.Handle(P, "GET /workshoppar/{id}/resultat.md", s.h(wp.resultsMarkdown))
	t.Handle(P, "GET /workshoppar/{id}/resultat.json", s.h(wp.resultsJSON))
	t.Handle(P, "GET /workshoppar/{id}/kors.svg", s.h(wp.crossFile))
	t.Handle(U, "POST /workshoppar/{id}/publicera", s.h(wp.publish))
	t.Handle(P, "GET /workshoppar/{id}/ogonblick/{seq}", s.h(wp.showSnapshot))
	t.Handle(P, "GET /j", s.h(wp.codeForm))
	t.Handle(P, "GET /j/{code}", s.h(wp.showJoin))
	t.Handle(P, "POST /j/{code}", s.h(wp.join))
	t.Handle(P, "GET /j/{code}/igen/{token}", s.h(wp.showRejoin))
	t.Handle(P, "POST /j/{code}/igen/{token}", s.h(wp.rejoin))
	t.Handle(P, "GET /j/{code}/qr.png", s.h(wp.qrPNG))
	t.Handle(P, "GET /j/{code}/qr.svg", s.h(wp.qrSVG))
	t.Handle(P, "GET /workshoppar/{id}/tavla.json", wp.boardJSON)
	t.Handle(P, "GET /workshoppar/{id}/tavla.html", s.h(wp.showBoardFragment))
	t.Handle(P, "GET /workshoppar/{id}/projektor", s.h(wp.showProjector))
	t.Handle(P, "GET /workshoppar/{id}/projektor.html", s.h(wp.showProjectorFragment))
	t.Handle(P, "GET /workshoppar/{id}/strom", wp.stream)
	t.Handle(P, "POST /workshoppar/{id}/projektorlank", s.h(wp.newProjectorLink))
	t.Handle(P, "POST /workshoppar/{id}/projektorlank/aterkalla", s.h(wp.revokeProjectorLink))
	t.Handle(P, "GET /projektor/{token}", s.h(wp.showLinkedProjector))
	t.Handle(P, "GET /projektor/{token}/projektor.html", s.h(wp.showLinkedProjectorFragment))
	t.Handle(P, "GET /projektor/{token}/strom", wp.linkedProjectorStream)
	t.Handle(P, "POST /workshoppar/{id}/handling", wp.command, route.MaxBody(maxCommandBytes, "application/json"))
}

// participant returns who makes the request in the workshop {id}.
func (wp *workshopPages) participant(r *http.Request) (*workshop.Participant, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	return wp.svc.ParticipantOf(r.Context(), account.ActorFrom(r.Context()), id, httpx.Cookies(r), wp.cfg.SecureCookies)
}

// sender returns who sends a command to the request's workshop (see
// workshop.Service.SenderOf).
func (wp *workshopPages) sender(r *http.Request) (*workshop.Participant, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	return wp.svc.SenderOf(r.Context(), account.ActorFrom(r.Context()), id, httpx.Cookies(r), wp.cfg.SecureCookies)
}

// setGuestCookie keeps a guest's token for one workshop, for a month: a
// guest who comes back (to the board or to /j/CODE) is the same participant.
func (wp *workshopPages) setGuestCookie(w http.ResponseWriter, workshopID int64, token string) {
	http.SetCookie(w, &http.Cookie{Name: workshop.GuestCookieName(workshopID, wp.cfg.SecureCookies), Value: token, Path: "/",
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
