package ui

// The crosses' pages in the template check (templates_test.go).
var (
	_ = addPageType("cross_list", &crossListPage{})
	_ = addPageType("cross", &crossPage{})
	_ = addPageType("cross_print", &crossPage{})
	_ = addPageType("cross_form", &crossFormPage{})
	_ = addPageType("cross_lineage", &crossLineagePage{})
	_ = addPageType("cross_compare", &crossComparePage{})
	_ = addPageType("cross_revisions", &crossRevisionsPage{})
	_ = addPageType("cross_import", &crossImportPage{})
)

// The method guides' pages.
var (
	_ = addPageType("methods", &methodListPage{})
	_ = addPageType("method", &methodPage{})
)

var _ = addPageType("cross_stress", &crossStressPage{})
