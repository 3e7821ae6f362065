package main

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
)

// loadCrosses makes one lineage of n crosses (a national root, each other
// derived from an earlier one, with stories of 2,000 characters) owned by
// the organisations in turn, and returns the pages to measure: the
// lineage of a deep cross, its page, the comparison of four, and the API's
// lineage.
func loadCrosses(ctx context.Context, a *app.App, orgs []account.Organisation, n int) []string {
	u, err := a.Accounts.CreateUser(ctx, "bench-crosses@example.se", "Bänk", account.NewToken()[:20], true)
	if err != nil {
		log.Fatal(err)
	}
	admin := &account.Actor{User: u}
	story := strings.Repeat("En berättelse om välfärden år 2050. ", 55)
	mk := func(i int) *cross.Cross {
		c := &cross.Cross{OrganisationID: orgs[i%len(orgs)].ID, Title: fmt.Sprintf("Kors %d", i), Question: "Hur ser välfärden ut 2050?",
			Horizon: 2050, Level: cross.LevelRegional, Domain: "välfärd", Status: cross.StatusPublished, Visibility: library.Public,
			X: cross.Axis{Name: "Teknik", Low: "Långsam", High: "Snabb"}, Y: cross.Axis{Name: fmt.Sprintf("Tillit %d", i), Low: "Låg", High: "Hög"}}
		for q := 1; q <= 4; q++ {
			c.Scenarios = append(c.Scenarios, cross.Scenario{Quadrant: q, Name: fmt.Sprintf("Framtid %d.%d", i, q), Story: story})
		}
		return c
	}
	root, err := a.Crosses.Create(ctx, admin, mk(0))
	if err != nil {
		log.Fatal(err)
	}
	ids := []int64{root.ID}
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 1; i < n; i++ {
		c := mk(i)
		c.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Renamed, Why: "Vår fråga."}}
		parent := ids[rnd.IntN(len(ids))]
		saved, err := a.Crosses.Derive(ctx, admin, parent, c)
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, saved.ID)
	}
	last := ids[len(ids)-1]
	return []string{
		fmt.Sprintf("/scenariekors/%d/slakttrad", last),
		fmt.Sprintf("/api/v1/crosses/%d/lineage", last),
		fmt.Sprintf("/scenariekors/jamfor?id=%d&id=%d&id=%d&id=%d", ids[n/4], ids[n/2], ids[3*n/4], last),
		fmt.Sprintf("/api/v1/crosses/compare?id=%d&id=%d&id=%d&id=%d", ids[n/4], ids[n/2], ids[3*n/4], last),
		fmt.Sprintf("/scenariekors/%d", last),
		"/scenariekors",
	}
}
