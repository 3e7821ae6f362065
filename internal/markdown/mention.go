package markdown

import (
	"bytes"
	"html/template"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Person is whom a handle names, for rendering a mention.
type Person struct{ Name string }

// Handles are what account.ValidHandle allows; the markdown package
// keeps its own copy of the rule to stay free of the account package.
const minHandle, maxHandle = 3, 30

func handleByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

var mentionKey = parser.NewContextKey()

// mentionState is a conversion's mentions: the known people to render,
// or (collect) a list to fill with every handle written.
type mentionState struct {
	known   map[string]Person
	collect bool
	found   []string
}

// mentionParser reads "@handle" in inline text: goldmark gives it no
// code span, code block or autolink, so a mention there stays text; it
// skips one inside a link's text and one after a word character (an
// e-mail address) too.
type mentionParser struct{}

func (mentionParser) Trigger() []byte { return []byte{'@'} }

func (mentionParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	st, _ := pc.Get(mentionKey).(*mentionState)
	if st == nil || pc.IsInLinkLabel() {
		return nil
	}
	if p := block.PrecendingCharacter(); unicode.IsLetter(p) || unicode.IsDigit(p) || strings.ContainsRune("._-@/+", p) {
		return nil
	}
	line, _ := block.PeekLine()
	n := 1
	for n < len(line) && n <= maxHandle+1 && handleByte(lower(line[n])) {
		n++
	}
	h := strings.ToLower(string(line[1:n]))
	if len(h) < minHandle || len(h) > maxHandle {
		return nil
	}
	if st.collect {
		if !slices.Contains(st.found, h) {
			st.found = append(st.found, h)
		}
		return nil
	}
	p, ok := st.known[h]
	if !ok {
		return nil // an unknown handle stays plain text
	}
	block.Advance(n)
	return &mentionNode{Handle: h, Name: p.Name}
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

var kindMention = ast.NewNodeKind("Mention")

type mentionNode struct {
	ast.BaseInline
	Handle, Name string
}

func (n *mentionNode) Kind() ast.NodeKind { return kindMention }

func (n *mentionNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Handle": n.Handle}, nil)
}

type mentionRenderer struct{}

func (mentionRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMention, func(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			m := node.(*mentionNode)
			_, _ = w.WriteString(`<span class="mention" title="@` + template.HTMLEscapeString(m.Handle) + `">@` + template.HTMLEscapeString(m.Name) + `</span>`)
		}
		return ast.WalkSkipChildren, nil
	})
}

// mentionClass is the one class the sanitiser lets through, on spans.
var mentionClass = regexp.MustCompile(`^mention$`)

// Mentions lists the handles src @mentions, lower-cased, each once, in
// the order written; none from code, links or e-mail addresses.
func Mentions(src string) []string {
	st := &mentionState{collect: true}
	pc := parser.NewContext()
	pc.Set(mentionKey, st)
	md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
	return st.found
}

// HTMLWith renders src as HTML with the mentions of known handles as
// the person's name (a span the sanitiser keeps); unknown handles stay
// text. Without known handles it is HTML.
func HTMLWith(src string, known map[string]Person) template.HTML {
	if len(known) == 0 {
		return HTML(src)
	}
	keys := make([]string, 0, len(known))
	for h := range known {
		keys = append(keys, h)
	}
	slices.Sort(keys)
	var key strings.Builder
	key.WriteString(src)
	for _, h := range keys {
		key.WriteString("\x00" + h + "\x01" + known[h].Name)
	}
	return cached(key.String(), func() template.HTML {
		pc := parser.NewContext()
		pc.Set(mentionKey, &mentionState{known: known})
		var buf bytes.Buffer
		if err := md.Convert([]byte(src), &buf, parser.WithContext(pc)); err != nil {
			return template.HTML(template.HTMLEscapeString(src))
		}
		return template.HTML(policy.SanitizeBytes(buf.Bytes())) //nolint:gosec // sanitised here
	})
}
