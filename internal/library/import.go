package library

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/media"
)

// MaxImportWorks bounds the records of one import file.
const MaxImportWorks = 10000

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// Problem is one thing wrong in an import file: the record (its index in
// "works", or -1 for the file itself), the field and a catalogue key.
// Title is the record's title and File the attachment or archive entry
// the problem is about, when there is one.
type Problem struct {
	Index int
	Field string
	Key   string
	Title string
	File  string
}

// Subject names the file a problem is about, `bilaga "rapport.pdf"`, or "".
func (p Problem) Subject(tr *i18n.Translator) string {
	switch {
	case p.File == "":
		return ""
	case p.Index < 0:
		return tr.T("library.import.entry", p.File)
	}
	return tr.T("library.import.attachment", p.File)
}

// Text says the problem in one line, naming the record, its title and
// the file or field: `Verk 3 ("Region Artica"), bilaga "rapport.pdf":
// Filen saknas i arkivet.`
func (p Problem) Text(tr *i18n.Translator) string {
	var where string
	switch {
	case p.Index < 0:
		where = tr.T("library.import.the_file")
	case p.Title != "":
		where = tr.T("library.import.record_titled", p.Index+1, p.Title)
	default:
		where = tr.T("library.import.record_n", p.Index+1)
	}
	if sub := p.Subject(tr); sub != "" {
		where += ", " + sub
	} else if p.Index >= 0 && p.Field != "record" {
		where += ", " + tr.T("library.import.field_named", p.Field)
	}
	return where + ": " + tr.T(p.Key)
}

// Name is the problem's field as the error's Fields name it:
// "works[3].title", or "file" for the file itself.
func (p Problem) Name() string {
	if p.Index < 0 {
		return p.Field
	}
	return "works[" + strconv.Itoa(p.Index) + "]." + p.Field
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

// canImport is the permission every import checks before reading.
func canImport(a *account.Actor) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	if !CanImport(a) {
		return errs.E(errs.Forbidden, "library.forbidden")
	}
	return nil
}

// Import reads a File (as ExportJSON writes it) and creates or updates the
// works in it, matched by slug. It checks every record before writing
// any: on any problem nothing is written and the error names each bad
// record and field. Each record must be one a may publish (new) or edit
// (existing); every write records a revision. Attachments must already
// be in this installation's store (see linkedFiles); ImportArchive
// brings their content along.
func (s *Service) Import(ctx context.Context, a *account.Actor, r io.Reader) (*ImportResult, error) {
	if err := canImport(a); err != nil {
		return nil, err
	}
	return s.importFile(ctx, a, importInput{json: r, jsonField: "file", files: &linkedFiles{store: s.files, admin: a.IsAdmin()}})
}

// importInput is what importFile reads: the JSON document, the name its
// problems go under, where the files come from, and problems found
// before (in the archive around the document).
type importInput struct {
	json      io.Reader
	jsonField string
	files     fileSource
	problems  []Problem
}

// fileSource finds the content of the files an import's records name.
type fileSource interface {
	// check returns the file with the hash as found, checked as an
	// upload is, or the catalogue key of what is wrong with it; an error
	// only when reading or staging fails. old is the work the record
	// updates, or nil.
	check(hash string, old *Work) (*media.Stored, string, error)
	// keep makes every checked file available in the store by hash.
	keep() error
	// discard drops what check staged and keep did not keep.
	discard()
}

