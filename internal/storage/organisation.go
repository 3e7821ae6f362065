package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/framsyn/framsyn/internal/audit"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// Organisations keeps organisations and their contact persons, with
// their search documents (account.Store's organisation half).
type Organisations struct {
	db *DB
	// changed runs in the transaction that changed organisations' public
	// profiles (see OrgHook).
	changed []OrgHook
}

const orgCols = `id, slug, name, short_name, former_names, kind, level, lan_code, description_md, website, logo, public, created_at, updated_at`

func scanOrg(row interface{ Scan(...any) error }) (*account.Organisation, error) {
	var o account.Organisation
	var c, u int64
	var former string
	if err := row.Scan(&o.ID, &o.Slug, &o.Name, &o.ShortName, &former, &o.Kind, &o.Level, &o.LanCode, &o.DescriptionMD,
		&o.Website, &o.Logo, &o.Public, &c, &u); err != nil {
		return nil, err
	}
	o.CreatedAt, o.UpdatedAt = fromMS(c), fromMS(u)
	if former != "" {
		o.FormerNames = strings.Split(former, "\n") // names hold no newline (Validate)
	}
	return &o, nil
}

// CreateOrganisation inserts an organisation; a taken slug is a Conflict.
func (s *Organisations) CreateOrganisation(ctx context.Context, o *account.Organisation) (int64, error) {
	var id int64
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		now := s.db.nowMS()
		if id, err = insertOrg(ctx, tx, o, now); err != nil {
			return err
		}
		if err := writeAudit(ctx, tx, now, "organisation.create", audit.KindOrganisation, id,
			fmt.Sprintf("%s (public: %t)", o.Name, o.Public)); err != nil {
			return err
		}
		return s.indexOrganisations(ctx, tx, []int64{id}, false)
	})
	return id, err
}

func insertOrg(ctx context.Context, q queryer, o *account.Organisation, now int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO organisations (slug, name, short_name, kind, level, lan_code, description_md, website, logo, public, created_at, updated_at, sort_key, search_text, dir_key, former_names)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15) RETURNING id`,
		o.Slug, o.Name, o.ShortName, string(o.Kind), string(o.Level), o.LanCode, o.DescriptionMD, o.Website, o.Logo, o.Public, now,
		orgSortKey(o.Name), orgSearchText(o), orgDirKey(o), strings.Join(o.FormerNames, "\n")).Scan(&id)
	if isUnique(err) {
		return 0, errs.Wrap(errs.Conflict, "org.slug_taken", err)
	}
	if err != nil {
		return 0, fmt.Errorf("create organisation: %w", err)
	}
	return id, nil
}

func updateOrg(ctx context.Context, q queryer, o *account.Organisation, now int64) error {
	res, err := q.ExecContext(ctx, `UPDATE organisations SET slug = $1, name = $2, short_name = $3, kind = $4, level = $5, lan_code = $6,
		description_md = $7, website = $8, logo = $9, public = $10, updated_at = $11, sort_key = $12, search_text = $13, dir_key = $14, former_names = $16 WHERE id = $15`,
		o.Slug, o.Name, o.ShortName, string(o.Kind), string(o.Level), o.LanCode, o.DescriptionMD, o.Website, o.Logo, o.Public, now,
		orgSortKey(o.Name), orgSearchText(o), orgDirKey(o), o.ID, strings.Join(o.FormerNames, "\n"))
	return mustAffect("update organisation", res, err)
}

// UpdateOrganisation saves an organisation's profile.
func (s *Organisations) UpdateOrganisation(ctx context.Context, o *account.Organisation) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		var name string
		var public bool
		if err := tx.QueryRowContext(ctx, `SELECT name, public FROM organisations WHERE id = $1`, o.ID).Scan(&name, &public); err != nil {
			return notFound("update organisation", err)
		}
		now := s.db.nowMS()
		if err := updateOrg(ctx, tx, o, now); err != nil {
			return err
		}
		action, summary := "organisation.update", o.Name
		if name != o.Name {
			summary = fmt.Sprintf("name: %s→%s", name, o.Name)
		}
		if public != o.Public {
			action, summary = "organisation.public", fmt.Sprintf("%s; public: %t→%t", summary, public, o.Public)
		}
		if err := writeAudit(ctx, tx, now, action, audit.KindOrganisation, o.ID, summary); err != nil {
			return err
		}
		return s.indexOrganisations(ctx, tx, []int64{o.ID}, true)
	})
}

// DeleteOrganisation removes an organisation; contacts and memberships go with it.
func (s *Organisations) DeleteOrganisation(ctx context.Context, id int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		// The foreign keys would take the documents too; saying so keeps
		// the index's bookkeeping in one place.
		if err := s.changes(ctx, tx, []int64{id}, true); err != nil {
			return err
		}
		if err := s.db.deleteSearchDocs(ctx, tx, account.OrganisationKind, []int64{id}); err != nil {
			return fmt.Errorf("delete organisation: %w", err)
		}
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = $1`, id).Scan(&name); err != nil {
			return notFound("delete organisation", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM organisations WHERE id = $1`, id)
		if err := mustAffect("delete organisation", res, err); err != nil {
			return err
		}
		return writeAudit(ctx, tx, s.db.nowMS(), "organisation.delete", audit.KindOrganisation, id, name+"→deleted")
	})
}

// OrganisationBySlug returns an organisation with its contacts.
func (s *Organisations) OrganisationBySlug(ctx context.Context, slug string) (*account.Organisation, error) {
	o, err := scanOrg(s.db.ro.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE slug = $1`, slug))
	if err != nil {
		return nil, notFound("organisation", err)
	}
	if o.Contacts, err = contactsOf(ctx, s.db.ro, o.ID); err != nil {
		return nil, err
	}
	return o, nil
}

