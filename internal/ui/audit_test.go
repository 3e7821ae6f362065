package ui

var _ = addPageType("audit", &auditPage{})
