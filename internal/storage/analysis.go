package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

var _ analysis.Store = (*Analysis)(nil)

// Analysis keeps the analysis area: datasets with their values, index
// models with every version, analyses with their search documents
// (analysis.Store).
type Analysis struct{ db *DB }

// Analysis returns the analysis area's store.
func (db *DB) Analysis() *Analysis { return &Analysis{db: db} }

// visible is the visibility rule (analysis.CanSee, as search.Viewer) in
// SQL over alias's visibility and organisation_id.
func visible(alias string, v search.Viewer, a *sqlArgs) string {
	if v.All {
		return `1 = 1`
	}
	or := []string{alias + `.visibility = 'public'`}
	if v.SignedIn {
		or = append(or, alias+`.visibility = 'network'`)
	}
	if len(v.Members) > 0 {
		or = append(or, `(`+alias+`.visibility = 'organisation' AND `+alias+`.organisation_id IN (`+a.in(v.Members)+`))`)
	}
	if len(v.Editors) > 0 {
		or = append(or, `(`+alias+`.visibility = 'draft' AND `+alias+`.organisation_id IN (`+a.in(v.Editors)+`))`)
	}
	return `(` + strings.Join(or, ` OR `) + `)`
}

// listWhere is the WHERE of a list: visibility, organisation, cursor.
func listWhere(alias string, q analysis.ListQuery, a *sqlArgs) string {
	w := []string{visible(alias, q.Viewer, a)}
	if q.OrganisationID > 0 {
		w = append(w, alias+`.organisation_id = `+a.add(q.OrganisationID))
	}
	if q.BeforeID > 0 {
		w = append(w, alias+`.id < `+a.add(q.BeforeID))
	}
	return ` WHERE ` + strings.Join(w, ` AND `) + ` ORDER BY ` + alias + `.id DESC LIMIT ` + a.add(max(q.Limit, 1))
}

const datasetSelect = `SELECT d.id, d.organisation_id, COALESCE(d.author_id, 0), d.name, d.description, d.source, d.licence,
	d.source_url, d.fetched_at, d.example, d.visibility, d.value_count, d.created_at, o.slug, o.name, o.public
	FROM datasets d JOIN organisations o ON o.id = d.organisation_id`

func scanDataset(row scanner) (*analysis.Dataset, error) {
	var d analysis.Dataset
	var f, c int64
	if err := row.Scan(&d.ID, &d.OrganisationID, &d.AuthorID, &d.Name, &d.Description, &d.Source, &d.Licence,
		&d.SourceURL, &f, &d.Example, &d.Visibility, &d.Count, &c, &d.OrgSlug, &d.OrgName, &d.OrgPublic); err != nil {
		return nil, err
	}
	d.FetchedAt, d.CreatedAt = fromMS(f), fromMS(c)
	return &d, nil
}

// valueBatch rows go in one INSERT: 5 parameters each, well under both
// engines' limits.
const valueBatch = 500

// CreateDataset inserts a dataset with its indicators and values in one
// transaction.
func (s *Analysis) CreateDataset(ctx context.Context, d *analysis.Dataset) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO datasets (organisation_id, author_id, name, description, source, licence,
			source_url, fetched_at, example, visibility, value_count, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			d.OrganisationID, nullID(d.AuthorID), d.Name, d.Description, d.Source, d.Licence, d.SourceURL,
			ms(d.FetchedAt), d.Example, string(d.Visibility), len(d.Values), ms(d.CreatedAt)).Scan(&d.ID)
		if err != nil {
			return fmt.Errorf("create dataset: %w", err)
		}
		for i, ind := range d.Indicators {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dataset_indicators (dataset_id, position, name, unit) VALUES ($1, $2, $3, $4)`,
				d.ID, i, ind.Name, ind.Unit); err != nil {
				return fmt.Errorf("create dataset indicator: %w", err)
			}
		}
		for from := 0; from < len(d.Values); from += valueBatch {
			var a sqlArgs
			var rows []string
			for _, v := range d.Values[from:min(from+valueBatch, len(d.Values))] {
				rows = append(rows, `(`+a.add(d.ID)+`, `+a.add(v.Indicator)+`, `+a.add(v.Region)+`, `+a.add(v.Year)+`, `+a.add(v.Value)+`)`)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO dataset_values (dataset_id, indicator, region_code, year, value) VALUES `+
				strings.Join(rows, `, `), a...); err != nil {
				return fmt.Errorf("create dataset values: %w", err)
			}
		}
		d.Count = len(d.Values)
		return nil
	})
}

