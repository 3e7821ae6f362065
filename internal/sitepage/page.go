// Package sitepage holds the pages a public service has beside its areas:
// about framsyn, contact, personal data (GDPR art. 13) and cookies. Each
// has a text shipped with framsyn per language, which platform admins may
// replace; the stored text wins.
package sitepage

import (
	"context"
	"embed"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
)

// Slugs are the pages, as their paths name them (/om, /kontakt, …), in
// the order the footer lists them.
var Slugs = []string{"om", "kontakt", "personuppgifter", "kakor"}

// Limits of a page's text.
const (
	MaxTitleLen = 200
	MaxBodyLen  = 50000
)

// Page is one page in one language; Body is Markdown.
type Page struct {
	Slug, Lang  string
	Title, Body string
	UpdatedAt   time.Time // zero for the text shipped with framsyn
	UpdatedBy   string    // the admin's name
}

// Store keeps the pages admins have edited.
type Store interface {
	// SitePage returns the stored page, or an errs.NotFound error when
	// none is stored.
	SitePage(ctx context.Context, slug, lang string) (*Page, error)
	// PutSitePage stores p, replacing its slug and language's page.
	PutSitePage(ctx context.Context, p Page) error
}

//go:embed defaults/*.md
var defaults embed.FS

// Default returns the page shipped with framsyn: defaults/<slug>.<lang>.md,
// its first line the title ("# Om framsyn").
func Default(slug, lang string) (*Page, error) {
	b, err := defaults.ReadFile("defaults/" + slug + "." + lang + ".md")
	if err != nil {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	title, body, _ := strings.Cut(string(b), "\n")
	return &Page{Slug: slug, Lang: lang, Title: strings.TrimSpace(strings.TrimPrefix(title, "# ")), Body: strings.TrimSpace(body)}, nil
}

// Service reads and edits the pages.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service over store.
func NewService(store Store) *Service { return &Service{store: store, now: time.Now} }

// Page returns the page of slug in lang: the stored one, else the one
// shipped. NotFound for a slug that is not a page.
func (s *Service) Page(ctx context.Context, slug, lang string) (*Page, error) {
	if !slices.Contains(Slugs, slug) || !i18n.Supported(lang) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	p, err := s.store.SitePage(ctx, slug, lang)
	if errs.KindOf(err) == errs.NotFound {
		return Default(slug, lang)
	}
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("sitepage: %w", err))
	}
	return p, nil
}

// Put stores a page's new text. Only platform admins may; the title is
// required and both are bounded (errs.Fields "title", "body").
func (s *Service) Put(ctx context.Context, a *account.Actor, p Page) error {
	if !a.IsAdmin() {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if !slices.Contains(Slugs, p.Slug) || !i18n.Supported(p.Lang) {
		return errs.E(errs.NotFound, "error.not_found")
	}
	p.Title, p.Body = strings.TrimSpace(p.Title), strings.TrimSpace(p.Body)
	f := errs.Fields{}
	switch {
	case p.Title == "":
		f["title"] = "sitepage.title_required"
	case utf8.RuneCountInString(p.Title) > MaxTitleLen:
		f["title"] = "sitepage.title_too_long"
	}
	if utf8.RuneCountInString(p.Body) > MaxBodyLen {
		f["body"] = "sitepage.body_too_long"
	}
	if len(f) > 0 {
		return f.Err()
	}
	p.UpdatedAt, p.UpdatedBy = s.now(), a.User.Name
	if err := s.store.PutSitePage(ctx, p); err != nil {
		return errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("sitepage: put %s: %w", p.Slug, err))
	}
	return nil
}
