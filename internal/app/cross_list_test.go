package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
)

// TestCrossAPI_ListSummaries: GET /api/v1/crosses answers each cross as
// openapi.json's CrossSummary – its names, not its stories – and GET
// /api/v1/crosses/{id} the whole cross.
func TestCrossAPI_ListSummaries(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		ctx := t.Context()
		org := ta.mustOrg("region-x", true)
		admin := &account.Actor{User: ta.mustUser("admin@x.se", "Admin", true)}
		story := strings.Repeat("En berättelse om välfärden år 2050. ", 55)
		var last *cross.Cross
		for i := range 3 {
			c := crossOf(org.ID, strconv.Itoa(i), library.Public, cross.StatusPublished)
			c.X.Description, c.X.Forces, c.Authors = "Hur snabbt tekniken kommer.", []string{"AI"}, []string{"Anna"}
			for q := range c.Scenarios {
				c.Scenarios[q].Story, c.Scenarios[q].DailyLife = story, "En vardag."
			}
			var err error
			if last, err = ta.Crosses.Create(ctx, admin, c); err != nil {
				t.Fatal(err)
			}
		}
		var doc struct {
			Components struct {
				Schemas map[string]struct {
					Required   []string                   `json:"required"`
					Properties map[string]json.RawMessage `json:"properties"`
				} `json:"schemas"`
			} `json:"components"`
		}
		decode(t, ta.do(req{method: "GET", path: "/api/v1/openapi.json"}), http.StatusOK, &doc)
		schema := doc.Components.Schemas["CrossSummary"]
		if len(schema.Properties) == 0 {
			t.Fatal("openapi.json has no CrossSummary")
		}

		resp := ta.do(req{method: "GET", path: "/api/v1/crosses"})
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("list: %d %s", resp.StatusCode, body)
		}
		for _, leak := range []string{"berättelse", "En vardag", "Hur snabbt", `"forces"`, `"authors"`, `"story"`} {
			if strings.Contains(body, leak) {
				t.Errorf("the list carries %s", leak)
			}
		}
		var list struct {
			Items []map[string]json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Items) != 3 {
			t.Fatalf("list of %d items: %v", len(list.Items), err)
		}
		for _, it := range list.Items {
			for k := range it {
				if _, ok := schema.Properties[k]; !ok {
					t.Errorf("a summary has %q, which CrossSummary does not document", k)
				}
			}
			for _, k := range schema.Required {
				if _, ok := it[k]; !ok {
					t.Errorf("a summary lacks the required %q", k)
				}
			}
		}
		var first struct {
			X         struct{ Name, Low, High string }
			Scenarios []struct {
				Quadrant int
				Name     string
			}
			URL string
		}
		if err := json.Unmarshal(mustJSON(t, list.Items[0]), &first); err != nil {
			t.Fatal(err)
		}
		names := []string{}
		for _, s := range first.Scenarios {
			names = append(names, s.Name)
		}
		if first.X.Name != "Teknik" || first.X.Low != "Långsam" || first.X.High != "Snabb" ||
			!slices.Equal(names, []string{"Framtid 1", "Framtid 2", "Framtid 3", "Framtid 4"}) || !strings.HasSuffix(first.URL, "/scenariekors/"+strconv.FormatInt(last.ID, 10)) {
			t.Errorf("summary %+v", first)
		}
		// The cross's own answer is whole.
		one := readBody(t, ta.do(req{method: "GET", path: "/api/v1/crosses/" + strconv.FormatInt(last.ID, 10)}))
		for _, want := range []string{"berättelse", "En vardag", "Hur snabbt", `"forces":["AI"]`, `"authors":["Anna"]`} {
			if !strings.Contains(one, want) {
				t.Errorf("GET /api/v1/crosses/{id} lacks %s", want)
			}
		}
		t.Logf("list of 3: %d bytes; one cross: %d bytes", len(body), len(one))
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
