package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/search"
)

// TestPosts_FollowTheirOrganisation: New wires the rule that a post's
// search document follows its organisation, so a hidden organisation's
// public post is found by the public once the organisation goes public,
// not after it is hidden again, and not after it is deleted.
func TestPosts_FollowTheirOrganisation(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newPostFixture(t, dsn)
		ta := f.ta
		ctx := context.Background()
		admin := ta.mustUser("admin@framsyn.se", "Admin", true)
		p := ta.mustPost(admin, f.b.ID, "Dold nyhet: backcastingen gick bra.", post.Public)
		actor, err := ta.Accounts.SessionActor(ctx, ta.mintSession(admin))
		if err != nil {
			t.Fatal(err)
		}
		hits := func(v search.Viewer) []int64 {
			t.Helper()
			res, err := ta.Stores.Index.Search(ctx, search.Query{Text: "backcastingen", Kinds: []string{post.Kind}, Viewer: v})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, h := range res.Hits {
				ids = append(ids, h.ID)
			}
			return ids
		}
		steps := []struct {
			name   string
			change func() error
			viewer search.Viewer
			want   []int64
		}{
			{"HiddenNotForPublic", func() error { return nil }, search.Viewer{}, nil},
			{"MadePublic", func() error {
				f.b.Public = true
				return ta.Accounts.UpdateOrganisation(ctx, actor, f.b)
			}, search.Viewer{}, []int64{p.ID}},
			{"HiddenAgain", func() error {
				f.b.Public = false
				return ta.Accounts.UpdateOrganisation(ctx, actor, f.b)
			}, search.Viewer{}, nil},
			{"Deleted", func() error { return ta.Accounts.DeleteOrganisation(ctx, actor, f.b.ID) }, account.ViewerOf(actor), nil},
		}
		for _, s := range steps {
			if err := s.change(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got := hits(s.viewer); !slices.Equal(got, s.want) {
				t.Errorf("%s: hits %v, want %v", s.name, got, s.want)
			}
		}
	})
}
