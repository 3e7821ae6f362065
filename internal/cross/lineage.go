package cross

import (
	"context"
	"slices"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// Derive makes a new cross from parentID for c.OrganisationID: the
// lineage follows the parent, and each axis records what became of the
// parent's (c.AxisChanges; an axis left unnamed is kept when it equals the
// parent's). A kept axis is the parent's (c may leave it empty, but not
// change it); a renamed or replaced one needs a reason. Driver links are
// c's own, on kept axes too: the parent's that c repeats are kept without
// a look at the workshop (DeriveDraft starts from them), others a must be
// able to link. A parent a may not see is NotFound, as if
// it did not exist.
func (s *Service) Derive(ctx context.Context, a *account.Actor, parentID int64, c *Cross) (*Cross, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	parent, err := s.store.Cross(ctx, parentID)
	if err != nil || !CanSee(a, parent) {
		if err == nil || errs.Is(err, errs.NotFound) {
			return nil, errs.E(errs.NotFound, "cross.parent_not_found")
		}
		return nil, err
	}
	if c.OrganisationID > 0 && !CanPublish(a, c.OrganisationID) {
		return nil, errs.E(errs.Forbidden, "cross.forbidden")
	}
	f := errs.Fields{}
	var changes []AxisChange
	for _, name := range []string{"x", "y"} {
		ch := c.ChangeOf(name)
		pa, ca := parent.Axis(name), c.Axis(name)
		if ch.Change == "" && sameAxis(pa, ca) {
			ch.Change = Kept
		}
		switch ch.Change {
		case Kept:
			if ca.Name != "" && !sameAxis(pa, ca) {
				f[name+"_change"] = "cross.change_kept_differs"
			}
			drivers := ca.DriverIDs // the deriver keeps or drops the parent's links
			*ca = *pa
			ca.DriverIDs = drivers
			ch.Why = ""
		case Renamed, Replaced:
			if ch.Why == "" {
				f[name+"_why"] = "cross.change_why_required"
			}
			if sameAxis(pa, ca) {
				f[name+"_change"] = "cross.change_same"
			}
		case "":
			f[name+"_change"] = "cross.change_required"
		default:
			f[name+"_change"] = "cross.change_invalid"
		}
		changes = append(changes, ch)
	}
	if len(c.Scenarios) == 0 {
		c.Scenarios = slices.Clone(parent.Scenarios)
	}
	c.AxisChanges = changes
	if err := c.Validate(); err != nil {
		for k, v := range errs.As(err).Fields {
			f[k] = v
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	c.ParentID, c.DerivedFrom, c.RootID, c.WorkshopID = parent.ID, parent.ID, parent.RootID, 0
	return s.create(ctx, a, c, parent)
}

// sameAxis reports whether two axes have the same name and poles.
func sameAxis(a, b *Axis) bool { return a.Name == b.Name && a.Low == b.Low && a.High == b.High }

// DeriveDraft returns what the derive form starts from: the parent's
// content as a new draft of the caller's first organisation.
func DeriveDraft(parent *Cross) *Cross {
	c := *parent
	c.ID, c.Version, c.Status, c.Source, c.WorkshopID = 0, 0, StatusDraft, "", 0
	c.Scenarios = slices.Clone(parent.Scenarios)
	c.AxisChanges = []AxisChange{{Axis: "x", Change: Kept}, {Axis: "y", Change: Kept}}
	c.Authors, c.CoOrganisationIDs = nil, nil
	c.X.DriverIDs, c.Y.DriverIDs = slices.Clone(parent.X.DriverIDs), slices.Clone(parent.Y.DriverIDs)
	return &c
}

// TreeNode is one cross in a lineage as the viewer sees it: a cross they
// may see, or a placeholder (Hidden) for one they may not, shown only
// when it leads to crosses they may see and never with its name or id.
type TreeNode struct {
	Node
	Hidden   bool
	Current  bool
	Children []*TreeNode
}

// Lineage is a cross's place in its tree.
type Lineage struct {
	Cross        *Cross
	Root         *TreeNode
	Ancestors    []*TreeNode // root first, the cross's parent last
	Children     []*TreeNode // the cross's own children the viewer may see
	ParentHidden bool        // derived from a cross the viewer may not see (or one deleted)
	Size         int         // crosses in the tree the viewer may see
	Truncated    bool        // the tree had more than MaxTree crosses
}

// Lineage returns the tree of the cross id from its root down to every
// descendant a may see.
func (s *Service) Lineage(ctx context.Context, a *account.Actor, id int64) (*Lineage, error) {
	c, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	nodes, err := s.store.Tree(ctx, c.RootID, MaxTree+1)
	if err != nil {
		return nil, err
	}
	l := &Lineage{Cross: c, Truncated: len(nodes) > MaxTree}
	if l.Truncated {
		nodes = nodes[:MaxTree]
	}
	l.Root, l.Size = BuildTree(a, nodes, c.ID)
	var path []*TreeNode
	var find func(n *TreeNode) bool
	find = func(n *TreeNode) bool {
		path = append(path, n)
		if n.Current {
			return true
		}
		for _, ch := range n.Children {
			if find(ch) {
				return true
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if l.Root != nil && find(l.Root) {
		l.Ancestors = path[:len(path)-1]
		for _, ch := range path[len(path)-1].Children {
			if !ch.Hidden {
				l.Children = append(l.Children, ch)
			}
		}
	}
	l.ParentHidden = c.Derived() && (len(l.Ancestors) == 0 || l.Ancestors[len(l.Ancestors)-1].Hidden)
	return l, nil
}

// Family returns what a cross's own page says of its lineage: its parent
// (Ancestors holds only the parent, a placeholder when a may not see it)
// and its children a may see; Root stays nil and Size counts the
// children. It reads two generations instead of the whole tree.
func (s *Service) Family(ctx context.Context, a *account.Actor, id int64) (*Lineage, error) {
	c, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	nodes, err := s.store.Family(ctx, c.ID, c.ParentID)
	if err != nil {
		return nil, err
	}
	v := account.ViewerOf(a)
	l := &Lineage{Cross: c}
	for _, n := range nodes {
		t := &TreeNode{Node: n,
			Hidden: !v.CanSee(n.Scope(), n.OrganisationID, append([]int64{n.OrganisationID}, n.CoOrganisationIDs...))}
		switch {
		case n.ID == c.ParentID:
			if t.Hidden {
				t.Node = Node{}
			}
			l.Ancestors = []*TreeNode{t}
		case n.ParentID == c.ID && !t.Hidden:
			l.Children = append(l.Children, t)
		}
	}
	l.Size = len(l.Children)
	l.ParentHidden = c.Derived() && (len(l.Ancestors) == 0 || l.Ancestors[0].Hidden)
	return l, nil
}

// BuildTree makes the tree a sees from the nodes of one lineage: hidden
// crosses become placeholders when they lead to visible ones and are left
// out otherwise; the children of a deleted cross hang from one placeholder
// for it. It returns the root (nil when a sees nothing) and how many
// crosses a sees.
func BuildTree(a *account.Actor, nodes []Node, current int64) (*TreeNode, int) {
	v := account.ViewerOf(a)
	byID := make(map[int64]*TreeNode, len(nodes))
	for i := range nodes {
		n := nodes[i]
		byID[n.ID] = &TreeNode{Node: n, Current: n.ID == current,
			Hidden: !v.CanSee(n.Scope(), n.OrganisationID, append([]int64{n.OrganisationID}, n.CoOrganisationIDs...))}
	}
	var roots []*TreeNode
	gone := map[int64]*TreeNode{} // placeholders of deleted parents, by their old id
	for i := range nodes {
		t := byID[nodes[i].ID]
		switch p := byID[t.ParentID]; {
		case p != nil:
			p.Children = append(p.Children, t)
		case t.DerivedFrom != 0:
			g := gone[t.DerivedFrom]
			if g == nil {
				g = &TreeNode{Hidden: true}
				gone[t.DerivedFrom] = g
				roots = append(roots, g)
			}
			g.Children = append(g.Children, t)
		default:
			roots = append(roots, t)
		}
	}
	size := 0
	var prune func(n *TreeNode) bool
	prune = func(n *TreeNode) bool {
		kids := n.Children[:0]
		for _, ch := range n.Children {
			if prune(ch) {
				kids = append(kids, ch)
			}
		}
		n.Children = kids
		if n.Hidden {
			n.Node = Node{} // nothing of a hidden cross leaves the service
			return len(kids) > 0
		}
		size++
		return true
	}
	var root *TreeNode
	var kept []*TreeNode
	for _, r := range roots {
		if prune(r) {
			kept = append(kept, r)
		}
	}
	switch len(kept) {
	case 0:
	case 1:
		root = kept[0]
	default:
		// The first cross was deleted and more than one branch is left: a
		// placeholder holds them.
		root = &TreeNode{Hidden: true, Children: kept}
	}
	return root, size
}

// CheckAcyclic reports an Invalid error when following parents from any
// of the crosses loops: parents maps each cross to its parent (absent or
// 0 for a root). Derive cannot make a cycle (a new cross has no children);
// an import can, and is refused whole.
func CheckAcyclic(parents map[int64]int64) error {
	const (
		visiting = 1
		done     = 2
	)
	state := map[int64]int{}
	for start := range parents {
		var path []int64
		for id := start; id != 0; id = parents[id] {
			if state[id] == done {
				break
			}
			if state[id] == visiting {
				return errs.E(errs.Invalid, "cross.cycle")
			}
			state[id] = visiting
			path = append(path, id)
		}
		for _, id := range path {
			state[id] = done
		}
	}
	return nil
}

// Comparison is two to four crosses side by side, each beside its parent
// when the viewer may see it, with what differs from the parent marked.
type Comparison struct {
	Columns []Column
	Rows    []Row
}

// Column is one compared cross.
type Column struct {
	Cross        *Cross
	Parent       *Cross // nil for a root, or a parent the viewer may not see
	ParentHidden bool
}

// Row is one compared field (Key is its catalogue key, Quadrant its
// scenario or 0) with a cell per column.
type Row struct {
	Key      string
	Quadrant int
	Markdown bool
	Cells    []Cell
}

// Cell is a field's value in one column; Differs when the cross has a
// parent the viewer sees and the value is not the parent's.
type Cell struct {
	Text    string
	Differs bool
}

// compared lists the compared fields and how to read each.
var compared = []struct {
	key      string
	quadrant int
	markdown bool
	get      func(c *Cross) string
}{
	{"cross.x_name", 0, false, func(c *Cross) string { return c.X.Name }},
	{"cross.x_low", 0, false, func(c *Cross) string { return c.X.Low }},
	{"cross.x_high", 0, false, func(c *Cross) string { return c.X.High }},
	{"cross.y_name", 0, false, func(c *Cross) string { return c.Y.Name }},
	{"cross.y_low", 0, false, func(c *Cross) string { return c.Y.Low }},
	{"cross.y_high", 0, false, func(c *Cross) string { return c.Y.High }},
}

func init() {
	for q := 1; q <= 4; q++ {
		compared = append(compared,
			struct {
				key      string
				quadrant int
				markdown bool
				get      func(c *Cross) string
			}{"cross.scenario_name", q, false, func(c *Cross) string { return c.Scenario(q).Name }},
			struct {
				key      string
				quadrant int
				markdown bool
				get      func(c *Cross) string
			}{"cross.story", q, true, func(c *Cross) string { return c.Scenario(q).Story }})
	}
}

// Compare puts the crosses ids (2–4, each one a may see) side by side.
func (s *Service) Compare(ctx context.Context, a *account.Actor, ids []int64) (*Comparison, error) {
	var uniq []int64
	for _, id := range ids {
		if id > 0 && !slices.Contains(uniq, id) {
			uniq = append(uniq, id)
		}
	}
	if len(uniq) < 2 || len(uniq) > MaxCompare {
		return nil, errs.E(errs.Invalid, "cross.compare_count")
	}
	cs, err := s.ByID(ctx, a, uniq)
	if err != nil {
		return nil, err
	}
	if len(cs) != len(uniq) {
		return nil, errNotFound
	}
	var parentIDs []int64
	for _, c := range cs {
		if c.ParentID != 0 {
			parentIDs = append(parentIDs, c.ParentID)
		}
	}
	parents, err := s.ByID(ctx, a, parentIDs)
	if err != nil {
		return nil, err
	}
	cmp := &Comparison{}
	for i := range cs {
		col := Column{Cross: &cs[i], ParentHidden: cs[i].Derived()}
		for j := range parents {
			if parents[j].ID == cs[i].ParentID {
				col.Parent, col.ParentHidden = &parents[j], false
			}
		}
		cmp.Columns = append(cmp.Columns, col)
	}
	for _, f := range compared {
		row := Row{Key: f.key, Quadrant: f.quadrant, Markdown: f.markdown}
		for _, col := range cmp.Columns {
			v := f.get(col.Cross)
			row.Cells = append(row.Cells, Cell{Text: v, Differs: col.Parent != nil && f.get(col.Parent) != v})
		}
		cmp.Rows = append(cmp.Rows, row)
	}
	return cmp, nil
}

// Redact clears, in crosses about to leave the service as data (the API,
// exports), the parent of each cross derived from one a may not see or
// one deleted, and marks it ParentHidden, so no id of a hidden cross
// leaves.
func (s *Service) Redact(ctx context.Context, a *account.Actor, cs []Cross) error {
	var ids []int64
	for _, c := range cs {
		if c.ParentID != 0 {
			ids = append(ids, c.ParentID)
		}
	}
	visible := map[int64]bool{}
	if len(ids) > 0 {
		// Only whether each parent may be seen: not their bodies.
		ps, err := s.store.CrossHeads(ctx, ids)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if CanSee(a, &p) {
				visible[p.ID] = true
			}
		}
	}
	for i := range cs {
		if c := &cs[i]; c.Derived() && !visible[c.ParentID] {
			c.ParentID, c.DerivedFrom, c.ParentHidden = 0, 0, true
		}
	}
	return nil
}
