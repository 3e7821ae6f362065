package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
)

// WriteJSON writes v as JSON with status; responses are never cached.
func WriteJSON(w http.ResponseWriter, status int, v any) {
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

// ErrorBody is the shape of every JSON error, from the API and the board.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail names an error by a stable code (the kind), its catalogue
// key (so a script can react to one refusal) and says it to a person.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Key     string            `json:"key"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Body returns the JSON error body of err in the translator's language.
func Body(tr *i18n.Translator, err error) ErrorBody {
	e := errs.As(err)
	body := ErrorBody{Error: ErrorDetail{Code: KindOf(e.Kind).Code, Key: e.Key, Message: tr.T(e.Key)}}
	if len(e.Fields) > 0 {
		body.Error.Fields = map[string]string{}
		for f, key := range e.Fields {
			body.Error.Fields[f] = tr.T(key)
		}
	}
	return body
}

// WriteError writes err as a JSON error: the status of its kind and its
// body. The caller logs internal errors, naming its own operation.
func WriteError(w http.ResponseWriter, tr *i18n.Translator, err error) {
	e := errs.As(err)
	switch e.Kind {
	case errs.Unauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="framsyn"`)
	case errs.TooLarge:
		// The rest of the body is not read: do not wait for it.
		w.Header().Set("Connection", "close")
	}
	WriteJSON(w, KindOf(e.Kind).Status, Body(tr, e))
}

// IsJSON reports whether the request body is JSON.
func IsJSON(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/json"
}

// DecodeJSON reads one JSON value strictly into v. Every front end answers
// a bad body the same way:
//   - over the route's limit (http.MaxBytesReader): TooLarge, 413;
//   - not JSON, trailing data, or a value of the wrong type where no field
//     can be named: Malformed, 400;
//   - an unknown field (a forged "participant_id", say) or a field of the
//     wrong type: Invalid, 422, naming the field, as any other field error.
func DecodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return errs.E(errs.Malformed, "error.json_invalid")
		}
		// Decode reads only the value; a MaxBytesReader reports an
		// oversize body only when read to the end.
		if _, err = io.Copy(io.Discard, r); err == nil {
			return nil
		}
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return errs.Wrap(errs.TooLarge, "error.body_too_large", err)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return &errs.Error{Kind: errs.Invalid, Key: "error.invalid", Fields: errs.Fields{typeErr.Field: "error.field_type"}, Err: err}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &errs.Error{Kind: errs.Invalid, Key: "error.invalid", Fields: errs.Fields{name: "error.field_unknown"}, Err: err}
	}
	return errs.Wrap(errs.Malformed, "error.json_invalid", err)
}
