package feed

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestMerge(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	works := []Entry{{ID: "w1", Updated: day(3)}, {ID: "w2", Updated: day(1)}}
	posts := []Entry{{ID: "p1", Updated: day(2)}, {ID: "p2", Updated: day(4)}}
	tests := []struct {
		name  string
		limit int
		want  string
	}{
		{"NewestFirst", 10, "p2 w1 p1 w2"},
		{"Limited", 2, "p2 w1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range Merge(tt.limit, works, posts) {
				got = append(got, e.ID)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("Merge = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestTagURI(t *testing.T) {
	got := TagURI("https://framsyn.example.se:8443/", time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC), "work/42")
	if got != "tag:framsyn.example.se,2026-11-23:work/42" {
		t.Errorf("TagURI = %q", got)
	}
}

func TestWrite_ValidAtom(t *testing.T) {
	f := &Feed{ID: "https://x.se/flode.atom", Title: "Nytt & <viktigt>", Self: "https://x.se/flode.atom", Alt: "https://x.se/", Author: "framsyn",
		Entries: []Entry{{ID: "tag:x.se,2026-11-23:work/1", Title: "Scenario\x00 ett\x1b", Link: "https://x.se/bibliotek/ett",
			Updated: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), Content: "<p>Hej &amp; välkommen</p>", Category: []string{"Scenario"}}}}
	var buf bytes.Buffer
	if err := f.Write(&buf, "sv"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Entry   []struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	if got.Lang != "sv" || got.Title != "Nytt & <viktigt>" || got.Updated != "2026-11-23T10:00:00Z" || len(got.Entry) != 1 ||
		got.Entry[0].Title != "Scenario ett" || got.Entry[0].Content != "<p>Hej &amp; välkommen</p>" {
		t.Errorf("parsed %+v", got)
	}
}
