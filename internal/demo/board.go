package demo

import (
	"context"
	"fmt"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
)

// The masterclass's six groups' answers to "Hur vill ni använda
// varandra? Ser ni behov av gemensamt arbete?" as needs on the
// collaboration board, posted by the masterclass's organiser (Reglab),
// each group's answer verbatim. The topic is our reading of what the
// group asks for (Grupp 1: "låna varandra som scenarie-processledare",
// Grupp 5: "upphandla gemensamt", …).
var groupTopics = map[string]string{
	"Grupp 1": "borrow_facilitator",
	"Grupp 2": "cohost_workshop",
	"Grupp 3": "learning_visit",
	"Grupp 4": "learning_visit",
	"Grupp 5": "joint_procurement",
	"Grupp 6": "share_data",
}

// SeedBoard posts the masterclass groups' answers unless a post with the
// title exists; it returns how many it made.
func SeedBoard(ctx context.Context, b *board.Service, a *account.Actor, orgs account.Store) (int, error) {
	n, err := Load()
	if err != nil {
		return 0, err
	}
	made := 0
	for _, ev := range n.Events {
		o, err := orgs.OrganisationBySlug(ctx, ev.Org)
		if err != nil {
			return made, fmt.Errorf("demo: board: %w", err)
		}
		existing, err := b.List(ctx, a, board.Query{Limit: board.MaxList})
		if err != nil {
			return made, err
		}
		have := map[string]bool{}
		for _, p := range existing {
			have[p.Title] = true
		}
		for _, g := range ev.Groups {
			title := ev.Title + ": " + g.Name
			topic, ok := groupTopics[g.Name]
			if !ok || have[title] {
				continue
			}
			if _, err := b.Create(ctx, a, &board.Post{OrganisationID: o.ID, Kind: board.Need, Topic: topic, Title: title,
				Body: g.Quote, Visibility: board.Public, Source: n.Sources[ev.Seed].Title}); err != nil {
				return made, fmt.Errorf("demo: board %q: %w", title, err)
			}
			made++
		}
	}
	return made, nil
}
