package storage_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/notify"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestDB_BoardSearchFollowsOrganisation: a board post's search document
// follows its organisation's public flag, as internal/app wires the hook:
// a network post of an organisation made hidden is found only by its
// members, and by the network again once the organisation is public.
func TestDB_BoardSearchFollowsOrganisation(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		orgs := db.Organisations(db.Board().OrganisationsChanged)
		o := &account.Organisation{Slug: "region-a", Name: "Region A", Kind: account.KindRegion, Level: account.LevelRegional, Public: true}
		id, err := orgs.CreateOrganisation(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		o.ID = id
		p := &board.Post{OrganisationID: id, Kind: board.Need, Topic: "joint_procurement", Title: "Gemensam upphandling av omvärldsanalys",
			Visibility: board.Network, Status: board.Open, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := db.Board().CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
		network, member := search.Viewer{SignedIn: true}, search.Viewer{SignedIn: true, Members: []int64{id}}
		check := func(when string, wantNetwork []int64) {
			t.Helper()
			if got := kindHits(t, db, network, board.Kind, "upphandling"); !slices.Equal(got, wantNetwork) {
				t.Errorf("%s: the network finds %v, want %v", when, got, wantNetwork)
			}
			if got := kindHits(t, db, member, board.Kind, "upphandling"); !slices.Equal(got, []int64{p.ID}) {
				t.Errorf("%s: a member finds %v", when, got)
			}
		}
		check("public", []int64{p.ID})
		o.Public = false
		if err := orgs.UpdateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		check("hidden", nil)
		o.Public = true
		if err := orgs.UpdateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		check("public again", []int64{p.ID})
	})
}

// TestDB_DeleteUserMovesUpTheWaiting: deleting an account whose owner
// held places moves the first waiting of each event up in the deletion's
// transaction and returns them; a waiting registration of the deleted
// user frees nothing.
func TestDB_DeleteUserMovesUpTheWaiting(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		org := searchOrg(t, db, "region-a", account.LevelRegional)
		full := mustEvent(t, db, event.Event{OrganisationID: org, Title: "Masterclass", Audience: event.Public, Capacity: 1, Registration: true})
		other := mustEvent(t, db, event.Event{OrganisationID: org, Title: "Regiondag", Audience: event.Public, Capacity: 1, Registration: true})
		u := eventUsers(t, db, 4) // 0 leaves; 1 and 2 wait for full; 0 waits for other behind 3
		for _, r := range []struct{ e, u int64 }{{full.ID, u[0]}, {full.ID, u[1]}, {full.ID, u[2]}, {other.ID, u[3]}, {other.ID, u[0]}} {
			if _, err := db.Events().Register(ctx, r.e, r.u, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		up, err := db.Privacy().DeleteUser(ctx, u[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(up) != 1 || up[0].EventID != full.ID || up[0].UserID != u[1] || up[0].Status != event.Confirmed {
			t.Fatalf("moved up: %+v", up)
		}
		for _, c := range []struct {
			e, u int64
			want event.Status
		}{{full.ID, u[1], event.Confirmed}, {full.ID, u[2], event.Waiting}, {other.ID, u[3], event.Confirmed}} {
			r, err := db.Events().Registration(ctx, c.e, c.u)
			if err != nil || r.Status != c.want {
				t.Errorf("event %d user %d: %+v %v, want %s", c.e, c.u, r, err, c.want)
			}
		}
		if r, err := db.Events().Registration(ctx, other.ID, u[0]); err == nil {
			t.Errorf("the deleted user's waiting registration stays: %+v", r)
		}
	})
}

// TestDB_FanOutSeqsWithoutGaps: eight fan-outs at once to the same fifty
// followers (on PostgreSQL, truly at once) give each inbox the seqs 1…8
// once each, in commit order, with no deadlock: the inbox log the live
// stream follows.
func TestDB_FanOutSeqsWithoutGaps(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		users := eventUsers(t, db, 50)
		st := db.Notifications()
		for _, u := range users {
			if err := st.AddFollow(ctx, &notify.Follow{UserID: u, What: notify.FollowKind, Ref: "event"}); err != nil {
				t.Fatal(err)
			}
		}
		const n = 8
		var wg sync.WaitGroup
		errsAt := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errsAt[i] = st.FanOut(ctx, notify.Happening{Kind: "event", RefID: int64(i + 1)}, time.Now())
			}()
		}
		wg.Wait()
		for i, err := range errsAt {
			if err != nil {
				t.Fatalf("fan-out %d: %v", i, err)
			}
		}
		for _, u := range users {
			log, err := st.InboxLog(ctx, u, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			var seqs, refs []int64
			for _, x := range log {
				seqs = append(seqs, x.Seq)
				refs = append(refs, x.RefID)
			}
			slices.Sort(refs)
			if !slices.Equal(seqs, []int64{1, 2, 3, 4, 5, 6, 7, 8}) || !slices.Equal(refs, []int64{1, 2, 3, 4, 5, 6, 7, 8}) {
				t.Fatalf("user %d: seqs %v, refs %v", u, seqs, refs)
			}
			if head, err := st.LastSeq(ctx, u); err != nil || head != n {
				t.Fatalf("user %d: head %d %v", u, head, err)
			}
		}
	})
}