// Dataset returns a dataset with its indicators and values, in the
// indicators' order, then region and year.
func (s *Analysis) Dataset(ctx context.Context, id int64) (*analysis.Dataset, error) {
	d, err := scanDataset(s.db.ro.QueryRowContext(ctx, datasetSelect+` WHERE d.id = $1`, id))
	if err != nil {
		return nil, notFound("dataset", err)
	}
	rows, err := s.db.ro.QueryContext(ctx, `SELECT name, unit FROM dataset_indicators WHERE dataset_id = $1 ORDER BY position`, id)
	inds, err := collect("dataset indicators", rows, err, func(r scanner) (*analysis.Indicator, error) {
		var i analysis.Indicator
		return &i, r.Scan(&i.Name, &i.Unit)
	})
	if err != nil {
		return nil, err
	}
	d.Indicators = inds
	rows, err = s.db.ro.QueryContext(ctx, `SELECT v.indicator, v.region_code, v.year, v.value FROM dataset_values v
		JOIN dataset_indicators i ON i.dataset_id = v.dataset_id AND i.name = v.indicator
		WHERE v.dataset_id = $1 ORDER BY i.position, v.region_code, v.year`, id)
	vals, err := collect("dataset values", rows, err, func(r scanner) (*analysis.Value, error) {
		var v analysis.Value
		return &v, r.Scan(&v.Indicator, &v.Region, &v.Year, &v.Value)
	})
	if err != nil {
		return nil, err
	}
	d.Values = vals
	return d, nil
}

// ListDatasets returns the datasets q.Viewer may see, newest first, with
// their indicators but not their values.
func (s *Analysis) ListDatasets(ctx context.Context, q analysis.ListQuery) ([]analysis.Dataset, error) {
	var a sqlArgs
	where := listWhere("d", q, &a)
	rows, err := s.db.ro.QueryContext(ctx, datasetSelect+where, a...)
	list, err := collect("datasets", rows, err, scanDataset)
	if err != nil || len(list) == 0 {
		return list, err
	}
	ids := make([]int64, len(list))
	at := map[int64]int{}
	for i, d := range list {
		ids[i], at[d.ID] = d.ID, i
	}
	var b sqlArgs
	rows, err = s.db.ro.QueryContext(ctx, `SELECT dataset_id, name, unit FROM dataset_indicators WHERE dataset_id IN (`+b.in(ids)+`) ORDER BY dataset_id, position`, b...)
	type ind struct {
		id int64
		analysis.Indicator
	}
	inds, err := collect("dataset indicators", rows, err, func(r scanner) (*ind, error) {
		var i ind
		return &i, r.Scan(&i.id, &i.Name, &i.Unit)
	})
	if err != nil {
		return nil, err
	}
	for _, i := range inds {
		list[at[i.id]].Indicators = append(list[at[i.id]].Indicators, i.Indicator)
	}
	return list, nil
}

const modelSelect = `SELECT m.id, m.organisation_id, COALESCE(m.author_id, 0), m.visibility, v.version, v.spec,
	m.created_at, m.updated_at, o.slug, o.name, o.public, d.name
	FROM index_models m JOIN organisations o ON o.id = m.organisation_id
	JOIN index_model_versions v ON v.model_id = m.id
	JOIN datasets d ON d.id = v.dataset_id`

