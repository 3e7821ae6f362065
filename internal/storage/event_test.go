package storage_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func mustEvent(t testing.TB, db *storage.DB, e event.Event, coHosts ...int64) *event.Event {
	t.Helper()
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	e.CreatedAt, e.UpdatedAt = now, now
	if e.StartsAt.IsZero() {
		e.StartsAt, e.EndsAt = now.Add(48*time.Hour), now.Add(50*time.Hour)
	}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.Events().CreateEvent(context.Background(), &e, coHosts); err != nil {
		t.Fatalf("create event: %v", err)
	}
	return &e
}

func eventUsers(t testing.TB, db *storage.DB, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		id, err := db.Users().CreateUser(context.Background(), &account.User{Email: fmt.Sprintf("d%d@x.se", i), Name: fmt.Sprintf("Deltagare %d", i)}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

// TestDB_EventRegistration: places go first come, the rest wait in order;
// registering twice is a conflict and changes nothing; a cancel moves the
// first waiting up in the same transaction; a cancel from the waiting
// list moves nobody.
func TestDB_EventRegistration(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		org := searchOrg(t, db, "region-a", account.LevelRegional)
		e := mustEvent(t, db, event.Event{OrganisationID: org, Title: "Regiondag", Audience: event.Public, Capacity: 2, Registration: true})
		users := eventUsers(t, db, 4)
		store := db.Events()
		now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		var got []event.Status
		for i, u := range users {
			r, err := store.Register(ctx, e.ID, u, now.Add(time.Duration(i)*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, r.Status)
			if i == 3 && r.Position != 2 {
				t.Errorf("fourth is %d on the waiting list, want 2", r.Position)
			}
		}
		if want := []event.Status{event.Confirmed, event.Confirmed, event.Waiting, event.Waiting}; !slices.Equal(got, want) {
			t.Errorf("statuses %v, want %v", got, want)
		}
		if _, err := store.Register(ctx, e.ID, users[0], now); !errs.Is(err, errs.Conflict) {
			t.Errorf("registering twice: %v, want Conflict", err)
		}
		loaded, _ := store.Event(ctx, e.ID)
		if loaded.Registered != 2 || loaded.Waiting != 2 {
			t.Errorf("counts %d/%d after the second try", loaded.Registered, loaded.Waiting)
		}
		// A waiting one cancels: nobody moves.
		up, err := store.Cancel(ctx, e.ID, users[3])
		if err != nil || up != nil {
			t.Fatalf("waiting cancels: %+v %v", up, err)
		}
		// A confirmed one cancels: the first waiting moves up.
		up, err = store.Cancel(ctx, e.ID, users[1])
		if err != nil || up == nil || up.UserID != users[2] || up.Status != event.Confirmed || up.UserEmail != "d2@x.se" {
			t.Fatalf("moved up %+v, %v; want user %d confirmed", up, err, users[2])
		}
		if _, err := store.Cancel(ctx, e.ID, users[1]); !errs.Is(err, errs.NotFound) {
			t.Errorf("cancel twice: %v", err)
		}
		regs, err := store.Registrations(ctx, e.ID, 10)
		if err != nil || len(regs) != 2 || regs[0].UserID != users[0] || regs[1].UserID != users[2] {
			t.Errorf("registrations %+v %v", regs, err)
		}
	})
}

// TestDB_EventLastPlace: many at once for the last place: exactly one
// gets it, whatever the engine.
func TestDB_EventLastPlace(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		org := searchOrg(t, db, "region-a", account.LevelRegional)
		e := mustEvent(t, db, event.Event{OrganisationID: org, Title: "Masterclass", Audience: event.Public, Capacity: 1, Registration: true})
		users := eventUsers(t, db, 8)
		var wg sync.WaitGroup
		statuses := make([]event.Status, len(users))
		errsAt := make([]error, len(users))
		for i, u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := db.Events().Register(ctx, e.ID, u, time.Now())
				errsAt[i] = err
				if r != nil {
					statuses[i] = r.Status
				}
			}()
		}
		wg.Wait()
		confirmed := 0
		for i, s := range statuses {
			if errsAt[i] != nil {
				t.Fatalf("register %d: %v", i, errsAt[i])
			}
			if s == event.Confirmed {
				confirmed++
			}
		}
		if confirmed != 1 {
			t.Errorf("%d confirmed for one place", confirmed)
		}
	})
}

