package ui

// The personal-data page in the template check (templates_test.go).
var _ = addPageType("privacy", &privacyPage{})
