package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPageCache_Rules: a page is kept under the version read before it
// was made and served while that version holds and for at most
// pageCacheTTL; never a page with a cookie, an error, another route's, a
// signed-in visitor's or one with a cookie but the language.
func TestPageCache_Rules(t *testing.T) {
	version, renders := int64(1), 0
	now := time.Unix(1_000_000, 0)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /organisationer", func(w http.ResponseWriter, r *http.Request) {
		renders++
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "render %d", renders)
	})
	mux.HandleFunc("GET /sok", func(w http.ResponseWriter, r *http.Request) {
		renders++
		http.SetCookie(w, &http.Cookie{Name: "x", Value: "y"})
		fmt.Fprintf(w, "render %d", renders)
	})
	mux.HandleFunc("GET /bibliotek", func(w http.ResponseWriter, r *http.Request) {
		renders++
		http.Error(w, fmt.Sprintf("render %d", renders), http.StatusInternalServerError)
	})
	mux.HandleFunc("GET /konto", func(w http.ResponseWriter, r *http.Request) {
		renders++
		fmt.Fprintf(w, "render %d", renders)
	})
	c := newPageCache(func(context.Context) (int64, error) { return version, nil },
		func(r *http.Request) string { _, p := mux.Handler(r); return p })
	c.now = func() time.Time { return now }
	h := c.wrap(mux)
	get := func(path string, header ...string) string {
		r := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Body.String()
	}
	steps := []struct {
		name, path string
		header     []string
		advance    time.Duration
		bump       bool
		want       string
	}{
		{name: "first", path: "/organisationer", want: "render 1"},
		{name: "kept", path: "/organisationer", want: "render 1"},
		{name: "query is another page", path: "/organisationer?q=a", want: "render 2"},
		{name: "kept too", path: "/organisationer?q=a", want: "render 2"},
		{name: "English", path: "/organisationer", header: []string{"Cookie", "framsyn_lang=en"}, want: "render 3"},
		{name: "Swedish still kept", path: "/organisationer", advance: pageCacheTTL - time.Millisecond, want: "render 1"},
		{name: "expired", path: "/organisationer", advance: time.Millisecond, want: "render 4"},
		{name: "written", path: "/organisationer", bump: true, want: "render 5"},
		{name: "kept under the new version", path: "/organisationer", want: "render 5"},
		{name: "a session cookie", path: "/organisationer", header: []string{"Cookie", "framsyn_session=abc"}, want: "render 6"},
		{name: "a flash", path: "/organisationer", header: []string{"Cookie", "framsyn_lang=sv; framsyn_flash=k"}, want: "render 7"},
		{name: "a token", path: "/organisationer", header: []string{"Authorization", "Bearer x"}, want: "render 8"},
		{name: "Set-Cookie", path: "/sok", want: "render 9"},
		{name: "Set-Cookie not kept", path: "/sok", want: "render 10"},
		{name: "error", path: "/bibliotek", want: "render 11\n"},
		{name: "error not kept", path: "/bibliotek", want: "render 12\n"},
		{name: "another route", path: "/konto", want: "render 13"},
		{name: "another route not kept", path: "/konto", want: "render 14"},
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		if s.bump {
			version++
		}
		if got := get(s.path, s.header...); got != s.want {
			t.Errorf("%s: %s = %q, want %q", s.name, s.path, got, s.want)
		}
	}
}

// TestPageCache_Bounded: the kept pages together stay within
// pageCacheMaxBytes, and a page larger than pageCacheMaxPage is not kept.
func TestPageCache_Bounded(t *testing.T) {
	body := make([]byte, pageCacheMaxPage/2)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sok", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("big") != "" {
			w.Write(make([]byte, pageCacheMaxPage+1))
			return
		}
		w.Write(body)
	})
	c := newPageCache(func(context.Context) (int64, error) { return 1, nil },
		func(r *http.Request) string { _, p := mux.Handler(r); return p })
	h := c.wrap(mux)
	for i := range 3 * pageCacheMaxBytes / len(body) {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", fmt.Sprintf("/sok?q=%d", i), nil))
		if c.bytes > pageCacheMaxBytes {
			t.Fatalf("after %d pages: %d bytes kept, over %d", i+1, c.bytes, pageCacheMaxBytes)
		}
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/sok?big=1", nil))
	if _, kept := c.pages["sv /sok?big=1"]; kept {
		t.Error("a page over pageCacheMaxPage was kept")
	}
}

// TestPageCache_OneMakes: requests that miss together wait for the one
// making the page rather than each making it.
func TestPageCache_OneMakes(t *testing.T) {
	var renders atomic.Int32
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /organisationer", func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		<-release
		fmt.Fprint(w, "the page")
	})
	c := newPageCache(func(context.Context) (int64, error) { return 1, nil },
		func(r *http.Request) string { _, p := mux.Handler(r); return p })
	h := c.wrap(mux)
	var wg sync.WaitGroup
	bodies := make([]string, 8)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "/organisationer", nil))
			bodies[i] = w.Body.String()
		}()
	}
	for renders.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the others arrive and wait
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("%d requests missing together made the page %d times, want 1", len(bodies), n)
	}
	for i, b := range bodies {
		if b != "the page" {
			t.Errorf("request %d got %q", i, b)
		}
	}
}
