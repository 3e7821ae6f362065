// Command workshop measures the digital workshop's real-time path: N
// participants follow one workshop over server-sent events on real HTTP
// connections while they post notes, ratings and votes, and the same
// clients then follow a bare in-memory broadcast loop (goroutine per
// client, channel fan-out, the same SSE framing, no database) in the same
// run, so the ratio shows (targets W1–W5 in ../shared/research/performance.md).
//
//	go run ./bench/workshop -n 200                  # SQLite in a temp dir
//	go run ./bench/workshop -n 1000 -rate 20
//	go run ./bench/workshop -n 200 -restart         # graceful restart with 200 connected
//	go run ./bench/workshop -n 200 -restart -hard   # every connection dropped at once
//	go run ./bench/workshop -n 200 -db 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
//	go run ./bench/workshop -n 200 -cpuprofile cpu.out   # profiles framsyn's first round
//	go run ./bench/workshop -n 200 -mercure /path/to/mercure  # and a Mercure hub with bolt history
//	go run ./bench/workshop -pages -n 200 -chromium /usr/bin/chromium  # the pages (see pages.go)
//
// The servers (framsyn's whole app handler and the bare loop) run in this
// process; the clients run in a child process (this binary again), so the
// memory per connection is the server's alone: heap in use after a GC
// plus goroutine stacks, before and after N idle connections.
//
// Each process needs a file descriptor per connection (N+ a few); Go
// raises the soft limit to the hard one at start, and the run stops with
// a message when the hard limit (ulimit -Hn) is below N+100.
package main

import (
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"
)

type options struct {
	n          int
	rate       float64
	duration   time.Duration
	db         string
	restart    bool
	hard       bool
	bare       bool
	honorRetry bool
	cpuProfile string
	seed       uint64
	pages      bool   // measure the workshop's pages (pages.go)
	chromium   string // with pages: the browser for the projector and screenshots
	shots      string // with pages and chromium: save screenshots here
	save       string // with pages: save each stage's pages (HTML) here
	rounds     int    // the load's rounds, the targets in alternation
	mercure    string // a Mercure binary to load beside the others
}

func parseFlags(args []string) (*options, error) {
	fs := flag.NewFlagSet("workshop", flag.ContinueOnError)
	o := &options{}
	fs.IntVar(&o.n, "n", 200, "participants following the workshop (the facilitator and n-1 guests), at most 1000")
	fs.Float64Var(&o.rate, "rate", 20, "commands per second, all participants together (open loop)")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long each target is loaded")
	fs.StringVar(&o.db, "db", "", "postgres://… to run on PostgreSQL (a scratch database is made and dropped); default SQLite in a temp dir")
	fs.BoolVar(&o.restart, "restart", false, "restart the server with every client connected and measure convergence (framsyn only)")
	fs.BoolVar(&o.hard, "hard", false, "with -restart: drop every connection at once, as a crash does, instead of shutting down gracefully")
	fs.BoolVar(&o.bare, "bare", true, "also load the bare in-memory broadcast loop")
	fs.BoolVar(&o.honorRetry, "honor-retry", true, "clients wait the server's retry: time before reconnecting, as browsers do")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the server during framsyn's first round, its allocations to FILE.allocs (since the start; FILE.allocs.base is the start of the round, for pprof -base)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the load's random choices")
	fs.BoolVar(&o.pages, "pages", false, "measure the pages instead: phone page weight and DOM size, facilitator and projector render time at every stage (n participants, 2n notes)")
	fs.StringVar(&o.chromium, "chromium", "", "with -pages: Chromium's path, to measure post → projector with 40 guests (or take screenshots with -shots)")
	fs.StringVar(&o.shots, "shots", "", "with -pages and -chromium: save screenshots of the projector and a phone at every stage in this directory")
	fs.StringVar(&o.save, "save", "", "with -pages: save the phone's, facilitator's and projector's HTML at every stage in this directory")
	fs.IntVar(&o.rounds, "rounds", 5, "split -duration into this many rounds per target, run in alternation (framsyn, bare, then bare, framsyn…); ratios are the median of the rounds'")
	fs.StringVar(&o.mercure, "mercure", "", "path of a Mercure hub binary (github.com/dunglas/mercure/caddy/mercure) to start with bolt history and load beside the others")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.n < 2 || o.n > 1000 {
		return nil, fmt.Errorf("-n must be 2…1000 (a workshop holds at most 1000 participants)")
	}
	if o.rounds < 1 {
		return nil, fmt.Errorf("-rounds must be at least 1")
	}
	if o.rate <= 0 || o.duration <= 0 {
		return nil, fmt.Errorf("-rate and -duration must be positive")
	}
	return o, nil
}

// roleEnv, when set, makes this binary the client process; controlEnv
// holds the server process's control URL.
const (
	roleEnv    = "FRAMSYN_BENCH_WORKSHOP_ROLE"
	controlEnv = "FRAMSYN_BENCH_WORKSHOP_CONTROL"
)

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := checkFiles(o.n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if os.Getenv(roleEnv) == "load" {
		err = runLoad(o, os.Getenv(controlEnv), os.Stdout)
	} else if o.pages {
		err = runPages(o, os.Stdout)
	} else {
		err = runServer(o, os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/workshop:", err)
		os.Exit(1)
	}
}

// checkFiles makes sure the process may hold n connections and some.
func checkFiles(n int) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return nil
	}
	need := uint64(n + 100)
	if lim.Cur < need && lim.Max >= need {
		lim.Cur = need
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
		_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	if lim.Cur < need {
		return fmt.Errorf("open-file limit %d is below %d: raise it (ulimit -n %d, or LimitNOFILE= in a unit)", lim.Cur, need, need)
	}
	return nil
}
