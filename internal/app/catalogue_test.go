package app_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/workshop"
)

// TestPages_Catalogue: a page of every area, with data, in Swedish and
// English, shows translated text, never a catalogue key – also the keys
// templates and handlers build at run time (workshop.stage.<key>), which
// the template check cannot see.
func TestPages_Catalogue(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	ctx := context.Background()
	org := ta.mustOrg("org-a", true, "Kontakt A")
	admin := ta.mustUser("admin@framsyn.se", "Admin", true)
	editor := ta.mustUser("editor@a.se", "Redaktör", false)
	ta.mustMember(editor, org, account.RoleAdmin)
	ta.mustWork(ta.actorOf(admin), org.ID, "Verket", library.Public)
	ta.mustPost(admin, org.ID, "En post om scenarier.", post.Public)
	host := &account.Actor{User: editor}
	w, err := ta.Workshops.Create(ctx, host, workshop.Workshop{Title: "Verkstan", FocalQuestion: "Vad händer?", HorizonYear: 2050})
	if err != nil {
		t.Fatal(err)
	}
	ws := fmt.Sprintf("/workshoppar/%d", w.ID)
	sessions := map[string]string{"anonymous": "", "editor": ta.mintSession(editor), "admin": ta.mintSession(admin)}

	// A key is a catalogue prefix, a dot and a lower-case name, in text
	// (not an attribute's value: the board's command kinds look alike).
	var prefixes []string
	for _, k := range i18n.MustLoad().Keys("sv") {
		if p, _, _ := strings.Cut(k, "."); !slices.Contains(prefixes, p) {
			prefixes = append(prefixes, p)
		}
	}
	keyRE := regexp.MustCompile(`(?:^|[^\w./@"-])((?:` + strings.Join(prefixes, "|") + `)\.[a-z_]+(?:\.[a-z_]+)*)\b`)
	pages := []struct{ who, path string }{
		{"anonymous", "/"}, {"anonymous", "/tillganglighet"}, {"anonymous", "/natverket"},
		{"anonymous", "/organisationer"}, {"anonymous", "/organisationer/org-a"}, {"editor", "/organisationer/org-a/redigera"},
		{"editor", "/organisationer/org-a/medlemmar"}, {"admin", "/organisationer/ny"},
		{"anonymous", "/sok?q=verket"}, {"anonymous", "/sok"},
		{"anonymous", "/logga-in"}, {"anonymous", "/glomt-losenord"}, {"anonymous", "/aterstall/bogus"},
		{"editor", "/konto"}, {"admin", "/admin/anvandare"},
		{"editor", "/workshoppar"}, {"editor", ws}, {"editor", ws + "/resultat"}, {"anonymous", "/j/" + w.Code},
		{"anonymous", "/bibliotek/finns-inte"},
	}
	for _, lang := range i18n.Languages {
		for _, p := range pages {
			resp := ta.do(req{method: "GET", path: p.path, session: sessions[p.who], header: map[string]string{"Cookie": "framsyn_lang=" + lang}})
			want := http.StatusOK
			if p.path == "/bibliotek/finns-inte" {
				want = http.StatusNotFound
			}
			body := expect(t, resp, want)
			if m := keyRE.FindStringSubmatch(body); m != nil {
				t.Errorf("%s in %s as %s shows the key %s", p.path, lang, p.who, m[1])
			}
		}
	}
}
