package ui

// The workshop's pages in the template check (templates_test.go).
var (
	_ = addPageType("workshops", &workshopListPage{})
	_ = addPageType("workshop", &boardPage{})
	_ = addPageType("workshop_join", &joinPage{})
	_ = addPageType("workshop_rejoin", &rejoinPage{})
	_ = addPageType("workshop_results", &resultsPage{})
	_ = addPageType("workshop_projector", &projectorPage{})
	_ = addPageType("workshop_projector_link", &projectorLinkPage{})
)