// orgWhere builds the WHERE clause of a filter.
func orgWhere(f account.OrgFilter) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if !f.All {
		vis := `public = ` + arg(true)
		if len(f.MemberOf) > 0 {
			ids := make([]string, len(f.MemberOf))
			for i, id := range f.MemberOf {
				ids[i] = arg(id)
			}
			vis += ` OR id IN (` + strings.Join(ids, ", ") + `)`
		}
		where = append(where, `(`+vis+`)`)
	}
	if f.Kind != "" {
		where = append(where, `kind = `+arg(string(f.Kind)))
	}
	if f.Level != "" {
		where = append(where, `level = `+arg(string(f.Level)))
	}
	if f.LanCode != "" {
		where = append(where, `lan_code = `+arg(f.LanCode))
	}
	if pat := orgQueryPattern(f.Query); pat != "" {
		where = append(where, `search_text LIKE `+arg(pat)+` ESCAPE '\'`)
	} else if f.Query != "" {
		where = append(where, `1 = 0`) // only punctuation: nothing matches
	}
	if f.AfterSlug != "" {
		where = append(where, `slug > `+arg(f.AfterSlug))
	}
	if f.AfterKey != nil {
		k := arg(f.AfterKey)
		where = append(where, `(sort_key > `+k+` OR (sort_key = `+k+` AND id > `+arg(f.AfterID)+`))`)
	}
	if f.OnePerLan {
		where = append(where, `lan_code <> ''`)
	}
	if f.IDs != nil {
		ph := []string{`NULL`} // matches nothing: an empty list selects none
		for _, id := range f.IDs {
			ph = append(ph, arg(id))
		}
		where = append(where, `id IN (`+strings.Join(ph, `, `)+`)`)
	}
	if len(where) == 0 {
		return "", args
	}
	return ` WHERE ` + strings.Join(where, ` AND `), args
}

