package ui

// The synonyms page of the search's admin.
var _ = addPageType("synonyms", &synonymsPage{})
