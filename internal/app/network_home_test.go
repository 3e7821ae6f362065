package app_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/paths"
)

// TestNetwork_FrontAndOrganisationPages: the front page's news and an
// organisation's page list its coming events, board posts and (for the
// signed in, as their directory) facilitators, each as the viewer may
// see them: an internal event and a network post never reach the public.
func TestNetwork_FrontAndOrganisationPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		ta := mustApp(t, dsn)
		a := ta.mustOrg("region-a", true)
		ed := ta.mustUser("ed@a.se", "Redaktör A", false)
		ta.mustMember(ed, a, account.RoleEditor)
		fac := ta.mustUser("fac@a.se", "Processledare Pia", false)
		ta.mustMember(fac, a, account.RoleMember)
		ta.mustProfile(fac, a.ID, []string{"scenario_cross"}, "13")
		ta.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Öppen regiondag", Audience: event.Public})
		ta.mustEvent(ed, event.Event{OrganisationID: a.ID, Title: "Intern planeringsdag", Audience: event.Internal})
		pub := ta.mustBoardPost(ed, a.ID, "share_data", board.Public)
		net := ta.mustBoardPost(ed, a.ID, "joint_procurement", board.Network)
		other := ta.mustUser("other@x.se", "Annan", false)
		sOther, sEd := ta.mintSession(other), ta.mintSession(ed)
		for _, c := range []struct {
			name, path, session string
			want, not           []string
		}{
			{"FrontPublic", "/", "", []string{"Öppen regiondag", `/natverket/samarbeten/` + strconv.FormatInt(pub.ID, 10)}, []string{"Intern planeringsdag", `/natverket/samarbeten/` + strconv.FormatInt(net.ID, 10), "Processledare Pia"}},
			{"FrontSignedIn", "/", sOther, []string{"Öppen regiondag", `/natverket/samarbeten/` + strconv.FormatInt(net.ID, 10), "Processledare Pia"}, []string{"Intern planeringsdag"}},
			{"FrontMember", "/", sEd, []string{"Intern planeringsdag"}, nil},
			{"OrgPublic", paths.Organisation(a.Slug), "", []string{"Öppen regiondag", `/natverket/samarbeten/` + strconv.FormatInt(pub.ID, 10)}, []string{"Intern planeringsdag", "Processledare Pia"}},
			{"OrgSignedIn", paths.Organisation(a.Slug), sOther, []string{"Processledare Pia", `/natverket/samarbeten/` + strconv.FormatInt(net.ID, 10)}, []string{"Intern planeringsdag"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				page := expect(t, ta.do(req{method: "GET", path: c.path, session: c.session}), http.StatusOK)
				for _, w := range c.want {
					if !strings.Contains(page, w) {
						t.Errorf("lacks %q", w)
					}
				}
				for _, n := range c.not {
					if strings.Contains(page, n) {
						t.Errorf("shows %q", n)
					}
				}
			})
		}
	})
}
