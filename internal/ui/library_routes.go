package ui

import (
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/route"
)

// Register adds the library's pages to t.
func (s *libraryPages) Register(t *route.Table) {
	P, U := route.Public, route.SignedIn
	t.Handle(P, "GET /bibliotek", s.h(s.listWorks))
	t.Handle(P, "GET /bibliotek/sa-har-gjorde-vi", s.h(s.listExperiences))
	t.Handle(P, "GET /bibliotek/export.csv", s.h(s.exportWorksCSV))
	t.Handle(P, "GET /bibliotek/export.json", s.h(s.exportWorksJSON))
	t.Handle(P, "GET /bibliotek/export.zip", s.h(s.exportWorksZIP))
	t.Handle(U, "GET /bibliotek/import", s.h(s.showImport))
	t.Handle(U, "POST /bibliotek/import", s.h(s.importWorks), httpx.ImportLimits(library.MaxImportJSONBytes, library.MaxArchiveBytes)...)
	t.Handle(U, "GET /bibliotek/ny", s.h(s.showNewWork))
	t.Handle(U, "POST /bibliotek", s.h(s.createWork))
	t.Handle(P, "GET /bibliotek/{slug}", s.h(s.showWork))
	t.Handle(U, "GET /bibliotek/{slug}/redigera", s.h(s.showEditWork))
	t.Handle(U, "POST /bibliotek/{slug}", s.h(s.updateWork))
	t.Handle(U, "POST /bibliotek/{slug}/ta-bort", s.h(s.deleteWork))
	t.Handle(U, "GET /bibliotek/{slug}/versioner", s.h(s.showRevisions))
	t.Handle(U, "GET /bibliotek/{slug}/versioner/{n}", s.h(s.showRevision))
	t.Handle(U, "POST /bibliotek/{slug}/versioner/{n}/aterstall", s.h(s.restoreRevision))
	t.Handle(U, "POST /bibliotek/{slug}/bilagor", s.h(s.uploadAttachment), route.MaxBody(maxAttachmentBytes+1<<20, "multipart/form-data"))
	t.Handle(P, "GET /bibliotek/{slug}/bilagor/{hash}", s.h(s.serveAttachment))
	t.Handle(U, "POST /bibliotek/{slug}/bilagor/{hash}/ta-bort", s.h(s.deleteAttachment))
}
