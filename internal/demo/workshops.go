package demo

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The demo's two workshops, both labelled as examples. The finished one
// is shaped like Region Värmland's scenario workshop for colleagues in the
// seed (000): the participants were split into four groups that each
// played out their scenario, and Region Vänern was the scenario finally
// chosen. The seed gives nothing else (no question, drivers, axes, other
// scenario names or notes), so everything else is neutral text that says
// it is an example, or left out: no drivers and no ratings.
const (
	FinishedTitle = "Exempel: scenarioworkshop i fyra grupper (efter Region Värmland)"
	// FinishedChosen is the scenario the seed says was chosen.
	FinishedChosen = "Region Vänern"
	OpenTitle      = "Exempel: öppen workshop att prova"

	// "Vilken framtid vill vi ha?" and "Hur gör vi scenarie-övningar
	// digitalt?" are the masterclass's (seed 003) questions.
	finishedQuestion = "Exempel: Vilken framtid vill vi ha?\n\n" +
		"Efter Region Värmlands scenarioworkshop för kollegor: deltagarna delades in i fyra grupper som fick spela upp " +
		"sitt scenario, och Region Vänern valdes. Allt annat är exempel, även deltagarna: källan anger inte hur många de var."
	openQuestion = "Exempel: Hur gör vi scenarieövningar digitalt?"
	// demoHorizon is the year of the network's process, Region 2050.
	demoHorizon = 2050

	// The first facilitator command of each run: a workshop whose log holds
	// it is the demo's own (a copy of it, with the same title, is not).
	finishedMark = "demo-finished-open"
	openMark     = "demo-open-open"
	// client is the address the demo's joins count against.
	client = "demo"
)

// Texts of the finished workshop that the seed does not give, each
// marked as an example.
const (
	storyPlayed = "Gruppen fick spela upp sitt scenario. Källan återger inte scenariots innehåll."
	storyChosen = storyPlayed + "\n\nRegion Vänern var det scenario som slutligen valdes. Källan säger inte hur valet gick till; " +
		"här visas det som facilitatorns enda röst, och scenariots ruta i korset är ett exempel."
	milestoneText = "Nästa steg enligt källan (året är exemplets)"
	actionText    = "Fortsätta med framsynsworkshops på andra avdelningar inom regionen"
	actionOwner   = "Region Värmlands representanter i framsynsgruppen"
)

// DemoWorkshops are the demo's workshops as Seed left them.
type DemoWorkshops struct {
	// Finished is closed in its results stage.
	Finished *workshop.Workshop
	// Open takes participants: its Code joins at /j/CODE.
	Open *workshop.Workshop
}

// SeedWorkshops creates the demo's workshops, or finds and completes
// them: the editor facilitates both and the admin co-facilitates (so both
// example logins see them). Every command has a fixed client id, so a
// second run replays the first run's commands and changes nothing; a run
// cut off halfway is finished by the next. An open workshop closed since
// is opened again, so the printed code works.
func SeedWorkshops(ctx context.Context, ws *workshop.Service, editor, admin *account.User) (*DemoWorkshops, error) {
	out := &DemoWorkshops{}
	var err error
	if out.Finished, err = seedFinished(ctx, ws, editor, admin); err != nil {
		return nil, fmt.Errorf("demo: finished workshop: %w", err)
	}
	if out.Open, err = seedOpen(ctx, ws, editor, admin); err != nil {
		return nil, fmt.Errorf("demo: open workshop: %w", err)
	}
	return out, nil
}

// run is one workshop being driven through the service.
type run struct {
	ctx  context.Context
	ws   *workshop.Service
	w    *workshop.Workshop
	host *workshop.Participant
	pre  string // client id prefix
}

// do sends cmd as p with the client id pre-id; a replay returns the first event.
func (r *run) do(p *workshop.Participant, id string, cmd workshop.Command) (*workshop.Event, error) {
	cmd.ClientID = r.pre + "-" + id
	ev, err := r.ws.Do(r.ctx, p, cmd)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd.ClientID, err)
	}
	return ev, nil
}

