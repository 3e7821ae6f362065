package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the client process too: runServer
// starts this same executable with roleEnv set.
func TestMain(m *testing.M) {
	if os.Getenv(roleEnv) == "load" {
		o, err := parseFlags(os.Args[1:])
		if err == nil {
			err = runLoad(o, os.Getenv(controlEnv), os.Stdout)
		}
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A tiny run of both modes, so the command keeps working; the real runs
// (-n 200, -n 1000) are manual.
func TestSmoke(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want []string
	}{
		{"Load", []string{"-n", "5", "-rate", "20", "-duration", "1500ms"},
			[]string{"fan-out latency p99", "bare loop", "nothing lost or duplicated: met"}},
		{"Restart", []string{"-n", "5", "-rate", "20", "-duration", "1500ms", "-restart", "-honor-retry=false"},
			[]string{"converged", "committed twice 0, acknowledged but missing 0", "nothing lost or duplicated: met"}},
		{"Pages", []string{"-pages", "-n", "5"}, []string{"phone kB", "backcasting", "pages within targets at every stage"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseFlags(tt.args)
			if err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			start := time.Now()
			run := runServer
			if o.pages {
				run = func(o *options, out, _ io.Writer) error { return runPages(o, out) }
			}
			if err := run(o, &out, &errOut); err != nil {
				t.Fatalf("%v\n%s\n%s", err, out.String(), errOut.String())
			}
			t.Logf("in %s:\n%s%s", time.Since(start).Round(time.Millisecond), out.String(), errOut.String())
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q", w)
				}
			}
		})
	}
}
