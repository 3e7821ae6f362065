package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/errs"
)

func TestID(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		want        int64
		kind        errs.Kind // when the id is refused
	}{
		{"OK", "42", 42, 0},
		{"ErrZero", "0", 0, errs.NotFound},
		{"ErrNegative", "-3", 0, errs.NotFound},
		{"ErrWord", "x", 0, errs.NotFound},
		{"ErrOverflow", "99999999999999999999", 0, errs.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.SetPathValue("id", tt.value)
			got, err := ID(r, "id")
			if tt.kind != 0 {
				if !errs.Is(err, tt.kind) {
					t.Fatalf("err %v, want kind %v", err, tt.kind)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("%d, %v; want %d", got, err, tt.want)
			}
		})
	}
}

func TestDecodeJSON(t *testing.T) {
	type in struct {
		Title string `json:"title"`
		Year  int    `json:"year"`
	}
	for _, tt := range []struct {
		name, body string
		limit      int64
		kind       errs.Kind
		field      string
	}{
		{"OK", `{"title":"x","year":2050}`, 0, 0, ""},
		{"ErrSyntax", `{"title":`, 0, errs.Malformed, ""},
		{"ErrTrailing", `{"title":"x"}{}`, 0, errs.Malformed, ""},
		{"ErrNotObject", `[1]`, 0, errs.Malformed, ""},
		{"ErrUnknownField", `{"title":"x","participant_id":1}`, 0, errs.Invalid, "participant_id"},
		{"ErrFieldType", `{"year":"tjugo"}`, 0, errs.Invalid, "year"},
		{"ErrTooLarge", `{"title":"` + strings.Repeat("x", 100) + `"}`, 50, errs.TooLarge, ""},
		{"ErrTooLargeTrailingSpace", `{"title":"x"}` + strings.Repeat(" ", 100), 50, errs.TooLarge, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			limit := int64(1 << 20)
			if tt.limit > 0 {
				limit = tt.limit
			}
			r := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(tt.body)), limit)
			var v in
			err := DecodeJSON(r, &v)
			if tt.kind == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := errs.As(err)
			if e.Kind != tt.kind {
				t.Fatalf("kind %v (%v), want %v", e.Kind, err, tt.kind)
			}
			if tt.field != "" && e.Fields[tt.field] == "" {
				t.Fatalf("fields %v, want %q named", e.Fields, tt.field)
			}
		})
	}
}
