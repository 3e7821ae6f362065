package workshop

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantKey string
	}{
		{name: "OK", in: "  Fler äldre  ", want: "Fler äldre"},
		{name: "NFDStoredNFC", in: "a\u030angest", want: "ångest"},
		{name: "ErrEmpty", in: "", wantKey: "workshop.text_required"},
		{name: "ErrWhitespace", in: " \t\n ", wantKey: "workshop.text_required"},
		{name: "ExactlyLimit", in: strings.Repeat("å", MaxNote), want: strings.Repeat("å", MaxNote)},
		{name: "ExactlyLimitNFD", in: strings.Repeat("a\u030a", MaxNote), want: strings.Repeat("å", MaxNote)},
		{name: "ErrLimitPlusOne", in: strings.Repeat("x", MaxNote+1), wantKey: "workshop.text_too_long"},
		{name: "Err10kB", in: strings.Repeat("x", 10000), wantKey: "workshop.text_too_long"},
		{name: "ErrInvalidUTF8", in: "ab\xffcd", wantKey: "workshop.text_invalid"},
		{name: "ErrNUL", in: "ab\x00cd", wantKey: "workshop.text_control"},
		{name: "ErrControl", in: "ab\x07cd", wantKey: "workshop.text_control"},
		{name: "ErrANSI", in: "\x1b[31mröd", wantKey: "workshop.text_control"},
		{name: "ErrRTLOverride", in: "abc\u202edcba", wantKey: "workshop.text_control"},
		{name: "ZWJEmojiCountsOnce", in: strings.Repeat("👩‍👩‍👧", MaxNote), want: strings.Repeat("👩‍👩‍👧", MaxNote)},
		{name: "MarkupKeptAsText", in: "<script>alert(1)</script>", want: "<script>alert(1)</script>"},
		{name: "NewlineKept", in: "a\r\nb", want: "a\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cleanText("text", tt.in, MaxNote, true, false)
			if tt.wantKey != "" {
				if err == nil || errs.As(err).Key != tt.wantKey || errs.KindOf(err) != errs.Invalid {
					t.Fatalf("err = %v, want %s", err, tt.wantKey)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestCleanNickname(t *testing.T) {
	for _, tt := range []struct{ in, key string }{
		{"Åsa", ""}, {"", "workshop.text_required"}, {"a\nb", "workshop.text_control"},
		{strings.Repeat("n", 200), "workshop.text_too_long"}, {"Facilitator", "workshop.nickname_reserved"},
		{"MODERATOR ", "workshop.nickname_reserved"}, {"Processledare", "workshop.nickname_reserved"},
		{"!!!", "workshop.nickname_letters"}, {"\x1b[2J", "workshop.text_control"},
	} {
		_, err := CleanNickname(tt.in)
		got := ""
		if err != nil {
			got = errs.As(err).Key
		}
		if got != tt.key {
			t.Errorf("CleanNickname(%q) = %q, want %q", tt.in, got, tt.key)
		}
	}
}

func TestNicknameKey(t *testing.T) {
	same := [][2]string{{"Åsa", "asa"}, {"Asa", "Аsа"}, {"Bill", "BiII"}, {"Bo 1", "bo l"}, {"Olle", "0lle"}, {"Hans", "Ηans"}, {"Nina", "ΝΙΝΑ"}, {"Tom", "ΤΟΜ"}}
	for _, p := range same {
		if NicknameKey(p[0]) != NicknameKey(p[1]) {
			t.Errorf("%q and %q should look alike", p[0], p[1])
		}
	}
	if NicknameKey("Anna") == NicknameKey("Anne") {
		t.Error("Anna and Anne are different")
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c := NewCode()
		if NormalizeCode(strings.ToLower(c[:3])+" "+c[3:]) != c {
			t.Fatalf("code %q does not survive typing", c)
		}
		seen[c] = true
	}
	if len(seen) < 990 {
		t.Errorf("only %d distinct codes of 1000", len(seen))
	}
	for _, bad := range []string{"", "ABC", "ACDEF0", "ACDEFO", "ACDEFI", "ACDEFGH"} {
		if NormalizeCode(bad) != "" {
			t.Errorf("NormalizeCode(%q) accepted", bad)
		}
	}
	if len(NewToken()) != 22 || NewToken() == NewToken() {
		t.Error("token is not 128 random bits")
	}
}

func TestTemplate(t *testing.T) {
	want := []string{"focal", "drivers", "clustering", "rating", "axes", "scenarios", "vote", "backcasting", "results"}
	if len(ScenarioCross.Stages) != len(want) {
		t.Fatalf("stages = %d", len(ScenarioCross.Stages))
	}
	for i, k := range want {
		if ScenarioCross.Stages[i].Key != k || ScenarioCross.StageIndex(k) != i {
			t.Errorf("stage %d = %s, want %s", i, ScenarioCross.Stages[i].Key, k)
		}
	}
	for _, s := range ScenarioCross.Stages {
		for _, k := range s.Allows {
			if facilitatorOnly[k] || !Known(k) {
				t.Errorf("stage %s allows %s", s.Key, k)
			}
		}
	}
}

func TestEvent_JSON(t *testing.T) {
	ch := &Change{Rating: &Rating{NoteID: 5, ParticipantID: 7, Impact: 4, Uncertainty: 2},
		Stats: []RatingStats{{NoteID: 5, N: 3, ImpactSum: 10, UncertaintySum: 6}}, Anonymous: true}
	ev := &Event{Seq: 9, Kind: RatingSet, ParticipantID: 7, ClientID: "abcdefgh", At: time.UnixMilli(1000)}
	if err := ch.Encode(ev); err != nil {
		t.Fatal(err)
	}
	var pub, own, full map[string]any
	for _, x := range []struct {
		a Audience
		m *map[string]any
	}{{Everyone, &pub}, {Author, &own}, {Facilitators, &full}} {
		if err := json.Unmarshal(ev.JSON(x.a), x.m); err != nil {
			t.Fatalf("%d: %v: %s", x.a, err, ev.JSON(x.a))
		}
	}
	if _, ok := pub["by"]; ok {
		t.Errorf("public shows who rated: %s", ev.JSON(Everyone))
	}
	if _, ok := pub["cid"]; ok {
		t.Errorf("public shows the client id")
	}
	if d := pub["data"].(map[string]any); d["rating"] != nil || d["stats"] != nil {
		t.Errorf("public shows hidden ratings: %s", ev.JSON(Everyone))
	}
	if d := own["data"].(map[string]any); d["rating"] == nil || d["stats"] != nil {
		t.Errorf("author view wrong: %s", ev.JSON(Author))
	}
	if d := full["data"].(map[string]any); d["rating"] == nil || d["stats"] == nil {
		t.Errorf("facilitator view wrong: %s", ev.JSON(Facilitators))
	}
}
