package storage

import (
	"github.com/framsyn/framsyn/internal/account"
)

// The stores of the domains, one adapter type each over the same pools;
// internal/app hands each to its service.

// Users returns the store of users, memberships, invitations and resets.
func (db *DB) Users() *Users { return &Users{db: db} }

// Sessions returns the store of sessions and API tokens.
func (db *DB) Sessions() *Sessions { return &Sessions{db: db} }

// Organisations returns the store of organisations and contact persons;
// hooks run in the transaction of every change to an organisation's
// profile (OrgHook).
func (db *DB) Organisations(hooks ...OrgHook) *Organisations {
	return &Organisations{db: db, changed: hooks}
}

// Works returns the library's store.
func (db *DB) Works() *Works { return &Works{db: db} }

// Posts returns the store of organisations' posts.
func (db *DB) Posts() *Posts { return &Posts{db: db} }

// Workshops returns the store of workshops and their event logs.
func (db *DB) Workshops() *Workshops { return &Workshops{db: db} }

// Search returns the search index.
func (db *DB) Search() *Search { return &Search{db: db} }

// Media returns what answers which stored files are still named.
func (db *DB) Media() *Media { return &Media{db: db} }

// accounts is account.Store from its three adapters.
type accounts struct {
	*Users
	*Sessions
	*Organisations
}

var _ account.Store = accounts{}

// Accounts returns account.Store over Users, Sessions and Organisations,
// the last with hooks (see OrgHook).
func (db *DB) Accounts(hooks ...OrgHook) account.Store {
	return accounts{Users: db.Users(), Sessions: db.Sessions(), Organisations: db.Organisations(hooks...)}
}