// ListOrganisations lists the organisations the filter allows, in the
// filter's order (account.OrgOrder).
func (s *Organisations) ListOrganisations(ctx context.Context, f account.OrgFilter) ([]account.Organisation, error) {
	where, args := orgWhere(f)
	// The page's ids are chosen first, walking a covering index in order
	// (organisations_sort, organisations_dir, 00012) to the page's end,
	// and only they are read whole: a sort of every row with its
	// description copies megabytes at 2,700 organisations.
	inner := `SELECT id FROM organisations` + where + ` ORDER BY ` + orgOrder(f, "")
	if f.OnePerLan {
		f.Limit, f.Offset = 0, 0
		inner = `SELECT MIN(id) AS id FROM organisations` + where + ` GROUP BY lan_code`
	}
	if f.Limit > 0 {
		args = append(args, f.Limit)
		inner += fmt.Sprintf(` LIMIT $%d`, len(args))
	}
	if f.Offset > 0 {
		if f.Limit <= 0 {
			inner += ` LIMIT -1` // SQLite needs a LIMIT before OFFSET
			if s.db.Engine == Postgres {
				inner = strings.TrimSuffix(inner, ` LIMIT -1`) + ` LIMIT ALL`
			}
		}
		args = append(args, f.Offset)
		inner += fmt.Sprintf(` OFFSET $%d`, len(args))
	}
	q := `SELECT ` + orgColsOf("o.") + ` FROM organisations o JOIN (` + inner + `) p ON p.id = o.id ORDER BY ` + orgOrder(f, "o.")
	rows, err := s.db.ro.QueryContext(ctx, q, args...)
	out, err := collect("list organisations", rows, err, scanOrg)
	if err != nil || f.NoContacts {
		return out, err
	}
	return out, s.attachContacts(ctx, out)
}

// orgOrder is the ORDER BY of a filter, its columns prefixed.
func orgOrder(f account.OrgFilter, p string) string {
	switch {
	case f.Recent:
		return p + `updated_at DESC, ` + p + `slug`
	case f.Order == account.OrderName:
		return p + `sort_key, ` + p + `id`
	case f.Order == account.OrderDirectory:
		return p + `dir_key, ` + p + `id`
	}
	return p + `slug`
}

// orgColsOf is orgCols with each column prefixed.
func orgColsOf(p string) string {
	cols := strings.Split(orgCols, ", ")
	for i := range cols {
		cols[i] = p + cols[i]
	}
	return strings.Join(cols, ", ")
}

