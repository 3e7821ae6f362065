package storage

import (
	"context"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// MigrationStatus is one migration and whether it has run.
type MigrationStatus struct {
	Version int64
	Source  string
	Applied bool
}

func (db *DB) provider() (*goose.Provider, error) {
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if db.Engine == Postgres {
		dialect = goose.DialectPostgres
		// Several instances may start at once; one migrates, the others wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	// Areas are built in parallel and each reserves its own numbers, so a
	// release may bring a number below one already applied (00012 after
	// 00013); each migration touches only its own area's tables.
	opts = append(opts, goose.WithAllowOutofOrder(true))
	opts = append(opts, goose.WithGoMigrations(db.facetsMigration(), db.analysisMigration(), db.contentVersionMigration(), db.postDatesMigration()))
	return goose.NewProvider(dialect, db.rw, db.migrationsFS(), opts...)
}

// Migrate applies every pending migration, then indexes organisations
// that have no search document yet.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	// Tables made since 38 get the content version's triggers.
	if err := db.ensureContentTriggers(ctx, db.rw); err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	// Organisations saved before 00012 get their sort and search keys.
	if err := db.fillOrgKeys(ctx); err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	// Users made before 00042 get their handles.
	if err := db.fillHandles(ctx); err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	// Organisations saved before they were indexed get their documents;
	// the stems are computed in Go, so SQL migrations cannot.
	if err := db.Organisations().IndexOrganisations(ctx); err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	return nil
}

// MigrateDownTo rolls the schema back to version, newest first: an
// operator's way back to the release that knew version.
func (db *DB) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("storage: migrate down: %w", err)
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("storage: migrate down: %w", err)
	}
	return nil
}

// MigrationStatus lists the migrations and whether each has run.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := db.provider()
	if err != nil {
		return nil, fmt.Errorf("storage: migration status: %w", err)
	}
	res, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("storage: migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(res))
	for _, r := range res {
		m := MigrationStatus{Version: r.Source.Version, Source: r.Source.Path, Applied: r.State == goose.StateApplied}
		if m.Source == "" && m.Version == facetsVersion {
			m.Source = "00006_search_facets.go" // Go, in this package
		}
		if m.Source == "" && m.Version == analysisVersion {
			m.Source = "00011_search_analysis.go" // Go, in this package
		}
		if m.Source == "" && m.Version == contentVersionNumber {
			m.Source = "00038_content_version.go" // Go, in this package
		}
		if m.Source == "" && m.Version == postDatesVersion {
			m.Source = "00043_post_dates.go" // Go, in this package
		}
		out = append(out, m)
	}
	return out, nil
}
