package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/workshop"
)

// TestPeopleList: the facilitator's participant list shows a bounded
// page, searches nicknames, counts everyone by group, and is collapsed
// for a big room (open for a small one or a search); the notes are paged
// for a facilitator as on a phone.
func TestPeopleList(t *testing.T) {
	b := &workshop.Board{Workshop: workshop.Workshop{ID: 7}, Groups: []workshop.Group{{ID: 3, Name: "Grupp A"}}}
	for i := 1; i <= 130; i++ {
		q := workshop.Participant{ID: int64(i), Nickname: fmt.Sprintf("Gäst %03d", i)}
		if i%10 == 0 {
			q.GroupID = 3
		}
		if i == 130 {
			q.Removed = true
		}
		b.Participants = append(b.Participants, q)
	}
	page := func(query, pg string) *peopleView {
		p := &boardPage{Board: b, Facilitator: true, peopleQuery: query, peoplePage: pg}
		return p.PeopleList()
	}
	v := page("", "")
	if v.Total != 129 || len(v.Rows) != peoplePerPage || v.Pages != 3 || v.Page != 1 || v.Open || v.Prev != "" ||
		v.Next != "/workshoppar/7?personer=2#ws-people-list" {
		t.Errorf("first page: total %d rows %d pages %d page %d open %v prev %q next %q", v.Total, len(v.Rows), v.Pages, v.Page, v.Open, v.Prev, v.Next)
	}
	if len(v.ByGroup) != 2 || v.ByGroup[0].N != 117 || v.ByGroup[1].N != 12 || v.ByGroup[1].Name != "Grupp A" {
		t.Errorf("by group: %+v", v.ByGroup)
	}
	v = page("", "3")
	if len(v.Rows) != 29 || v.Rows[28].Nickname != "Gäst 129" || !v.Open || v.Next != "" {
		t.Errorf("last page: %d rows, open %v, next %q", len(v.Rows), v.Open, v.Next)
	}
	v = page("st 12", "")
	if v.Matching != 10 || len(v.Rows) != 10 || v.Pages != 1 || !v.Open {
		t.Errorf("search: matching %d rows %d pages %d open %v", v.Matching, len(v.Rows), v.Pages, v.Open)
	}
	for _, r := range v.Rows {
		if !strings.Contains(r.Nickname, "st 12") {
			t.Errorf("search found %q", r.Nickname)
		}
	}
	if v := page("", "99"); v.Page != 1 {
		t.Errorf("a page out of range gave page %d", v.Page)
	}

	// Notes: a facilitator in the drivers stage sees the newest page.
	for i := 1; i <= 120; i++ {
		b.Notes = append(b.Notes, workshop.Note{ID: int64(1000 + i), Text: fmt.Sprintf("Drivkraft %d", i)})
	}
	p := &boardPage{Board: b, Me: &b.Participants[0], Facilitator: true, Stage: workshop.Stage{Key: "drivers"}}
	p.index()
	n := 0
	for _, sec := range p.Sections() {
		n += len(sec.Notes)
	}
	if n != 20 || p.Pager() == nil || p.Pager().Page != 3 || p.Pager().Prev != "/workshoppar/7?sida=2" {
		t.Errorf("facilitator's notes: %d shown, pager %+v", n, p.Pager())
	}
	p = &boardPage{Board: b, Me: &b.Participants[0], Facilitator: true, Stage: workshop.Stage{Key: "clustering"}, Look: 3}
	p.index()
	p.Sections()
	if pg := p.Pager(); pg != nil {
		t.Errorf("a group without notes has pages: %+v", pg)
	}
}