// CountOrganisations counts the organisations the filter allows, by kind.
func (s *Organisations) CountOrganisations(ctx context.Context, f account.OrgFilter) (map[account.OrgKind]int, error) {
	f.AfterSlug, f.AfterKey, f.Limit, f.Offset = "", nil, 0, 0
	where, args := orgWhere(f)
	rows, err := s.db.ro.QueryContext(ctx, `SELECT kind, COUNT(*) FROM organisations`+where+` GROUP BY kind`, args...)
	if err != nil {
		return nil, fmt.Errorf("count organisations: %w", err)
	}
	defer rows.Close()
	out := map[account.OrgKind]int{}
	for rows.Next() {
		var k account.OrgKind
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// contactBatch bounds the parameters of one IN list: SQLite looks
// parameters up by name, which grows with the square of their number.
const contactBatch = 100

// attachContacts loads the contacts of a list of organisations, a batch
// of organisations per query.
func (s *Organisations) attachContacts(ctx context.Context, orgs []account.Organisation) error {
	idx := make(map[int64]int, len(orgs))
	for i, o := range orgs {
		idx[o.ID] = i
	}
	for start := 0; start < len(orgs); start += contactBatch {
		batch := orgs[start:min(start+contactBatch, len(orgs))]
		ph := make([]string, len(batch))
		args := make([]any, len(batch))
		for i, o := range batch {
			ph[i] = fmt.Sprintf("$%d", i+1)
			args[i] = o.ID
		}
		if err := s.contactsIn(ctx, strings.Join(ph, ","), args, func(c *account.Contact) {
			o := &orgs[idx[c.OrganisationID]]
			o.Contacts = append(o.Contacts, *c)
		}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Organisations) contactsIn(ctx context.Context, placeholders string, args []any, add func(*account.Contact)) error {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE organisation_id IN (`+placeholders+`) ORDER BY position, id`, args...)
	if err != nil {
		return fmt.Errorf("contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return err
		}
		add(c)
	}
	return rows.Err()
}

const contactCols = `id, organisation_id, name, title, email, phone, COALESCE(user_id, 0), position, details_public`

func scanContact(row interface{ Scan(...any) error }) (*account.Contact, error) {
	var c account.Contact
	err := row.Scan(&c.ID, &c.OrganisationID, &c.Name, &c.Title, &c.Email, &c.Phone, &c.UserID, &c.Position, &c.DetailsPublic)
	return &c, err
}

func contactsOf(ctx context.Context, q queryer, orgID int64) ([]account.Contact, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE organisation_id = $1 ORDER BY position, id`, orgID)
	return collect("contacts", rows, err, scanContact)
}

func insertContact(ctx context.Context, q queryer, c *account.Contact, now int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO contacts (organisation_id, name, title, email, phone, user_id, position, created_at, updated_at, details_public)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id`,
		c.OrganisationID, c.Name, c.Title, c.Email, c.Phone, nullID(c.UserID), c.Position, now, c.DetailsPublic).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create contact: %w", err)
	}
	return id, nil
}

// CreateContact adds a contact person at the end of the list.
func (s *Organisations) CreateContact(ctx context.Context, c *account.Contact) (int64, error) {
	var id int64
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), -1) + 1 FROM contacts WHERE organisation_id = $1`, c.OrganisationID).Scan(&c.Position); err != nil {
			return err
		}
		var err error
		if id, err = insertContact(ctx, tx, c, s.db.nowMS()); err != nil {
			return err
		}
		return s.indexOrganisations(ctx, tx, []int64{c.OrganisationID}, false)
	})
	return id, err
}

// UpdateContact saves a contact person of an organisation.
func (s *Organisations) UpdateContact(ctx context.Context, c *account.Contact) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE contacts SET name = $1, title = $2, email = $3, phone = $4, user_id = $5, updated_at = $6, details_public = $9
			WHERE id = $7 AND organisation_id = $8`, c.Name, c.Title, c.Email, c.Phone, nullID(c.UserID), s.db.nowMS(), c.ID, c.OrganisationID, c.DetailsPublic)
		if err := mustAffect("update contact", res, err); err != nil {
			return err
		}
		return s.indexOrganisations(ctx, tx, []int64{c.OrganisationID}, false)
	})
}

// DeleteContact removes a contact person of an organisation.
func (s *Organisations) DeleteContact(ctx context.Context, orgID, id int64) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = $1 AND organisation_id = $2`, id, orgID)
		if err := mustAffect("delete contact", res, err); err != nil {
			return err
		}
		return s.indexOrganisations(ctx, tx, []int64{orgID}, false)
	})
}

