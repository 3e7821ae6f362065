package library

import (
	"context"

	"github.com/framsyn/framsyn/internal/account"
)

// Documentation is what another area publishes to the library as the
// record of something done: a workshop's results, later a scenario cross
// or an analysis. The area writes the text; the library keeps it as a work.
type Documentation struct {
	OrganisationID int64
	Title, Summary string
	BodyMD         string
	HorizonYear    int
	Method         string     // the method used, shown among the work's methods
	Visibility     Visibility // "" for the organisation only
}

// PublishDocumentation makes d a workshop documentation work of its
// organisation, dated today, with the permissions of Create.
func (s *Service) PublishDocumentation(ctx context.Context, a *account.Actor, d Documentation) (*Work, error) {
	if d.Visibility == "" {
		d.Visibility = Organisation
	}
	w := &Work{Type: TypeWorkshopDoc, Title: d.Title, Summary: d.Summary, BodyMD: d.BodyMD,
		OrganisationID: d.OrganisationID, HorizonYear: d.HorizonYear, Date: s.now().UTC(), Visibility: d.Visibility}
	if d.Method != "" {
		w.Methods = []string{d.Method}
	}
	return s.Create(ctx, a, w)
}
