package ui

import (
	"context"
	"math"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
)

// A region's organisation page shows its index profile: its place in the
// index models the visitor may see, next to its works and posts.

// profileModels bounds the models a profile lists.
const profileModels = 6

type indexProfile struct {
	Region string
	Rows   []profileRow
}

type profileRow struct {
	ModelID  int64
	Model    string
	Version  int
	Year     int
	Rank, Of int
	Value    string
	Example  bool
	Blocks   []profileBlock
}

type profileBlock struct {
	Name, Value, Median string
}

// indexProfile is org's profile when it is a region with a län code and
// some model has a value for it; nil otherwise.
func (s *Server) indexProfile(ctx context.Context, a *account.Actor, org *account.Organisation, tr *i18n.Translator) (*indexProfile, error) {
	if s.analysis == nil || org.Kind != account.KindRegion || analysis.RegionByCode(org.LanCode) == nil {
		return nil, nil
	}
	models, err := s.analysis.Models(ctx, a, 0, profileModels)
	if err != nil {
		return nil, err
	}
	p := &indexProfile{Region: analysis.RegionByCode(org.LanCode).Name}
	for _, m := range models {
		c, err := s.analysis.Results(ctx, a, m.ID, 0)
		if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Invalid) {
			continue
		}
		if err != nil {
			return nil, err
		}
		ranked := 0
		for _, r := range c.Results {
			if r.Rank > 0 {
				ranked++
			}
		}
		for _, r := range c.Results {
			if r.Region != org.LanCode || math.IsNaN(r.Value) {
				continue
			}
			row := profileRow{ModelID: m.ID, Model: m.Spec.Name, Version: m.Version, Year: m.Spec.Year, Rank: r.Rank, Of: ranked,
				Value: numText(tr.Lang, r.Value), Example: c.Example}
			for b, name := range c.Prepared.BlockNames {
				row.Blocks = append(row.Blocks, profileBlock{Name: name, Value: numText(tr.Lang, r.Blocks[b]), Median: numText(tr.Lang, c.NationalMedian[b])})
			}
			p.Rows = append(p.Rows, row)
		}
	}
	if len(p.Rows) == 0 {
		return nil, nil
	}
	return p, nil
}