// importFile checks every record of in and its files, then keeps the
// files and writes the works in one transaction, or writes nothing.
func (s *Service) importFile(ctx context.Context, a *account.Actor, in importInput) (*ImportResult, error) {
	defer in.files.discard()
	problems := in.problems
	var file File
	if err := json.NewDecoder(in.json).Decode(&file); err != nil {
		return nil, importErr(append(problems, Problem{Index: -1, Field: in.jsonField, Key: "library.import_malformed"}), err)
	}
	if file.Format != ExportFormat {
		return nil, importErr(append(problems, Problem{Index: -1, Field: "format", Key: "library.import_format"}), nil)
	}
	if len(file.Works) > MaxImportWorks {
		return nil, importErr(append(problems, Problem{Index: -1, Field: "works", Key: "library.too_many"}), nil)
	}
	refs, err := s.store.Refs(ctx)
	if err != nil {
		return nil, err
	}
	recs := make([]Record, len(file.Works))
	slugs := make([]string, 0, len(file.Works))
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
		f, names := errs.Fields{}, map[string]string{}
		w := recs[i].work(f, refs)
		old := bySlug[strings.TrimSpace(recs[i].Slug)]
		if old != nil && !CanSee(a, old) {
			old = nil // a hidden work lends nothing, not even its files
		}
		if err := attach(&recs[i], w, old, in.files, f, names); err != nil {
			return nil, err
		}
		if err := w.Validate(); err != nil {
			for k, v := range errs.As(err).Fields {
				if _, ok := f[k]; !ok { // "unknown" says more than "required"
					f[k] = v
				}
			}
		}
		prev := bySlug[w.Slug]
		if prev != nil && !CanSee(a, prev) {
			prev = nil
		}
		checkRefs(f, "", a, w, prev, refs)
		switch {
		case recs[i].Cross == nil && prev != nil:
			w.CrossID = prev.CrossID // absent: the work keeps its cross
		case recs[i].Cross != nil:
			w.CrossID = *recs[i].Cross
		}
		if err := s.checkCross(ctx, f, a, w, prev); err != nil {
			return nil, err
		}
		if seen[w.Slug] {
			f["slug"] = "library.slug_duplicate"
		}
		seen[w.Slug] = true
		old = bySlug[w.Slug]
		switch {
		case old != nil && !CanSee(a, old):
			f["slug"] = "library.slug_taken"
		case old != nil && (!CanEdit(a, old) || !CanPublish(a, w.OrganisationID)):
			f["organisation"] = "library.forbidden"
		case old == nil && w.OrganisationID > 0 && !CanPublish(a, w.OrganisationID):
			f["organisation"] = "library.forbidden"
		}
		title := strings.TrimSpace(recs[i].Title)
		for field, key := range f {
			problems = append(problems, Problem{Index: i, Field: field, Key: key, Title: title, File: names[field]})
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
	// Files first: a work must never name a file that is not there. Should
	// the works then fail to save, the kept files are harmless: stored by
	// hash, unreferenced, like the file of a removed attachment.
	if err := in.files.keep(); err != nil {
		return nil, err
	}
	if err := s.store.PutWorks(ctx, puts); err != nil {
		return nil, err
	}
	return res, nil
}

// attach sets w's attachments and cover from r's, checking each file
// with src; problems go into f and the name of the file each is about
// into names. A record without an attachment list keeps old's files.
func attach(r *Record, w, old *Work, src fileSource, f errs.Fields, names map[string]string) error {
	if r.Attachments == nil {
		if old != nil {
			w.Attachments, w.CoverImage = old.Attachments, old.CoverImage
		}
		if r.Cover != nil {
			f["cover"] = "library.cover_invalid"
		}
		return nil
	}
	found := map[string]string{} // hash -> type found, "" when the file has a problem
	for j, ref := range r.Attachments {
		key := "attachments[" + strconv.Itoa(j) + "]"
		// Every entry is kept, so Validate's field names match the file's.
		w.Attachments = append(w.Attachments, Attachment{Hash: ref.SHA256, Name: ref.Name, MediaType: ref.MediaType, Size: ref.Size})
		names[key] = ref.Name
		if !hashRE.MatchString(ref.SHA256) {
			f[key] = "library.attachment_invalid"
			continue
		}
		if _, dup := found[ref.SHA256]; dup {
			f[key] = "library.import_file_duplicate"
			continue
		}
		found[ref.SHA256] = ""
		st, problem, err := src.check(ref.SHA256, old)
		switch {
		case err != nil:
			return err
		case problem != "":
			f[key] = problem
		case st.Size != ref.Size:
			f[key] = "library.import_file_size"
		case st.Type != ref.MediaType:
			f[key] = "library.import_file_type"
		default:
			found[ref.SHA256] = st.Type
		}
	}
	if c := r.Cover; c != nil {
		names["cover"] = c.Name
		typ, ok := found[c.SHA256]
		switch {
		case !ok || (typ != "" && !media.IsImage(typ)):
			f["cover"] = "library.cover_invalid" // not one of the work's images
		case typ != "":
			w.CoverImage = c.SHA256
		}
	}
	return nil
}

// linkedFiles are the files a JSON import may name: those already in this
// installation's store that the work being updated has attached, or any
// stored file for a platform admin. A hash is no secret to everyone who
// ever saw the file; linking any stored file by hash would let an editor
// publish another organisation's draft attachment.
type linkedFiles struct {
	store  *media.Store
	admin  bool
	linked []string
}

func (l *linkedFiles) check(hash string, old *Work) (*media.Stored, string, error) {
	if l.store == nil || (!l.admin && (old == nil || !slices.ContainsFunc(old.Attachments, func(at Attachment) bool { return at.Hash == hash }))) {
		return nil, "library.import_file_not_here", nil
	}
	st, err := l.store.Stat(hash)
	switch {
	case errs.Is(err, errs.NotFound):
		return nil, "library.import_file_not_here", nil
	case err != nil:
		return nil, "", err
	case st.Size > MaxAttachmentBytes:
		return nil, "library.attachment_too_large", nil
	}
	if _, ok := media.Attachments[st.Type]; !ok {
		return nil, "library.attachment_bad_type", nil
	}
	l.linked = append(l.linked, hash)
	return st, "", nil
}

// keep touches the linked files before the import writes, so that a
// sweep of unused files (media.Store.Sweep) running meanwhile spares them.
func (l *linkedFiles) keep() error {
	for _, h := range l.linked {
		if err := l.store.Touch(h); err != nil {
			return err
		}
	}
	return nil
}
func (l *linkedFiles) discard() {}

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
	return &Put{Work: w, Revision: &Revision{WorkID: w.ID, Version: w.Version, UserID: a.UserID(),
		CreatedAt: now, Changed: changed, Snapshot: snapshot(w)}}
}

// work converts an imported record, resolving slugs and contact names;
// what does not resolve goes into f.
func (r *Record) work(f errs.Fields, refs *Refs) *Work {
	w := &Work{
		Slug: r.Slug, Type: r.Type, Title: r.Title, Summary: r.Summary, BodyMD: r.Body,
		HorizonYear: r.HorizonYear, Methods: r.Methods, Themes: r.Themes, Language: r.Language,
		Licence: r.Licence, Links: r.Links, Visibility: r.Visibility, Experience: r.Experience, Source: r.Source,
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
		d, p, err := ParseDate(r.Date)
		switch {
		case err != nil:
			f["date"] = "library.date_invalid"
		case r.DatePrecision == "" || r.DatePrecision == p:
			// An export from before precisions gives a day.
		case p == DateDay && r.DatePrecision.Valid():
			p = r.DatePrecision // a full date said to be less precise: cut (Validate)
		default:
			f["date"] = "library.date_invalid"
		}
		w.Date, w.DatePrecision = d, p
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
		fields[p.Name()] = p.Key
	}
	e := &ImportError{Problems: problems}
	var err error = e
	if cause != nil {
		err = fmt.Errorf("%w: %w", e, cause)
	}
	return &errs.Error{Kind: errs.Invalid, Key: "library.import_invalid", Fields: fields, Err: err}
}
