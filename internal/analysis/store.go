package analysis

import (
	"context"

	"github.com/framsyn/framsyn/internal/search"
)

// Store keeps datasets, index models (with every version) and analyses.
// Each method is one transaction; a missing object is errs.NotFound.
type Store interface {
	// CreateDataset inserts d with its indicators and values, setting d.ID.
	CreateDataset(ctx context.Context, d *Dataset) error
	// Dataset returns a dataset with its indicators and values.
	Dataset(ctx context.Context, id int64) (*Dataset, error)
	// ListDatasets returns the datasets q.Viewer may see, newest first, without values.
	ListDatasets(ctx context.Context, q ListQuery) ([]Dataset, error)

	// CreateModel inserts m as version 1, setting m.ID.
	CreateModel(ctx context.Context, m *Model) error
	// SaveModelVersion stores m.Spec as version m.Version, which must be
	// one above the stored one (Conflict otherwise).
	SaveModelVersion(ctx context.Context, m *Model) error
	// Model returns a model at its newest version.
	Model(ctx context.Context, id int64) (*Model, error)
	// ModelAt returns a model at version v.
	ModelAt(ctx context.Context, id int64, v int) (*Model, error)
	// ListModels returns the models q.Viewer may see, newest first.
	ListModels(ctx context.Context, q ListQuery) ([]Model, error)

	// CreateAnalysis inserts a with its search document.
	CreateAnalysis(ctx context.Context, a *Analysis) error
	// Analysis returns an analysis.
	Analysis(ctx context.Context, id int64) (*Analysis, error)
	// ListAnalyses returns the analyses q.Viewer may see, newest first.
	ListAnalyses(ctx context.Context, q ListQuery) ([]Analysis, error)
}

// ListQuery selects what a viewer may see, a page at a time by id.
type ListQuery struct {
	Viewer         search.Viewer
	OrganisationID int64 // 0: all
	BeforeID       int64 // 0: from the newest
	Limit          int
}
