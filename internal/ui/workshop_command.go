package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/paths"
	"github.com/framsyn/framsyn/internal/workshop"
)

// command applies one participant command. The board's script sends JSON
// and gets JSON back: {"seq", "event"} or {"error"}. The outline view posts
// a form and is sent back to the outline with a message.
func (wp *workshopPages) command(w http.ResponseWriter, r *http.Request) {
	isJSON := httpx.IsJSON(r)
	p, err := wp.sender(r)
	var cmd workshop.Command
	if err == nil {
		if isJSON {
			err = httpx.DecodeJSON(r.Body, &cmd)
		} else {
			err = commandFromForm(r, &cmd)
		}
	}
	var ev *workshop.Event
	if err == nil {
		ev, err = wp.svc.Do(r.Context(), p, cmd)
	}
	if isJSON {
		if err != nil {
			wp.plainError(w, r, err)
			return
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"seq": ev.Seq,
			"event": json.RawMessage(ev.JSON(workshop.AudienceOf(p, ev.ParticipantID)))})
		return
	}
	if err != nil && errs.KindOf(err) == errs.Internal {
		wp.serverError(w, r, err)
		return
	}
	id, _ := httpx.ID(r, "id")
	back := safeReturn(r.PostFormValue("return"), paths.Workshop(id))
	if err != nil {
		e := errs.As(err)
		if e.Kind == errs.Forbidden || e.Kind == errs.NotFound {
			wp.fail(w, r, err)
			return
		}
		// The board again, with the message next to the form that failed,
		// what was typed in it, and the focus there.
		bp, perr := wp.fullBoard(r)
		if perr != nil {
			wp.redirect(w, r, back, e.Key)
			return
		}
		bp.failed = &failure{kind: string(cmd.Kind), key: commandKey(cmd), msg: bp.T(e.Key)}
		bp.Form = r.PostForm
		wp.render(w, r, httpx.Status(e.Kind), "workshop", bp)
		return
	}
	wp.redirect(w, r, back, "workshop.saved")
}

// commandFromForm reads a command from the outline view's forms, which
// name the same fields as the JSON.
func commandFromForm(r *http.Request, cmd *workshop.Command) error {
	f := r.PostForm
	cmd.ClientID, cmd.Kind = f.Get("id"), workshop.Kind(f.Get("kind"))
	cmd.STEEP, cmd.Text, cmd.Name, cmd.Axis, cmd.Stage = f.Get("steep"), f.Get("text"), f.Get("name"), f.Get("axis"), f.Get("stage")
	cmd.Low, cmd.High, cmd.Story, cmd.Life, cmd.Signs, cmd.Owner = f.Get("low"), f.Get("high"), f.Get("story"), f.Get("life"), f.Get("signs"), f.Get("owner")
	cmd.On = f.Get("on") == "true" || f.Get("on") == "on"
	for _, v := range f["participants"] {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return &errs.Error{Kind: errs.Invalid, Key: "workshop.number_invalid", Fields: errs.Fields{"participants": "workshop.number_invalid"}}
		}
		if len(cmd.Participants) <= workshop.MaxParticipants {
			cmd.Participants = append(cmd.Participants, n)
		}
	}
	if _, ok := f["base_story"]; ok {
		cmd.Base = &workshop.ScenarioBase{Name: f.Get("base_name"), Story: f.Get("base_story"), Life: f.Get("base_life"), Signs: f.Get("base_signs")}
	}
	for _, v := range f["notes"] {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return &errs.Error{Kind: errs.Invalid, Key: "workshop.number_invalid", Fields: errs.Fields{"notes": "workshop.number_invalid"}}
		}
		if len(cmd.Notes) < workshop.MaxGroupNotes+1 {
			cmd.Notes = append(cmd.Notes, n)
		}
	}
	ints := []struct {
		name string
		dst  *int64
	}{{"note", &cmd.Note}, {"into", &cmd.Into}, {"item", &cmd.Item}, {"participant", &cmd.Participant}, {"group", &cmd.Group}}
	for _, x := range ints {
		if v := strings.TrimSpace(f.Get(x.name)); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return &errs.Error{Kind: errs.Invalid, Key: "workshop.number_invalid", Fields: errs.Fields{x.name: "workshop.number_invalid"}}
			}
			*x.dst = n
		}
	}
	small := []struct {
		name string
		dst  *int
	}{{"quadrant", &cmd.Quadrant}, {"seconds", &cmd.Seconds}, {"impact", &cmd.Impact}, {"uncertainty", &cmd.Uncertainty},
		{"year", &cmd.Year}, {"budget", &cmd.Budget}}
	for _, x := range small {
		if v := strings.TrimSpace(f.Get(x.name)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return &errs.Error{Kind: errs.Invalid, Key: "workshop.number_invalid", Fields: errs.Fields{x.name: "workshop.number_invalid"}}
			}
			*x.dst = n
		}
	}
	return nil
}

// boardJSON returns the board as the participant sees it, with the
// sequence it was read at; a client that lost its place reloads it.
func (wp *workshopPages) boardJSON(w http.ResponseWriter, r *http.Request) {
	p, err := wp.participant(r)
	if err != nil {
		wp.plainError(w, r, err)
		return
	}
	b, err := wp.svc.Board(r.Context(), p)
	if err != nil {
		wp.plainError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, b)
}

func (wp *workshopPages) tr(r *http.Request) *i18n.Translator { return wp.cat.For(i18n.Negotiate(r)) }

// commandKey is what tells a command's form from the others of its kind
// on the board: the note, milestone or quadrant it is about.
func commandKey(cmd workshop.Command) int64 {
	switch {
	case cmd.Note != 0:
		return cmd.Note
	case cmd.Item != 0:
		return cmd.Item
	default:
		return int64(cmd.Quadrant)
	}
}
