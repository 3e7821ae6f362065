package ui

// The collaboration board's pages in the template check (templates_test.go).
var (
	_ = addPageType("board", &boardListPage{})
	_ = addPageType("board_post", &boardPostPage{})
)
