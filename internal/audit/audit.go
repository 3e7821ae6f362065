// Package audit is the log of who changed roles, memberships,
// organisations and visibility (issue 23 item 6), for platform admins.
// Each event is written in the transaction of the change it records, so a
// change that fails leaves no event; no secrets are kept.
package audit

import "time"

// Target kinds.
const (
	KindUser         = "user"
	KindMembership   = "membership"
	KindOrganisation = "organisation"
	KindWork         = "work"
)

// Kinds lists the target kinds, for a filter.
var Kinds = []string{KindUser, KindMembership, KindOrganisation, KindWork}

// Event is one recorded change.
type Event struct {
	ID         int64
	At         time.Time
	ActorID    int64  // 0: no user, or the account was deleted
	ActorName  string // as it was; "" once the account is deleted
	ActorGone  bool   // the actor's account was deleted: a former member
	Action     string // e.g. "user.admin", "membership.role", "work.visibility"
	TargetKind string
	TargetID   int64
	Summary    string // short before→after
}

// FormerMember reports whether the actor's account has been deleted.
func (e Event) FormerMember() bool { return e.ActorGone }

// Filter selects a page of events, newest first.
type Filter struct {
	Kind     string // "" all
	BeforeID int64  // keyset: events older than this id
	Limit    int    // bounded to MaxLimit
}

// MaxLimit bounds a page.
const MaxLimit = 100
