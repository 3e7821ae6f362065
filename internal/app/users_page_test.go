package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/workshop"
)

// TestAdminUsers_Paged: the platform admin's user list shows 50 a page,
// with links on, and the reset link finds a user on any page.
func TestAdminUsers_Paged(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	admin := ta.mustUser("admin@example.se", "Admin", true)
	s := ta.mintSession(admin)
	var last int64
	for i := range 60 {
		u := &account.User{Email: fmt.Sprintf("u%02d@example.se", i), Name: fmt.Sprintf("Användare %02d", i)}
		id, err := ta.Stores.Accounts.CreateUser(context.Background(), u, "x")
		if err != nil {
			t.Fatal(err)
		}
		last = id
	}
	rows := regexp.MustCompile(`<form method="post" action="/admin/anvandare/\d+"`)
	first := readBody(t, ta.do(req{method: "GET", path: "/admin/anvandare", session: s}))
	if n := len(rows.FindAllString(first, -1)); n != 50 {
		t.Fatalf("first page: %d users, want 50", n)
	}
	next := nextLink.FindStringSubmatch(first)
	if next == nil {
		t.Fatal("no link to the next page")
	}
	second := readBody(t, ta.do(req{method: "GET", path: html.UnescapeString(next[1]), session: s}))
	if n := len(rows.FindAllString(second, -1)); n != 11 || !strings.Contains(second, `rel="prev"`) || nextLink.MatchString(second) {
		t.Errorf("second page: %d users (want 11), or wrong links", n)
	}
	resp := ta.do(req{method: "POST", path: fmt.Sprintf("/admin/anvandare/%d/aterstallning", last), session: s})
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, "/aterstall/") {
		t.Errorf("reset link for a user on the second page: %d", resp.StatusCode)
	}
}

// TestWorkshopsAPI_Paged: one's workshops come in pages of limit, the
// next page by the cursor given.
func TestWorkshopsAPI_Paged(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	u := ta.mustUser("fia@example.se", "Fia", false)
	s := ta.mintSession(u)
	for i := range 3 {
		if _, err := ta.Workshops.Create(context.Background(), ta.actorOf(u), workshop.Workshop{Title: fmt.Sprintf("Verkstad %d", i),
			FocalQuestion: "Hur ser det ut 2050?", HorizonYear: 2050, Template: "scenario-cross"}); err != nil {
			t.Fatal(err)
		}
	}
	var page struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
		Next *string `json:"next"`
	}
	decode(t, ta.do(req{method: "GET", path: "/api/v1/workshops?limit=2", session: s}), http.StatusOK, &page)
	if len(page.Items) != 2 || page.Next == nil || page.Items[0].Title != "Verkstad 2" {
		t.Fatalf("first page %+v", page)
	}
	decode(t, ta.do(req{method: "GET", path: "/api/v1/workshops?limit=2&cursor=" + *page.Next, session: s}), http.StatusOK, &page)
	if len(page.Items) != 1 || page.Next != nil || page.Items[0].Title != "Verkstad 0" {
		t.Fatalf("second page %+v", page)
	}
	if resp := ta.do(req{method: "GET", path: "/api/v1/workshops?cursor=x", session: s}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad cursor: %d", resp.StatusCode)
	}
}
