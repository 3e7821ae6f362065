package ui

import (
	"context"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/workshop"
)

// ResultsPublisher publishes a workshop's results somewhere outside the
// workshop. The library work is the one built; publishing the cross as a
// scenario cross (a later issue) is another implementation of this seam,
// added to resultsPublishers.
type ResultsPublisher interface {
	PublishResults(ctx context.Context, a *account.Actor, orgID int64, w *workshop.Workshop, r *workshop.Results,
		t func(string, ...any) string, vis library.Visibility) (*library.Work, error)
}

// libraryPublisher makes the results a library work: workshop
// documentation with the results as Markdown.
type libraryPublisher struct{ lib *library.Service }

func (l libraryPublisher) PublishResults(ctx context.Context, a *account.Actor, orgID int64, w *workshop.Workshop,
	r *workshop.Results, t func(string, ...any) string, vis library.Visibility) (*library.Work, error) {
	if vis == "" {
		vis = library.Organisation
	}
	summary := t("workshop.publish.summary", r.Question, strconv.Itoa(r.People))
	work := &library.Work{Type: library.TypeWorkshopDoc, Title: r.Title, Summary: summary, BodyMD: r.Markdown(t),
		OrganisationID: orgID, HorizonYear: r.Horizon, Methods: []string{t("workshop.publish.method")},
		Date: time.Now().UTC(), Visibility: vis}
	return l.lib.Create(ctx, a, work)
}

func publishResults(ctx context.Context, lib *library.Service, a *account.Actor, orgID int64, w *workshop.Workshop,
	r *workshop.Results, t func(string, ...any) string, vis library.Visibility) (*library.Work, error) {
	return libraryPublisher{lib}.PublishResults(ctx, a, orgID, w, r, t, vis)
}