// find returns the editor's workshop titled title whose log holds the
// client id mark, or nil; host is the editor's participant in it.
func find(ctx context.Context, ws *workshop.Service, editor *account.User, title, mark string) (*workshop.Workshop, *workshop.Participant, error) {
	a := &account.Actor{User: editor}
	var list []workshop.Workshop
	for {
		page, err := ws.Workshops(ctx, a, len(list), 200)
		if err != nil {
			return nil, nil, err
		}
		list = append(list, page...)
		if len(page) < 200 {
			break
		}
	}
	for i := range list {
		w := &list[i]
		if w.Title != title {
			continue
		}
		p, err := ws.Participant(ctx, a, w.ID, "")
		if err != nil {
			continue // removed from it: not the demo's to drive
		}
		// The mark is the second event (the first is the creation).
		evs, err := ws.Events(ctx, p, 0, 4)
		if err != nil {
			return nil, nil, err
		}
		for _, ev := range evs {
			if ev.ClientID == mark {
				return w, p, nil
			}
		}
	}
	return nil, nil, nil
}

// start finds the workshop or creates it, and opens it with the mark.
func start(ctx context.Context, ws *workshop.Service, editor *account.User, in workshop.Workshop, mark, pre string) (*run, error) {
	w, host, err := find(ctx, ws, editor, in.Title, mark)
	if err != nil {
		return nil, err
	}
	if w == nil {
		a := &account.Actor{User: editor}
		if w, err = ws.Create(ctx, a, in); err != nil {
			return nil, err
		}
		if host, err = ws.Participant(ctx, a, w.ID, ""); err != nil {
			return nil, err
		}
	}
	r := &run{ctx: ctx, ws: ws, w: w, host: host, pre: pre}
	if _, err := ws.Do(ctx, host, workshop.Command{ClientID: mark, Kind: workshop.WorkshopOpen}); err != nil {
		return nil, fmt.Errorf("%s: %w", mark, err)
	}
	return r, nil
}

// reload reads the workshop as it is now.
func (r *run) reload() (*workshop.Workshop, error) {
	b, err := r.ws.Board(r.ctx, r.host)
	if err != nil {
		return nil, err
	}
	return &b.Workshop, nil
}

