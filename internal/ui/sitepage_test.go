package ui

var (
	_ = addPageType("sitepage", &sitePageView{})
	_ = addPageType("sitepage_edit", &sitePageView{})
)