// TestDB_EventVisibility: the list's SQL and event.CanSee agree, for an
// internal event with a confirmed and an invited co-host, a network event
// and an event of a hidden organiser; search follows the same rule.
func TestDB_EventVisibility(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		orgs := db.Organisations(db.Events().OrganisationsChanged)
		a := searchOrg(t, db, "region-a", account.LevelRegional)
		b := searchOrg(t, db, "region-b", account.LevelRegional)
		c := searchOrg(t, db, "region-c", account.LevelRegional)
		hid, err := orgs.CreateOrganisation(ctx, &account.Organisation{Slug: "dold", Name: "Dold", Kind: account.KindOther, Level: account.LevelLocal})
		if err != nil {
			t.Fatal(err)
		}
		internal := mustEvent(t, db, event.Event{OrganisationID: a, Title: "Intern planeringsdag", Audience: event.Internal}, b, c)
		if err := db.Events().ConfirmHost(ctx, internal.ID, b); err != nil {
			t.Fatal(err)
		}
		network := mustEvent(t, db, event.Event{OrganisationID: a, Title: "Nätverksträff planeringsdag", Audience: event.Network})
		public := mustEvent(t, db, event.Event{OrganisationID: a, Title: "Öppen planeringsdag", Audience: event.Public})
		hidden := mustEvent(t, db, event.Event{OrganisationID: hid, Title: "Dold planeringsdag", Audience: event.Public})

		actor := func(org int64, r account.Role) *account.Actor {
			return &account.Actor{User: &account.User{ID: 99}, Memberships: []account.Membership{{OrganisationID: org, Role: r}}}
		}
		viewers := map[string]*account.Actor{
			"public": nil, "signed-in": {User: &account.User{ID: 98}}, "member-a": actor(a, account.RoleMember),
			"member-b": actor(b, account.RoleMember), "member-c": actor(c, account.RoleMember), "editor-c": actor(c, account.RoleEditor),
			"member-hidden": actor(hid, account.RoleMember), "admin": {User: &account.User{ID: 1, IsAdmin: true}},
		}
		want := map[string][]int64{
			"public":        {public.ID},
			"signed-in":     {network.ID, public.ID},
			"member-a":      {internal.ID, network.ID, public.ID},
			"member-b":      {internal.ID, network.ID, public.ID},
			"member-c":      {network.ID, public.ID},
			"editor-c":      {internal.ID, network.ID, public.ID}, // invited: sees it to confirm
			"member-hidden": {network.ID, public.ID, hidden.ID},
			"admin":         {internal.ID, network.ID, public.ID, hidden.ID},
		}
		all, err := db.Events().ListEvents(ctx, event.ListQuery{Viewer: search.Viewer{All: true}, Limit: 100})
		if err != nil || len(all) != 4 {
			t.Fatalf("all: %d %v", len(all), err)
		}
		for name, a := range viewers {
			evs, err := db.Events().ListEvents(ctx, event.ListQuery{Viewer: account.ViewerOf(a), Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, e := range evs {
				got = append(got, e.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, want[name]) {
				t.Errorf("%s lists %v, want %v", name, got, want[name])
			}
			var seen []int64
			for _, e := range all {
				if event.CanSee(a, &e) {
					seen = append(seen, e.ID)
				}
			}
			slices.Sort(seen)
			if !slices.Equal(seen, want[name]) {
				t.Errorf("%s: CanSee %v, want %v", name, seen, want[name])
			}
		}
		// Search: the confirmed co-host's members find the internal event,
		// the invited one's do not; the hidden organiser's only its members.
		if got := kindHits(t, db, account.ViewerOf(viewers["member-b"]), event.Kind, "planeringsdag"); !slices.Contains(got, internal.ID) {
			t.Errorf("member of B searches: %v", got)
		}
		if got := kindHits(t, db, account.ViewerOf(viewers["member-c"]), event.Kind, "planeringsdag"); slices.Contains(got, internal.ID) {
			t.Errorf("member of the invited C finds the internal event: %v", got)
		}
		if got := kindHits(t, db, search.Viewer{}, event.Kind, "planeringsdag"); !slices.Equal(got, []int64{public.ID}) {
			t.Errorf("the public finds %v", got)
		}
		// The hidden organiser made public: its event becomes public too.
		o, err := orgs.OrganisationBySlug(ctx, "dold")
		if err != nil {
			t.Fatal(err)
		}
		o.Public = true
		if err := orgs.UpdateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		if got := kindHits(t, db, search.Viewer{}, event.Kind, "planeringsdag"); !slices.Contains(got, hidden.ID) {
			t.Errorf("after the organisation went public the public finds %v", got)
		}
	})
}