func seedFinished(ctx context.Context, ws *workshop.Service, editor, admin *account.User) (*workshop.Workshop, error) {
	r, err := start(ctx, ws, editor, workshop.Workshop{Title: FinishedTitle, FocalQuestion: finishedQuestion,
		HorizonYear: demoHorizon, DotBudget: 1}, finishedMark, "demo-finished")
	if err != nil {
		return nil, err
	}
	if w, err := r.reload(); err != nil || w.Status == workshop.StatusClosed {
		return w, err // done (or closed by hand since): left as it is
	}
	if _, err := ws.AddFacilitator(ctx, r.host, r.pre+"-admin", admin); err != nil {
		return nil, err
	}
	// Four groups, one quadrant (one scenario) each, one example
	// participant in each: the seed gives no number of participants.
	groups := make([]int64, 4)
	people := make([]*workshop.Participant, 4)
	for i := range groups {
		n := strconv.Itoa(i + 1)
		ev, err := r.do(r.host, "group-"+n, workshop.Command{Kind: workshop.GroupCreate, Name: "Grupp " + n, Quadrant: i + 1})
		if err != nil {
			return nil, err
		}
		groups[i] = ev.Seq // a group's id is the seq of the event that made it
		p, _, err := ws.Join(ctx, nil, r.w.Code, "Exempeldeltagare "+n, r.pre+"-join-"+n, client)
		if err != nil {
			return nil, fmt.Errorf("join %s: %w", n, err)
		}
		people[i] = p
		if _, err := r.do(r.host, "assign-"+n, workshop.Command{Kind: workshop.GroupAssign, Participant: p.ID, Group: groups[i]}); err != nil {
			return nil, err
		}
	}
	stage := func(key string) error {
		_, err := r.do(r.host, "stage-"+key, workshop.Command{Kind: workshop.StageSet, Stage: key})
		return err
	}
	// No drivers, clusters or ratings: the seed names none.
	for _, key := range []string{"drivers", "clustering", "rating", "axes"} {
		if err := stage(key); err != nil {
			return nil, err
		}
	}
	for _, ax := range []string{"x", "y"} {
		n := map[string]string{"x": "1", "y": "2"}[ax]
		if _, err := r.do(r.host, "axis-"+ax, workshop.Command{Kind: workshop.AxisSet, Axis: ax,
			Text: "Exempelaxel " + n + " (källan anger inte axlarna)", Low: "Låg (exempel)", High: "Hög (exempel)"}); err != nil {
			return nil, err
		}
	}
	if err := stage("scenarios"); err != nil {
		return nil, err
	}
	// Each group writes its own quadrant.
	for i, p := range people {
		n := strconv.Itoa(i + 1)
		cmd := workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: i + 1,
			Name: "Grupp " + n + ":s scenario (exempel)", Story: storyPlayed}
		if i == 0 {
			cmd.Name, cmd.Story = FinishedChosen, storyChosen
		}
		if _, err := r.do(p, "scenario-"+n, cmd); err != nil {
			return nil, err
		}
	}
	if err := stage("vote"); err != nil {
		return nil, err
	}
	if _, err := r.do(r.host, "vote", workshop.Command{Kind: workshop.VoteAdd, Quadrant: 1}); err != nil {
		return nil, err
	}
	if err := stage("backcasting"); err != nil {
		return nil, err
	}
	// The seed's next step. A milestone needs a year: the one the
	// example is loaded in (today, where backcasting ends).
	m, err := r.do(r.host, "milestone", workshop.Command{Kind: workshop.MilestoneAdd, Year: time.Now().Year(), Text: milestoneText})
	if err != nil {
		return nil, err
	}
	if _, err := r.do(r.host, "action", workshop.Command{Kind: workshop.ActionAdd, Item: m.Seq, Text: actionText, Owner: actionOwner}); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		id  string
		cmd workshop.Command
	}{
		{"reveal", workshop.Command{Kind: workshop.RevealSet, On: true}},
		{"plenary", workshop.Command{Kind: workshop.GroupsPlenary}},
		{"stage-results", workshop.Command{Kind: workshop.StageSet, Stage: "results"}},
		{"close", workshop.Command{Kind: workshop.WorkshopClose}},
	} {
		if _, err := r.do(r.host, c.id, c.cmd); err != nil {
			return nil, err
		}
	}
	return r.reload()
}

func seedOpen(ctx context.Context, ws *workshop.Service, editor, admin *account.User) (*workshop.Workshop, error) {
	r, err := start(ctx, ws, editor, workshop.Workshop{Title: OpenTitle, FocalQuestion: openQuestion,
		HorizonYear: demoHorizon}, openMark, "demo-open")
	if err != nil {
		return nil, err
	}
	if _, err := ws.AddFacilitator(ctx, r.host, r.pre+"-admin", admin); err != nil {
		return nil, err
	}
	w, err := r.reload()
	if err != nil || w.Status != workshop.StatusClosed {
		return w, err
	}
	// Closed since the last run: open it again (a new id, as it is a new act).
	if _, err := ws.Do(ctx, r.host, workshop.Command{ClientID: "demo-open-reopen-" + workshop.NewCode(), Kind: workshop.WorkshopReopen}); err != nil {
		return nil, err
	}
	return r.reload()
}

// newWorkshops is the workshop service Seed uses when given none: over
// the same store, in-process (the demo is loaded before serving).
func newWorkshops(store workshop.Store) *workshop.Service {
	return workshop.NewService(store, nil, slog.New(slog.DiscardHandler))
}