func scanModel(row scanner) (*analysis.Model, error) {
	var m analysis.Model
	var spec string
	var c, u int64
	if err := row.Scan(&m.ID, &m.OrganisationID, &m.AuthorID, &m.Visibility, &m.Version, &spec, &c, &u,
		&m.OrgSlug, &m.OrgName, &m.OrgPublic, &m.DatasetName); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(spec), &m.Spec); err != nil {
		return nil, fmt.Errorf("model %d version %d: %w", m.ID, m.Version, err)
	}
	m.CreatedAt, m.UpdatedAt = fromMS(c), fromMS(u)
	return &m, nil
}

// CreateModel inserts a model and its version 1.
func (s *Analysis) CreateModel(ctx context.Context, m *analysis.Model) error {
	spec, err := json.Marshal(m.Spec)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		m.Version = 1
		err := tx.QueryRowContext(ctx, `INSERT INTO index_models (organisation_id, author_id, visibility, version, name, dataset_id, created_at, updated_at)
			VALUES ($1, $2, $3, 1, $4, $5, $6, $7) RETURNING id`, m.OrganisationID, nullID(m.AuthorID), string(m.Visibility),
			m.Spec.Name, m.Spec.DatasetID, ms(m.CreatedAt), ms(m.UpdatedAt)).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("create model: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO index_model_versions (model_id, version, spec, dataset_id, author_id, created_at)
			VALUES ($1, 1, $2, $3, $4, $5)`, m.ID, string(spec), m.Spec.DatasetID, nullID(m.AuthorID), ms(m.CreatedAt))
		if err != nil {
			return fmt.Errorf("create model version: %w", err)
		}
		return nil
	})
}

// SaveModelVersion adds version m.Version, one above the stored one.
func (s *Analysis) SaveModelVersion(ctx context.Context, m *analysis.Model) error {
	spec, err := json.Marshal(m.Spec)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE index_models SET version = $1, name = $2, dataset_id = $3, updated_at = $4
			WHERE id = $5 AND version = $6`, m.Version, m.Spec.Name, m.Spec.DatasetID, ms(m.UpdatedAt), m.ID, m.Version-1)
		if err != nil {
			return fmt.Errorf("save model: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.E(errs.Conflict, "error.conflict")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO index_model_versions (model_id, version, spec, dataset_id, author_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, m.Version, string(spec), m.Spec.DatasetID, nullID(m.AuthorID), ms(m.UpdatedAt))
		if isUnique(err) {
			return errs.E(errs.Conflict, "error.conflict")
		}
		if err != nil {
			return fmt.Errorf("save model version: %w", err)
		}
		return nil
	})
}

// Model returns a model at its newest version.
func (s *Analysis) Model(ctx context.Context, id int64) (*analysis.Model, error) {
	m, err := scanModel(s.db.ro.QueryRowContext(ctx, modelSelect+` WHERE m.id = $1 AND v.version = m.version`, id))
	if err != nil {
		return nil, notFound("model", err)
	}
	return m, nil
}

// ModelAt returns a model at version v.
func (s *Analysis) ModelAt(ctx context.Context, id int64, v int) (*analysis.Model, error) {
	m, err := scanModel(s.db.ro.QueryRowContext(ctx, modelSelect+` WHERE m.id = $1 AND v.version = $2`, id, v))
	if err != nil {
		return nil, notFound("model version", err)
	}
	return m, nil
}

// ListModels returns the models q.Viewer may see at their newest versions.
func (s *Analysis) ListModels(ctx context.Context, q analysis.ListQuery) ([]analysis.Model, error) {
	var a sqlArgs
	where := listWhere("m", q, &a)
	where = strings.Replace(where, ` WHERE `, ` WHERE v.version = m.version AND `, 1)
	rows, err := s.db.ro.QueryContext(ctx, modelSelect+where, a...)
	return collect("models", rows, err, scanModel)
}

