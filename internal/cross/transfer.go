package cross

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// ExportFormat names the JSON format of exported crosses.
const ExportFormat = "framsyn.crosses/1"

// MaxImport bounds the crosses of one import.
const MaxImport = 500

// Export is crosses as a file: the JSON export and what Import reads.
// In a file, parent_id names another cross of the file by its id there,
// or an existing cross the importer may see.
type Export struct {
	Format  string  `json:"format"`
	Crosses []Cross `json:"crosses"`
}

// ImportField names field of the i-th cross of an import file (from 0),
// as Import's errors name them: crosses[i].field.
func ImportField(i int, field string) string { return "crosses[" + strconv.Itoa(i) + "]." + field }

// Import saves every cross of data, or none: Invalid with a catalogue
// key for a file that is not an export, a cross that does not validate
// (the key names which, by its place), a parent that is neither in the
// file nor visible, or parents that form a cycle; Forbidden for a cross
// of an organisation a does not publish for, or a driver link to a
// workshop a does not take part in or to a driver it lacks. It returns
// the new crosses.
func (s *Service) Import(ctx context.Context, a *account.Actor, data []byte) ([]Cross, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	var in Export
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || dec.More() || in.Format != ExportFormat {
		return nil, errs.E(errs.Invalid, "cross.import_malformed")
	}
	if len(in.Crosses) == 0 || len(in.Crosses) > MaxImport {
		return nil, errs.E(errs.Invalid, "cross.import_count")
	}
	index := map[int64]int{}
	parents := map[int64]int64{}
	for i, c := range in.Crosses {
		if c.ID <= 0 {
			return nil, errs.E(errs.Invalid, "cross.import_malformed")
		}
		if _, dup := index[c.ID]; dup {
			return nil, errs.E(errs.Invalid, "cross.import_malformed")
		}
		index[c.ID] = i
	}
	refs := make([]int, len(in.Crosses))
	now := s.now().UTC()
	revs := make([]Revision, len(in.Crosses))
	for i := range in.Crosses {
		c := &in.Crosses[i]
		refs[i] = -1
		if j, ok := index[c.ParentID]; ok && c.ParentID != 0 {
			refs[i] = j
			parents[c.ID] = c.ParentID
		} else if c.ParentID != 0 {
			p, err := s.Get(ctx, a, c.ParentID)
			if err != nil {
				return nil, &errs.Error{Kind: errs.Invalid, Key: "cross.import_parent_unknown",
					Fields: errs.Fields{ImportField(i, "parent_id"): "cross.import_parent_unknown"}, Err: err}
			}
			c.ParentID, c.DerivedFrom, c.RootID = p.ID, p.ID, p.RootID
		} else {
			c.DerivedFrom, c.RootID, c.AxisChanges = 0, 0, nil
		}
		if err := c.Validate(); err != nil {
			// Every field of the cross that failed, named by its place in
			// the file, so the importer knows which to mend.
			f := errs.Fields{}
			for k, v := range errs.As(err).Fields {
				f[ImportField(i, k)] = v
			}
			return nil, &errs.Error{Kind: errs.Invalid, Key: "cross.import_invalid", Fields: f, Err: err}
		}
		if !CanPublish(a, c.OrganisationID) {
			return nil, errs.E(errs.Forbidden, "cross.forbidden")
		}
		// Driver links name a workshop of this instance that the importer
		// takes part in, and its drivers; any other is refused by place.
		if err := s.checkDrivers(ctx, a, c, func(name string) string { return ImportField(i, name) }); err != nil {
			if e := errs.As(err); e.Kind == errs.Invalid {
				e.Key = "cross.import_driver_unknown"
			}
			return nil, err
		}
		c.ID, c.Version, c.CreatedBy, c.WorkshopID, c.ParentHidden = 0, 1, a.UserID(), 0, false
		if c.CreatedAt.IsZero() {
			c.CreatedAt = now
		}
		c.UpdatedAt = now
		revs[i] = *s.revision(a, nil, c)
	}
	if err := CheckAcyclic(parents); err != nil {
		return nil, err
	}
	if err := s.store.CreateCrosses(ctx, in.Crosses, refs, revs); err != nil {
		return nil, err
	}
	return in.Crosses, nil
}

// ExportAll returns the crosses a may see, newest change first, at most
// MaxImport, as one file.
func (s *Service) ExportAll(ctx context.Context, a *account.Actor, orgID int64) (*Export, error) {
	out := &Export{Format: ExportFormat, Crosses: []Cross{}}
	q := ListQuery{OrganisationID: orgID, Limit: MaxLimit}
	for len(out.Crosses) < MaxImport {
		page, err := s.List(ctx, a, q)
		if err != nil {
			return nil, err
		}
		out.Crosses = append(out.Crosses, page...)
		if len(page) < MaxLimit {
			break
		}
		last := page[len(page)-1]
		q.Before, q.BeforeID = last.UpdatedAt, last.ID
	}
	return out, s.Redact(ctx, a, out.Crosses)
}
