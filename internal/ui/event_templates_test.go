package ui

// The events' pages in the template check (templates_test.go).
var (
	_ = addPageType("events", &eventListPage{})
	_ = addPageType("events_month", &monthPage{})
	_ = addPageType("event", &eventPage{})
	_ = addPageType("event_form", &eventFormPage{})
)