const analysisSelect = `SELECT a.id, a.organisation_id, COALESCE(a.author_id, 0), a.title, a.body_md, a.visibility,
	COALESCE(a.dataset_id, 0), COALESCE(a.model_id, 0), a.model_version, a.created_at, a.updated_at,
	o.slug, o.name, o.public, COALESCE(u.name, '')
	FROM analyses a JOIN organisations o ON o.id = a.organisation_id LEFT JOIN users u ON u.id = a.author_id`

func scanAnalysis(row scanner) (*analysis.Analysis, error) {
	var an analysis.Analysis
	var c, u int64
	if err := row.Scan(&an.ID, &an.OrganisationID, &an.AuthorID, &an.Title, &an.Body, &an.Visibility,
		&an.DatasetID, &an.ModelID, &an.ModelVersion, &c, &u, &an.OrgSlug, &an.OrgName, &an.OrgPublic, &an.AuthorName); err != nil {
		return nil, err
	}
	an.CreatedAt, an.UpdatedAt = fromMS(c), fromMS(u)
	return &an, nil
}

// CreateAnalysis inserts an analysis with its search document.
func (s *Analysis) CreateAnalysis(ctx context.Context, an *analysis.Analysis) error {
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO analyses (organisation_id, author_id, title, body_md, visibility,
			dataset_id, model_id, model_version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, an.OrganisationID, nullID(an.AuthorID), an.Title, an.Body,
			string(an.Visibility), nullID(an.DatasetID), nullID(an.ModelID), an.ModelVersion, ms(an.CreatedAt), ms(an.UpdatedAt)).Scan(&an.ID)
		if err != nil {
			return fmt.Errorf("create analysis: %w", err)
		}
		for i, w := range an.WorkIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO analysis_works (analysis_id, work_id, position) VALUES ($1, $2, $3)`, an.ID, w, i); err != nil {
				return fmt.Errorf("create analysis work: %w", err)
			}
		}
		for i, c := range an.CrossIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO analysis_crosses (analysis_id, cross_id, position) VALUES ($1, $2, $3)`, an.ID, c, i); err != nil {
				return fmt.Errorf("create analysis cross: %w", err)
			}
		}
		return s.db.putSearchDocs(ctx, tx, []search.Document{an.SearchDocument()})
	})
}

// Analysis returns an analysis.
func (s *Analysis) Analysis(ctx context.Context, id int64) (*analysis.Analysis, error) {
	an, err := scanAnalysis(s.db.ro.QueryRowContext(ctx, analysisSelect+` WHERE a.id = $1`, id))
	if err != nil {
		return nil, notFound("analysis", err)
	}
	rows, err := s.db.ro.QueryContext(ctx, `SELECT work_id FROM analysis_works WHERE analysis_id = $1 ORDER BY position`, id)
	ids, err := collect("analysis works", rows, err, func(r scanner) (*int64, error) {
		var w int64
		return &w, r.Scan(&w)
	})
	if err != nil {
		return nil, err
	}
	an.WorkIDs = ids
	rows, err = s.db.ro.QueryContext(ctx, `SELECT cross_id FROM analysis_crosses WHERE analysis_id = $1 ORDER BY position`, id)
	cids, err := collect("analysis crosses", rows, err, func(r scanner) (*int64, error) {
		var c int64
		return &c, r.Scan(&c)
	})
	if err != nil {
		return nil, err
	}
	an.CrossIDs = cids
	return an, nil
}

// ListAnalyses returns the analyses q.Viewer may see, newest first.
func (s *Analysis) ListAnalyses(ctx context.Context, q analysis.ListQuery) ([]analysis.Analysis, error) {
	var a sqlArgs
	rows, err := s.db.ro.QueryContext(ctx, analysisSelect+listWhere("a", q, &a), a...)
	return collect("analyses", rows, err, scanAnalysis)
}
