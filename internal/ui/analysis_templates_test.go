package ui

// The analysis area's pages in the template check (templates_test.go).
var (
	_ = addPageType("analysis", &analysisHomePage{})
	_ = addPageType("analysis_show", &analysisShowPage{})
	_ = addPageType("analysis_data", &datasetsPage{})
	_ = addPageType("analysis_dataset", &datasetPage{})
	_ = addPageType("analysis_models", &modelsPage{})
	_ = addPageType("analysis_model", &modelPage{})
)