// PutOrganisations upserts organisations by slug and replaces their
// contacts in one transaction, with their search documents; logos
// already stored are kept.
func (s *Organisations) PutOrganisations(ctx context.Context, orgs []account.Organisation) error {
	now := s.db.nowMS()
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		ids := make([]int64, len(orgs))
		for i := range orgs {
			o := &orgs[i]
			var id int64
			var logo string
			err := tx.QueryRowContext(ctx, `SELECT id, logo FROM organisations WHERE slug = $1`, o.Slug).Scan(&id, &logo)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if o.ID, err = insertOrg(ctx, tx, o, now); err != nil {
					return fmt.Errorf("%s: %w", o.Slug, err)
				}
			case err != nil:
				return err
			default:
				o.ID = id
				if o.Logo == "" {
					o.Logo = logo
				}
				if err := updateOrg(ctx, tx, o, now); err != nil {
					return fmt.Errorf("%s: %w", o.Slug, err)
				}
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE organisation_id = $1`, o.ID); err != nil {
				return err
			}
			for j := range o.Contacts {
				c := &o.Contacts[j]
				c.OrganisationID, c.Position = o.ID, j
				if c.ID, err = insertContact(ctx, tx, c, now); err != nil {
					return fmt.Errorf("%s: %w", o.Slug, err)
				}
			}
			ids[i] = o.ID
		}
		return s.indexOrganisations(ctx, tx, ids, true)
	})
}

// OrgHook is work another area does in the transaction that changes
// organisations: after their profiles changed (deleted false), or before
// they are deleted. internal/app registers them (posts' documents follow
// their organisation's public flag).
type OrgHook func(ctx context.Context, tx *sql.Tx, orgIDs []int64, deleted bool) error

// changes runs the hooks.
func (s *Organisations) changes(ctx context.Context, tx *sql.Tx, ids []int64, deleted bool) error {
	for _, h := range s.changed {
		if err := h(ctx, tx, ids, deleted); err != nil {
			return err
		}
	}
	return nil
}

// indexOrganisations puts the search documents of organisations, read
// inside the caller's transaction, a batch at a time; profile says their
// profiles changed, which the hooks hear of.
func (s *Organisations) indexOrganisations(ctx context.Context, q *sql.Tx, ids []int64, profile bool) error {
	for start := 0; start < len(ids); start += contactBatch {
		batch := ids[start:min(start+contactBatch, len(ids))]
		var a sqlArgs
		in := a.in(batch)
		rows, err := q.QueryContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE id IN (`+in+`)`, a...)
		if err != nil {
			return fmt.Errorf("index organisations: %w", err)
		}
		var orgs []account.Organisation
		idx := map[int64]int{}
		for rows.Next() {
			o, err := scanOrg(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("index organisations: %w", err)
			}
			idx[o.ID] = len(orgs)
			orgs = append(orgs, *o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("index organisations: %w", err)
		}
		crows, err := q.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE organisation_id IN (`+in+`) ORDER BY position, id`, a...)
		if err != nil {
			return fmt.Errorf("index organisations: %w", err)
		}
		for crows.Next() {
			c, err := scanContact(crows)
			if err != nil {
				crows.Close()
				return fmt.Errorf("index organisations: %w", err)
			}
			if i, ok := idx[c.OrganisationID]; ok {
				orgs[i].Contacts = append(orgs[i].Contacts, *c)
			}
		}
		crows.Close()
		if err := crows.Err(); err != nil {
			return fmt.Errorf("index organisations: %w", err)
		}
		docs := make([]search.Document, len(orgs))
		for i := range orgs {
			docs[i] = orgs[i].SearchDocument()
		}
		if err := s.db.putSearchDocs(ctx, q, docs); err != nil {
			return err
		}
		if profile {
			if err := s.changes(ctx, q, batch, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// IndexOrganisations registers every organisation that has no search
// document yet, so that a database from before organisations were indexed
// gets found too. It runs after migrating; with nothing to do it is one
// query.
func (s *Organisations) IndexOrganisations(ctx context.Context) error {
	rows, err := s.db.ro.QueryContext(ctx, `SELECT o.id FROM organisations o WHERE NOT EXISTS
		(SELECT 1 FROM search_docs d WHERE d.kind = $1 AND d.ref_id = o.id) ORDER BY o.id`, account.OrganisationKind)
	if err != nil {
		return fmt.Errorf("index organisations: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return err
	}
	return s.db.tx(ctx, func(tx *sql.Tx) error { return s.indexOrganisations(ctx, tx, ids, false) })
}

// OrganisationsByLogo lists the organisations whose logo is the stored
// file hash.
func (os *Organisations) OrganisationsByLogo(ctx context.Context, hash string) ([]account.Organisation, error) {
	rows, err := os.db.ro.QueryContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE logo = $1 ORDER BY id`, hash)
	if err != nil {
		return nil, fmt.Errorf("organisations by logo: %w", err)
	}
	defer rows.Close()
	var out []account.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("organisations by logo: %w", err)
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}
