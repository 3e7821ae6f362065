package ui

// The facilitators' pages in the template check (templates_test.go).
var (
	_ = addPageType("facilitators", &facilitatorListPage{})
	_ = addPageType("facilitator_form", &facilitatorFormPage{})
	_ = addPageType("facilitator", &facilitatorPage{})
	_ = addPageType("assignments", &requestListPage{})
	_ = addPageType("assignment", &requestPage{})
)
