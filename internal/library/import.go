package library

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// MaxImportWorks bounds the records of one import file.
const MaxImportWorks = 10000

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// Problem is one thing wrong in an import file: the record (its index in
// "works", or -1 for the file itself), the field and a catalogue key.
type Problem struct {
	Index int
	Field string
	Key   string
}

// ImportError lists every problem of a rejected import file, by record.
// It is the cause of the Invalid error Import returns; that error's
// Fields hold the same problems as "works[3].title" -> key.
type ImportError struct {
	Problems []Problem
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("library: import: %d problems", len(e.Problems))
}

// Import reads a File (as ExportJSON writes it) and creates or updates the
// works in it, matched by slug. It checks every record before writing
// any: on any problem nothing is written and the error names each bad
// record and field. Each record must be one a may publish (new) or edit
// (existing); every write records a revision.
func (s *Service) Import(ctx context.Context, a *account.Actor, r io.Reader) (*ImportResult, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	if !CanImport(a) {
		return nil, errs.E(errs.Forbidden, "library.forbidden")
	}
	var file File
	if err := json.NewDecoder(r).Decode(&file); err != nil {
		return nil, importErr([]Problem{{Index: -1, Field: "file", Key: "library.import_malformed"}}, err)
	}
	if file.Format != ExportFormat {
		return nil, importErr([]Problem{{Index: -1, Field: "format", Key: "library.import_format"}}, nil)
	}
	if len(file.Works) > MaxImportWorks {
		return nil, importErr([]Problem{{Index: -1, Field: "works", Key: "library.too_many"}}, nil)
	}
	refs, err := s.store.Refs(ctx)
	if err != nil {
		return nil, err
	}
	recs := make([]Record, len(file.Works))
	slugs := make([]string, 0, len(file.Works))
	var problems []Problem
	bad := map[int]bool{}
	for i, raw := range file.Works {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&recs[i]); err != nil {
			problems = append(problems, Problem{Index: i, Field: "record", Key: "library.import_malformed"})
			bad[i] = true
			continue
		}
		slugs = append(slugs, strings.TrimSpace(recs[i].Slug))
	}
	existing, err := s.store.WorksBySlug(ctx, slugs)
	if err != nil {
		return nil, err
	}
	bySlug := map[string]*Work{}
	for i := range existing {
		bySlug[existing[i].Slug] = &existing[i]
	}
	now := s.now().UTC()
	res := &ImportResult{}
	var puts []Put
	seen := map[string]bool{}
	for i := range recs {
		if bad[i] {
			continue
		}
		f := errs.Fields{}
		w := recs[i].work(f, refs)
		if err := w.Validate(); err != nil {
			for k, v := range errs.As(err).Fields {
				if _, ok := f[k]; !ok { // "unknown" says more than "required"
					f[k] = v
				}
			}
		}
		checkRefs(f, "", w, refs)
		if seen[w.Slug] {
			f["slug"] = "library.slug_duplicate"
		}
		seen[w.Slug] = true
		old := bySlug[w.Slug]
		switch {
		case old != nil && !CanSee(a, old):
			f["slug"] = "library.slug_taken"
		case old != nil && (!CanEdit(a, old) || !CanPublish(a, w.OrganisationID)):
			f["organisation"] = "library.forbidden"
		case old == nil && w.OrganisationID > 0 && !CanPublish(a, w.OrganisationID):
			f["organisation"] = "library.forbidden"
		}
		for field, key := range f {
			problems = append(problems, Problem{Index: i, Field: field, Key: key})
		}
		if len(f) > 0 || len(problems) > 0 {
			continue
		}
		if put := s.importPut(a, w, old, now); put != nil {
			puts = append(puts, *put)
			if old == nil {
				res.Created++
			} else {
				res.Updated++
			}
		} else {
			res.Unchanged++
		}
	}
	if len(problems) > 0 {
		return nil, importErr(problems, nil)
	}
	if err := s.store.PutWorks(ctx, puts); err != nil {
		return nil, err
	}
	return res, nil
}

// importPut prepares the write of an imported work, or nil when the
// existing work is the same.
func (s *Service) importPut(a *account.Actor, w, old *Work, now time.Time) *Put {
	w.UpdatedAt = now
	if old == nil {
		w.Version, w.AuthorID, w.CreatedAt = 1, a.UserID(), now
		return &Put{Work: w, Revision: &Revision{Version: 1, UserID: a.UserID(), CreatedAt: now,
			Changed: Changed(nil, w), Snapshot: snapshot(w)}}
	}
	changed := Changed(old, w)
	if len(changed) == 0 {
		return nil
	}
	w.ID, w.Version, w.AuthorID, w.CreatedAt = old.ID, old.Version+1, old.AuthorID, old.CreatedAt
	w.Attachments, w.CoverImage = old.Attachments, old.CoverImage // not in the file yet
	return &Put{Work: w, Revision: &Revision{WorkID: w.ID, Version: w.Version, UserID: a.UserID(),
		CreatedAt: now, Changed: changed, Snapshot: snapshot(w)}}
}

// work converts an imported record, resolving slugs and contact names;
// what does not resolve goes into f.
func (r *Record) work(f errs.Fields, refs *Refs) *Work {
	w := &Work{
		Slug: r.Slug, Type: r.Type, Title: r.Title, Summary: r.Summary, BodyMD: r.Body,
		HorizonYear: r.HorizonYear, Methods: r.Methods, Themes: r.Themes, Language: r.Language,
		Licence: r.Licence, Links: r.Links, Visibility: r.Visibility, Experience: r.Experience,
	}
	if strings.TrimSpace(r.Slug) == "" {
		f["slug"] = "library.slug_invalid" // the slug is what matches records to works
	}
	if o := refs.OrgBySlug(r.Organisation); o != nil {
		w.OrganisationID = o.ID
	} else if r.Organisation != "" {
		f["organisation"] = "library.organisation_unknown"
	}
	for i, slug := range r.CoOrganisations {
		if o := refs.OrgBySlug(slug); o != nil {
			w.CoOrganisationIDs = append(w.CoOrganisationIDs, o.ID)
		} else {
			f["co_organisations["+strconv.Itoa(i)+"]"] = "library.organisation_unknown"
		}
	}
	for i, c := range r.Contacts {
		o := refs.OrgBySlug(c.Organisation)
		var ref *ContactRef
		if o != nil {
			ref = refs.ContactByName(o.ID, c.Name)
		}
		if ref == nil {
			f["contacts["+strconv.Itoa(i)+"]"] = "library.contact_unknown"
			continue
		}
		w.ContactIDs = append(w.ContactIDs, ref.ID)
	}
	if r.Date != "" {
		d, err := time.Parse(dateLayout, r.Date)
		if err != nil {
			f["date"] = "library.date_invalid"
		}
		w.Date = d
	}
	return w
}

// importErr builds the Invalid error of a rejected import.
func importErr(problems []Problem, cause error) error {
	sort.SliceStable(problems, func(i, j int) bool {
		if problems[i].Index != problems[j].Index {
			return problems[i].Index < problems[j].Index
		}
		return problems[i].Field < problems[j].Field
	})
	fields := errs.Fields{}
	for _, p := range problems {
		name := p.Field
		if p.Index >= 0 {
			name = "works[" + strconv.Itoa(p.Index) + "]." + p.Field
		}
		fields[name] = p.Key
	}
	e := &ImportError{Problems: problems}
	var err error = e
	if cause != nil {
		err = fmt.Errorf("%w: %w", e, cause)
	}
	return &errs.Error{Kind: errs.Invalid, Key: "library.import_invalid", Fields: fields, Err: err}
}
