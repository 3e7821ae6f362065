package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// vnuJar returns the Nu Html Checker's vnu.jar: FRAMSYN_VNU_JAR (CI sets
// it: `npm install --no-save --prefix /tmp/vnu vnu-jar`, then
// /tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar), and java.
func vnuJar(t *testing.T) (java, jar string) {
	t.Helper()
	jar = os.Getenv("FRAMSYN_VNU_JAR")
	if jar == "" {
		skipOrFail(t, "FRAMSYN_VNU_JAR not set: npm install --no-save --prefix /tmp/vnu vnu-jar and point it at build/dist/vnu.jar")
	}
	if _, err := os.Stat(jar); err != nil {
		skipOrFail(t, fmt.Sprintf("vnu.jar: %v", err))
	}
	java, err := exec.LookPath("java")
	if err != nil {
		skipOrFail(t, "java not found: apt-get install default-jre-headless")
	}
	return java, jar
}

// vnuMessage is one message of the checker's JSON output.
type vnuMessage struct {
	Type, SubType, URL, Message, Extract string
	LastLine                             int
}

// TestValidHTML_Crawl is issue 21 item 17: every page reachable from the
// front page, signed out and signed in as an editor, passes the Nu Html
// Checker without an error.
func TestValidHTML_Crawl(t *testing.T) {
	t.Parallel()
	java, jar := vnuJar(t)
	s := mustSite(t)
	dir := t.TempDir()
	files := map[string]string{} // file name -> role and page
	var args []string
	for _, role := range crawlRoles {
		session := ""
		if role.email != "" {
			session = s.mustSession(t, role.email)
		}
		pages := crawl(t, s, session)
		t.Logf("%s: %d pages:%s", role.name, len(pages), pageNames(pages))
		for i, p := range pages {
			name := filepath.Join(dir, fmt.Sprintf("%s-%03d.html", strings.ToLower(role.name), i))
			if err := os.WriteFile(name, p.Body, 0o600); err != nil {
				t.Fatal(err)
			}
			files["file:"+name] = role.name + " " + p.URL
			args = append(args, name)
		}
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), java, append([]string{"-Xss4m", "-jar", jar, "--errors-only", "--format", "json"}, args...)...)
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	var out struct{ Messages []vnuMessage }
	if err := json.Unmarshal(stderr.Bytes(), &out); err != nil {
		t.Fatalf("vnu: %v (%v): %s", err, runErr, stderr.String())
	}
	for _, m := range out.Messages {
		if m.Type != "error" && m.Type != "non-document-error" {
			continue
		}
		where := files[m.URL]
		if where == "" {
			where = m.URL
		}
		t.Errorf("%s, line %d: %s\n    %s", where, m.LastLine, m.Message, strings.TrimSpace(m.Extract))
	}
	if runErr != nil && !t.Failed() {
		t.Errorf("vnu: %v: %s", runErr, stderr.String())
	}
}

// TestAccessibility_AxeCrawl runs axe-core over every page reachable from
// the front page, signed out and signed in as an editor, in Swedish
// (TestAccessibility_Axe covers English and the states of forms).
func TestAccessibility_AxeCrawl(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	s := mustSite(t)
	ctx := mustBrowserFor(t, 10*time.Minute)
	injectAxe(t, ctx, axe)
	setLang(t, ctx, s, "sv")
	for _, role := range crawlRoles {
		t.Run(role.name, func(t *testing.T) {
			session := ""
			if role.email != "" {
				session = s.mustSession(t, role.email)
				setCookie(t, ctx, s, s.Config.SessionCookie(), session)
			}
			for _, p := range crawl(t, s, session) {
				open(t, ctx, s.URL+p.URL, 200)
				r := get(t, ctx, chromedp.Evaluate[axeResult](runAxe, chromedp.EvalAwaitPromise))
				if r.Passes == 0 {
					t.Fatalf("%s: axe passed no rule: it did not run", p.URL)
				}
				for _, v := range r.Violations {
					var b strings.Builder
					fmt.Fprintf(&b, "%s: %s (%s): %s\n    %s", p.URL, v.ID, v.Impact, v.Help, v.HelpURL)
					for _, n := range v.Nodes {
						fmt.Fprintf(&b, "\n    - %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
					}
					t.Error(b.String())
				}
			}
		})
	}
}
