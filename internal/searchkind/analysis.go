package searchkind

import (
	"context"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
)

// AnalysisPath is the page of a published analysis.
func AnalysisPath(id int64) string { return "/analys/" + strconv.FormatInt(id, 10) }

// Analysis is the kind of published analyses: hits link to the analysis,
// for the analyses a may see.
func Analysis(svc *analysis.Service) Kind {
	return Kind{Name: analysis.KindAnalysis, Label: "search.kind.analysis",
		Links: func(ctx context.Context, a *account.Actor, ids []int64) (map[int64]string, error) {
			list, err := svc.AnalysesByID(ctx, a, ids)
			if err != nil {
				return nil, err
			}
			out := make(map[int64]string, len(list))
			for _, an := range list {
				out[an.ID] = AnalysisPath(an.ID)
			}
			return out, nil
		}}
}
