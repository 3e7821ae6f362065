package ui

import (
	"errors"
	"mime/multipart"
	"net/http"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
)

type importPage struct {
	base
	Result   *library.ImportResult
	Problems []importProblem
}

// importProblem is one line of an import's report.
type importProblem struct {
	Record int // from 1, as a person counts; 0 for the file itself
	Field  string
	Msg    string
}

func (s *Server) importPage(r *http.Request) (*importPage, error) {
	p := &importPage{base: s.base(r, "library.import.title")}
	if !library.CanImport(p.Actor) {
		return nil, errs.E(errs.Forbidden, "library.forbidden")
	}
	return p, nil
}

func (s *Server) showImport(w http.ResponseWriter, r *http.Request) error {
	p, err := s.importPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "library_import", p)
	return nil
}

// importWorks reads an uploaded export file. Import checks every record
// before writing any; a rejected file changes nothing and the page names
// each bad record and field.
func (s *Server) importWorks(w http.ResponseWriter, r *http.Request) error {
	p, err := s.importPage(r)
	if err != nil {
		return err
	}
	var file multipart.File
	if err = r.ParseMultipartForm(1 << 20); err == nil {
		file, _, err = r.FormFile("file")
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		key := "media.missing"
		if errors.As(err, &tooBig) {
			key = "library.import_too_large"
		}
		p.Errors = errs.Fields{"file": key}
		s.render(w, r, http.StatusUnprocessableEntity, "library_import", p)
		return nil
	}
	defer file.Close()
	res, err := s.cfg.Library.Import(r.Context(), account.ActorFrom(r.Context()), file)
	if err != nil {
		var ie *library.ImportError
		if !errors.As(err, &ie) {
			return err
		}
		p.Error = "library.import_invalid"
		for _, pr := range ie.Problems {
			p.Problems = append(p.Problems, importProblem{Record: pr.Index + 1, Field: pr.Field, Msg: p.T(pr.Key)})
		}
		s.render(w, r, http.StatusUnprocessableEntity, "library_import", p)
		return nil
	}
	p.Result = res
	s.render(w, r, http.StatusOK, "library_import", p)
	return nil
}
