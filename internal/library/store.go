package library

import (
	"context"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/search"
)

// Store keeps works. Methods return an errs.NotFound error for a missing
// work and errs.Conflict for a taken slug or a stale version; each method
// is one transaction, and every write updates the work's search document
// in that same transaction, so a saved work is found at once.
type Store interface {
	// CreateWork inserts w (setting w.ID) with its first revision.
	CreateWork(ctx context.Context, w *Work, rev *Revision) error
	// UpdateWork saves w, whose Version is the new version, if the stored
	// version is still w.Version-1, and adds rev.
	UpdateWork(ctx context.Context, w *Work, rev *Revision) error
	// DeleteWork removes a work, its revisions and its search document.
	DeleteWork(ctx context.Context, id int64) error
	Work(ctx context.Context, id int64) (*Work, error)
	WorkBySlug(ctx context.Context, slug string) (*Work, error)
	// WorksBySlug returns the works that exist among slugs.
	WorksBySlug(ctx context.Context, slugs []string) ([]Work, error)
	// WorksByID returns the works that exist among ids, in the order of ids.
	WorksByID(ctx context.Context, ids []int64) ([]Work, error)
	// ListWorks returns the works q.Viewer may see that match q, in q's
	// order, at most q.Limit of them.
	ListWorks(ctx context.Context, q ListQuery) ([]Work, error)
	// Revisions returns a work's revisions, newest first, without snapshots.
	Revisions(ctx context.Context, workID int64) ([]Revision, error)
	// Revision returns one revision with its snapshot.
	Revision(ctx context.Context, workID int64, version int) (*Revision, error)
	// VisibilityRevisions returns, with snapshots, the revisions of the
	// works among ids that set their visibility (version 1 and every
	// change of it), by work and then oldest first.
	VisibilityRevisions(ctx context.Context, ids []int64) ([]Revision, error)
	// Refs returns every organisation and contact person, by id, for
	// checking and resolving references (the network has hundreds, not
	// millions).
	Refs(ctx context.Context) (*Refs, error)
	// PutWorks creates and updates works in one transaction: all or nothing.
	PutWorks(ctx context.Context, puts []Put) error
	// Search runs a query on the search index.
	Search(ctx context.Context, q search.Query) (*search.Result, error)
	// PopularTags returns the values of a tag kind (method, theme) that
	// most public works carry, most used first, at most limit.
	PopularTags(ctx context.Context, kind string, limit int) ([]string, error)
}

// Put is one write of PutWorks: a new work (ID 0) or a new version of an
// existing one, with its revision.
type Put struct {
	Work     *Work
	Revision *Revision
}

// ListQuery selects works for a list page, visibility included.
type ListQuery struct {
	Filter
	Owners []int64 // the owning organisation is one of these (a Level filter resolved)
	Viewer search.Viewer
	After  *Cursor // keyset: the works after this one in Sort order
}

// Cursor is a position in a list sorted by Sort: the last row's key and id.
type Cursor struct {
	Sort Sort
	Key  string // date in Unix ms (SortNewest) or the title key (SortTitle)
	ID   int64
}

// Refs are the organisations and contacts works refer to.
type Refs struct {
	Orgs     []OrgRef
	Contacts []ContactRef

	orgByID  map[int64]*OrgRef
	orgBySlg map[string]*OrgRef
	conByID  map[int64]*ContactRef
}

// OrgRef is an organisation as works refer to it.
type OrgRef = account.OrgRef

// ContactRef is a contact person as works refer to them.
type ContactRef struct {
	ID             int64
	OrganisationID int64
	Name           string
}

func (r *Refs) index() {
	if r.orgByID != nil {
		return
	}
	r.orgByID, r.orgBySlg, r.conByID = map[int64]*OrgRef{}, map[string]*OrgRef{}, map[int64]*ContactRef{}
	for i := range r.Orgs {
		o := &r.Orgs[i]
		r.orgByID[o.ID], r.orgBySlg[o.Slug] = o, o
	}
	for i := range r.Contacts {
		r.conByID[r.Contacts[i].ID] = &r.Contacts[i]
	}
}

// Org returns the organisation with the id, or nil.
func (r *Refs) Org(id int64) *OrgRef { r.index(); return r.orgByID[id] }

// OrgBySlug returns the organisation with the slug, or nil.
func (r *Refs) OrgBySlug(slug string) *OrgRef { r.index(); return r.orgBySlg[slug] }

// Contact returns the contact person with the id, or nil.
func (r *Refs) Contact(id int64) *ContactRef { r.index(); return r.conByID[id] }

// ContactByName returns the contact of one of orgs with the name, or nil.
func (r *Refs) ContactByName(orgID int64, name string) *ContactRef {
	for i := range r.Contacts {
		if c := &r.Contacts[i]; c.OrganisationID == orgID && c.Name == name {
			return c
		}
	}
	return nil
}

// OrgsAtLevel returns the ids of the organisations at a level.
func (r *Refs) OrgsAtLevel(l account.Level) []int64 {
	var out []int64
	for _, o := range r.Orgs {
		if o.Level == l {
			out = append(out, o.ID)
		}
	}
	return out
}
