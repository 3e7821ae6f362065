package ui

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/workshop"
)

// maxCommandBytes bounds one command; the longest text (a scenario's
// story) is 4,000 characters.
const maxCommandBytes = 64 << 10

// command applies one participant command. The board's script sends JSON
// and gets JSON back: {"seq", "event"} or {"error"}. The outline view posts
// a form and is sent back to the outline with a message.
func (wp *workshopPages) command(w http.ResponseWriter, r *http.Request) {
	isJSON := wsIsJSON(r)
	p, err := wp.participant(r)
	var cmd workshop.Command
	if err == nil {
		if isJSON {
			err = workshop.DecodeJSON(http.MaxBytesReader(w, r.Body, maxCommandBytes), &cmd)
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
		wsWriteJSON(w, http.StatusOK, map[string]any{"seq": ev.Seq,
			"event": json.RawMessage(ev.JSON(workshop.AudienceOf(p, ev.ParticipantID)))})
		return
	}
	if err != nil && errs.KindOf(err) == errs.Internal {
		wp.serverError(w, r, err)
		return
	}
	id, _ := workshopID(r)
	back := safeReturn(r.PostFormValue("return"), "/workshoppar/"+strconv.FormatInt(id, 10))
	if err != nil {
		e := errs.As(err)
		if e.Kind == errs.Forbidden || e.Kind == errs.NotFound {
			wp.fail(w, r, err)
			return
		}
		wp.redirect(w, r, back, e.Key)
		return
	}
	wp.redirect(w, r, back, "workshop.saved")
}

func wsIsJSON(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/json"
}

// commandFromForm reads a command from the outline view's forms, which
// name the same fields as the JSON.
func commandFromForm(r *http.Request, cmd *workshop.Command) error {
	f := r.PostForm
	cmd.ClientID, cmd.Kind = f.Get("id"), workshop.Kind(f.Get("kind"))
	cmd.STEEP, cmd.Text, cmd.Name, cmd.Axis, cmd.Stage = f.Get("steep"), f.Get("text"), f.Get("name"), f.Get("axis"), f.Get("stage")
	cmd.Low, cmd.High, cmd.Story, cmd.Life, cmd.Signs, cmd.Owner = f.Get("low"), f.Get("high"), f.Get("story"), f.Get("life"), f.Get("signs"), f.Get("owner")
	cmd.On = f.Get("on") == "true" || f.Get("on") == "on"
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
	wsWriteJSON(w, http.StatusOK, b)
}

func (wp *workshopPages) tr(r *http.Request) *i18n.Translator { return wp.cat.For(i18n.Negotiate(r)) }

// wsJSONError is the error shape of the JSON API, plus the catalogue key so
// a script can react to a kind of refusal.
type wsJSONError struct {
	Error struct {
		Code    string            `json:"code"`
		Key     string            `json:"key"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

var wsKindCodes = map[errs.Kind]string{errs.Internal: "internal", errs.Invalid: "invalid", errs.NotFound: "not_found",
	errs.Unauthorized: "unauthorized", errs.Forbidden: "forbidden", errs.Conflict: "conflict", errs.TooMany: "too_many"}

func wsWriteError(w http.ResponseWriter, tr *i18n.Translator, status int, e *errs.Error) {
	var body wsJSONError
	body.Error.Code, body.Error.Key, body.Error.Message = wsKindCodes[e.Kind], e.Key, tr.T(e.Key)
	if len(e.Fields) > 0 {
		body.Error.Fields = map[string]string{}
		for f, k := range e.Fields {
			body.Error.Fields[f] = tr.T(k)
		}
	}
	wsWriteJSON(w, status, body)
}

func wsWriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
