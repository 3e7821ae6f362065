package analysis

import (
	"slices"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// MaxBodyLen bounds an analysis's Markdown, in characters.
const MaxBodyLen = 50000

// MaxWorks bounds the related works of an analysis.
const MaxWorks = 20

// MaxCrosses bounds the related scenario crosses of an analysis.
const MaxCrosses = 20

// Analysis is a published text by analysts, with the dataset and the
// index model version it draws on. Comments come with the network area:
// Analysis is what they attach to (KindAnalysis and ID).
type Analysis struct {
	ID             int64
	OrganisationID int64
	AuthorID       int64
	Title          string
	Body           string // Markdown, sanitised when shown
	Visibility     Visibility
	DatasetID      int64   // 0: none
	ModelID        int64   // 0: none
	ModelVersion   int     // the version the analysis was written against
	WorkIDs        []int64 // related works of the library, in order
	CrossIDs       []int64 // related scenario crosses, in order
	CreatedAt      time.Time
	UpdatedAt      time.Time

	OrgSlug, OrgName string
	OrgPublic        bool
	AuthorName       string
}

// Validate normalises a and reports invalid fields.
func (a *Analysis) Validate() error {
	f := errs.Fields{}
	checkText(f, "title", &a.Title, MaxNameLen, true)
	checkText(f, "body", &a.Body, MaxBodyLen, true)
	checkVisibility(f, &a.Visibility)
	if a.OrganisationID <= 0 {
		f["organisation"] = "analysis.organisation_required"
	}
	if len(a.WorkIDs) > MaxWorks {
		f["works"] = "analysis.too_many"
	}
	var ids []int64
	for _, id := range a.WorkIDs {
		if id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	a.WorkIDs = ids
	if len(a.CrossIDs) > MaxCrosses {
		f["crosses"] = "analysis.too_many"
	}
	var cids []int64
	for _, id := range a.CrossIDs {
		if id > 0 && !slices.Contains(cids, id) {
			cids = append(cids, id)
		}
	}
	a.CrossIDs = cids
	return f.Err()
}

// SearchDocument is the analysis as the search index holds it.
func (a *Analysis) SearchDocument() search.Document {
	return search.Document{Kind: KindAnalysis, ID: a.ID, Scope: search.Scope(a.Visibility), Owner: a.OrganisationID,
		Orgs: []int64{a.OrganisationID}, Title: a.Title, Body: search.MarkdownText(a.Body), Date: a.CreatedAt,
		Tags: []string{search.Tag("visibility", string(a.Visibility))}}
}
