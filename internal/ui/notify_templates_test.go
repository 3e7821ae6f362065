package ui

// The inbox's pages in the template check (templates_test.go).
var (
	_ = addPageType("inbox", &inboxPage{})
	_ = addPageType("unsubscribe", &unsubscribePage{})
)
