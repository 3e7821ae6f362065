package library

import (
	"encoding/json"
	"reflect"
	"time"
)

// Revision is one saved version of a work: who saved it, when, which
// fields changed, and the whole work as saved, so any version can be
// shown and restored.
type Revision struct {
	ID           int64
	WorkID       int64
	Version      int
	UserID       int64 // 0 when the user has since been deleted
	CreatedAt    time.Time
	Changed      []string        // names of the changed fields; every set field on version 1
	RestoredFrom int             // the version this one restored, or 0
	Snapshot     json.RawMessage // the Work as JSON (its own json tags)
}

// Work decodes the snapshot.
func (r *Revision) Work() (*Work, error) {
	var w Work
	if err := json.Unmarshal(r.Snapshot, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// snapshot encodes the parts of w a revision keeps: everything but the
// bookkeeping that belongs to the row (id, version, times).
func snapshot(w *Work) json.RawMessage {
	c := *w
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = 0, 0, time.Time{}, time.Time{}
	b, err := json.Marshal(&c)
	if err != nil {
		panic(err) // a Work always encodes
	}
	return b
}

// revisedFields names the fields a person edits, in form order, with how
// to read each from a Work.
var revisedFields = []struct {
	name string
	get  func(w *Work) any
}{
	{"slug", func(w *Work) any { return w.Slug }},
	{"type", func(w *Work) any { return w.Type }},
	{"title", func(w *Work) any { return w.Title }},
	{"summary", func(w *Work) any { return w.Summary }},
	{"body", func(w *Work) any { return w.BodyMD }},
	{"organisation", func(w *Work) any { return w.OrganisationID }},
	{"co_organisations", func(w *Work) any { return w.CoOrganisationIDs }},
	{"contacts", func(w *Work) any { return w.ContactIDs }},
	{"horizon_year", func(w *Work) any { return w.HorizonYear }},
	{"methods", func(w *Work) any { return w.Methods }},
	{"themes", func(w *Work) any { return w.Themes }},
	{"date", func(w *Work) any { return w.Date.UTC() }},
	{"language", func(w *Work) any { return w.Language }},
	{"licence", func(w *Work) any { return w.Licence }},
	{"links", func(w *Work) any { return w.Links }},
	{"visibility", func(w *Work) any { return w.Visibility }},
	{"experience", func(w *Work) any { return w.Experience }},
	{"attachments", func(w *Work) any { return w.Attachments }},
	{"cover_image", func(w *Work) any { return w.CoverImage }},
	{"source", func(w *Work) any { return w.Source }},
	{"cross", func(w *Work) any { return w.CrossID }},
}

// Changed returns the names of the fields that differ between old and new;
// with old nil, the fields new sets.
func Changed(old, new *Work) []string {
	var out []string
	for _, f := range revisedFields {
		b := f.get(new)
		if old == nil {
			if !reflect.ValueOf(b).IsZero() {
				out = append(out, f.name)
			}
			continue
		}
		if !equal(f.get(old), b) {
			out = append(out, f.name)
		}
	}
	return out
}

// equal compares field values, treating nil and empty slices alike.
func equal(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Kind() == reflect.Slice && va.Len() == 0 && vb.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
