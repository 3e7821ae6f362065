package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
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

// The median of the rounds' ratios is what the report judges by.
func TestMedian(t *testing.T) {
	for _, tt := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// A follower of a log (framsyn, the bare loop) counts an id at or below
// its last as a duplicate; one of Mercure (loose: the publishers' ids in
// the hub's order) records a late id and counts only a repeat.
func TestFollowerRecord(t *testing.T) {
	for _, tt := range []struct {
		name             string
		loose            bool
		seqs             []int64
		got, dups, order int
	}{
		{"log in order", false, []int64{1, 2, 3}, 3, 0, 0},
		{"log repeat", false, []int64{1, 2, 2, 3}, 3, 1, 0},
		{"log late id lost", false, []int64{2, 1, 3}, 2, 1, 1},
		{"hub late id kept", true, []int64{2, 1, 3}, 3, 0, 2},
		{"hub repeat", true, []int64{1, 2, 1}, 2, 1, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := &follower{loose: tt.loose}
			for _, s := range tt.seqs {
				f.record(s)
			}
			if int(f.got.Load()) != tt.got || f.dups != tt.dups || f.outOfOrder != tt.order {
				t.Errorf("got %d, dups %d, out of order %d; want %d, %d, %d", f.got.Load(), f.dups, f.outOfOrder, tt.got, tt.dups, tt.order)
			}
		})
	}
}

// The publisher token is an HS256 JWT the hub can check with its key.
func TestMercureToken(t *testing.T) {
	tok := mercureToken("k")
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q", tok)
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || string(body) != `{"mercure":{"publish":["*"]}}` {
		t.Fatalf("claims %q, %v", body, err)
	}
	mac := hmac.New(sha256.New, []byte("k"))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if base64.RawURLEncoding.EncodeToString(mac.Sum(nil)) != parts[2] {
		t.Fatal("signature does not match the key")
	}
}
