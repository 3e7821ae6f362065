package cross

import (
	"context"
	"time"

	"github.com/framsyn/framsyn/internal/search"
)

// Store keeps crosses with their revisions and search documents. Each
// method is one transaction; a missing cross is errs.NotFound.
type Store interface {
	// CreateCross inserts c with its first revision, setting c.ID and, for
	// a root, c.RootID.
	CreateCross(ctx context.Context, c *Cross, rev *Revision) error
	// UpdateCross saves c (version already raised) with rev; a version
	// that moved meanwhile is errs.Conflict.
	UpdateCross(ctx context.Context, c *Cross, rev *Revision) error
	// DeleteCross removes a cross; its children keep DerivedFrom and lose ParentID.
	DeleteCross(ctx context.Context, id int64) error
	// Cross returns a cross with its organisation's name.
	Cross(ctx context.Context, id int64) (*Cross, error)
	// CrossesByID returns the crosses that exist among ids, in the order of ids.
	CrossesByID(ctx context.Context, ids []int64) ([]Cross, error)
	// CrossHeads is CrossesByID without the bodies (axes, scenarios,
	// authors) and axis changes: enough for CanSee.
	CrossHeads(ctx context.Context, ids []int64) ([]Cross, error)
	// ListCrosses returns the crosses q.Viewer may see, last changed first.
	ListCrosses(ctx context.Context, q ListQuery) ([]Cross, error)
	// Tree returns every node of the lineage rootID, unfiltered (the
	// service decides what the viewer sees), at most limit.
	Tree(ctx context.Context, rootID int64, limit int) ([]Node, error)
	// Family returns, unfiltered, the node of parentID (when it exists)
	// and those of the crosses whose parent is id, oldest first.
	Family(ctx context.Context, id, parentID int64) ([]Node, error)
	// Revisions returns a cross's revisions, newest first.
	Revisions(ctx context.Context, crossID int64) ([]Revision, error)
	// CreateCrosses inserts a whole import in one transaction: each
	// cross's ParentRef (an index into cs, or -1) becomes its parent.
	CreateCrosses(ctx context.Context, cs []Cross, parentRefs []int, revs []Revision) error
	// Domains returns the domains crosses use, for suggestions.
	Domains(ctx context.Context, limit int) ([]string, error)
}

// ListQuery selects crosses, visibility included.
type ListQuery struct {
	Viewer         search.Viewer
	OrganisationID int64 // 0: all, else owned by or co-owned with it
	Level          Level
	Domain         string
	Status         Status // "": all but archived
	Before         time.Time
	BeforeID       int64
	Limit          int
	// Summary reads what a list shows: of the axes their names and poles,
	// of the scenarios their names; no descriptions, forces, stories,
	// authors or driver links (Get, or a list without Summary, has them).
	Summary bool
}

// Node is a cross as a lineage tree draws it: enough to decide whether
// the viewer may see it, and to name it.
type Node struct {
	ID, ParentID, DerivedFrom, OrganisationID int64
	CoOrganisationIDs                         []int64
	Title, OrgName, Domain                    string
	Level                                     Level
	Status                                    Status
	Visibility                                Visibility
	Changes                                   []AxisChange
}

// Scope is the node's scope, as Cross.Scope.
func (n *Node) Scope() search.Scope {
	c := Cross{Status: n.Status, Visibility: n.Visibility}
	return c.Scope()
}

// Revision is one saved version of a cross.
type Revision struct {
	ID        int64
	CrossID   int64
	Version   int
	UserID    int64
	UserName  string
	CreatedAt time.Time
	Changed   []string
	// RestoredFrom is the version this one restored, or 0.
	RestoredFrom int
	Snapshot     []byte // the Cross as JSON
}
