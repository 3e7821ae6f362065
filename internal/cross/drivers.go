package cross

import (
	"context"
	"slices"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/workshop"
)

// An axis may name the drivers of a workshop it stands on: notes of one
// workshop (Cross.DriverWorkshopID, Axis.DriverIDs). Only those who take
// part in the workshop see its drivers, so a cross shows them, and names
// the workshop, only to them; the ids travel with the cross (API, export,
// revisions) like its WorkshopID, and say nothing of the workshop.

// Workshops is what crosses read of workshops to link axes to their
// drivers (*workshop.Service).
type Workshops interface {
	// Workshops lists limit of the workshops a takes part in, newest
	// first, from offset.
	Workshops(ctx context.Context, a *account.Actor, offset, limit int) ([]workshop.Workshop, error)
	// Drivers returns the workshop id and its drivers as a sees them;
	// Forbidden or NotFound when a may not see it.
	Drivers(ctx context.Context, a *account.Actor, id int64) (*workshop.Workshop, []workshop.Driver, error)
}

// SetWorkshops gives the service the workshops whose drivers axes link
// to; without it a cross links to none.
func (s *Service) SetWorkshops(w Workshops) { s.workshops = w }

// MaxDriverWorkshops bounds the workshops the editor chooses from.
const MaxDriverWorkshops = 50

// LinkedDrivers are a cross's drivers as one viewer sees them.
type LinkedDrivers struct {
	Workshop *workshop.Workshop
	X, Y     []workshop.Driver // the drivers still on the board, in the cross's order
}

// Axis returns the drivers of axis "x" or "y".
func (l *LinkedDrivers) Axis(name string) []workshop.Driver {
	if name == "y" {
		return l.Y
	}
	return l.X
}

// Linked returns the drivers c's axes link to as a sees them, or nil when
// it links to none or a may not see the workshop: nothing then names the
// workshop or its drivers.
func (s *Service) Linked(ctx context.Context, a *account.Actor, c *Cross) (*LinkedDrivers, error) {
	if !c.HasDrivers() || s.workshops == nil || !a.SignedIn() {
		return nil, nil
	}
	w, drivers, err := s.workshops.Drivers(ctx, a, c.DriverWorkshopID)
	if err != nil {
		if k := errs.KindOf(err); k == errs.Forbidden || k == errs.NotFound {
			return nil, nil
		}
		return nil, err
	}
	l := &LinkedDrivers{Workshop: w}
	pick := func(ids []int64) []workshop.Driver {
		var out []workshop.Driver
		for _, id := range ids {
			if i := slices.IndexFunc(drivers, func(d workshop.Driver) bool { return d.ID == id }); i >= 0 {
				out = append(out, drivers[i])
			}
		}
		return out
	}
	l.X, l.Y = pick(c.X.DriverIDs), pick(c.Y.DriverIDs)
	return l, nil
}

// DriverChoice is what the editor picks drivers from: the workshops a
// takes part in, and the drivers of the one chosen (nil when none is, or
// a may not see it).
type DriverChoice struct {
	Workshops []workshop.Workshop
	Chosen    *workshop.Workshop
	Drivers   []workshop.Driver
}

// DriverChoices returns the workshops a may link drivers from and the
// drivers of workshopID (0: none).
func (s *Service) DriverChoices(ctx context.Context, a *account.Actor, workshopID int64) (*DriverChoice, error) {
	ch := &DriverChoice{}
	if s.workshops == nil || !a.SignedIn() {
		return ch, nil
	}
	var err error
	if ch.Workshops, err = s.workshops.Workshops(ctx, a, 0, MaxDriverWorkshops); err != nil {
		return nil, err
	}
	if workshopID > 0 {
		w, ds, err := s.workshops.Drivers(ctx, a, workshopID)
		switch k := errs.KindOf(err); {
		case err == nil:
			ch.Chosen, ch.Drivers = w, ds
		case k != errs.Forbidden && k != errs.NotFound:
			return nil, err
		}
	}
	return ch, nil
}

// checkDrivers refuses links of c that a may not make: each driver must
// be one of the workshop's as a sees it. Links that trusted crosses
// already have (the cross as stored, the parent derived from, the
// revision restored) stay without a look, so an editor who does not take
// part in the workshop keeps them. field names the error: "" for the form
// and API fields (drivers_workshop, x_drivers), or a prefix for an import.
func (s *Service) checkDrivers(ctx context.Context, a *account.Actor, c *Cross, field func(string) string, trusted ...*Cross) error {
	if !c.HasDrivers() {
		return nil
	}
	known := func(id int64) bool {
		for _, t := range trusted {
			if t != nil && t.DriverWorkshopID == c.DriverWorkshopID && (slices.Contains(t.X.DriverIDs, id) || slices.Contains(t.Y.DriverIDs, id)) {
				return true
			}
		}
		return false
	}
	var fresh bool
	for _, id := range append(slices.Clone(c.X.DriverIDs), c.Y.DriverIDs...) {
		fresh = fresh || !known(id)
	}
	if !fresh {
		return nil
	}
	var drivers []workshop.Driver
	var err error
	if s.workshops != nil {
		_, drivers, err = s.workshops.Drivers(ctx, a, c.DriverWorkshopID)
	}
	if s.workshops == nil || err != nil {
		if err != nil && errs.KindOf(err) != errs.Forbidden && errs.KindOf(err) != errs.NotFound {
			return err
		}
		return &errs.Error{Kind: errs.Invalid, Key: "cross.drivers_workshop_unknown",
			Fields: errs.Fields{field("drivers_workshop"): "cross.drivers_workshop_unknown"}}
	}
	f := errs.Fields{}
	for _, name := range []string{"x", "y"} {
		for _, id := range c.Axis(name).DriverIDs {
			if !known(id) && !slices.ContainsFunc(drivers, func(d workshop.Driver) bool { return d.ID == id }) {
				f[field(name+"_drivers")] = "cross.driver_unknown"
			}
		}
	}
	if len(f) > 0 {
		return &errs.Error{Kind: errs.Invalid, Key: "cross.driver_unknown", Fields: f}
	}
	return nil
}

// plainField names a form or API field as it is.
func plainField(name string) string { return name }
