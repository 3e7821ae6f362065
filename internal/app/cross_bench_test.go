package app_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"syscall"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
)

// processCPU is the CPU time the process has used (user and system), in
// nanoseconds: on a machine shared with other work, wall time per request
// says more of the load than of the page, CPU time per request less so.
func processCPU() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return u.Utime.Nano() + u.Stime.Nano()
}

// BenchmarkCrossLineagePage renders the lineage page of a cross in a tree
// of 500, and the comparison of four crosses of it, fresh: the page cache
// is off, so each request does the work.
func BenchmarkCrossLineagePage(b *testing.B) {
	ta := mustApp(b, sqliteDSN(b), func(c *app.Config) { c.NoPageCache = true })
	org := ta.mustOrg("region-x", true)
	admin := &account.Actor{User: ta.mustUser("admin@x.se", "Admin", true)}
	root, err := ta.Crosses.Create(b.Context(), admin, crossOf(org.ID, "rot", library.Public, cross.StatusPublished))
	if err != nil {
		b.Fatal(err)
	}
	ids := []int64{root.ID}
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 1; i < 500; i++ {
		c := crossOf(org.ID, fmt.Sprint(i), library.Public, cross.StatusPublished)
		c.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Kept}}
		saved, err := ta.Crosses.Derive(b.Context(), admin, ids[rnd.IntN(len(ids))], c)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, saved.ID)
	}
	last := ids[len(ids)-1]
	for _, p := range []string{fmt.Sprintf("/scenariekors/%d/slakttrad", last), fmt.Sprintf("/scenariekors/%d", last),
		fmt.Sprintf("/scenariekors/jamfor?id=%d&id=%d&id=%d&id=%d", ids[100], ids[200], ids[300], last)} {
		b.Run(p, func(b *testing.B) {
			runtime.GC() // the setup's garbage is not the page's
			cpu0 := processCPU()
			for b.Loop() {
				if resp := ta.do(req{method: "GET", path: p}); resp.StatusCode != http.StatusOK {
					b.Fatal(resp.StatusCode)
				}
			}
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
