package ui

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"time"
	"unicode"
	"unicode/utf8"

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
	Title  string
	Field  string
	Msg    string
}

// transferTimeout is how long an import may take to arrive and an
// archive to download: the server's timeouts are sized for pages, and a
// library with its files may be hundreds of megabytes on a slow line.
const transferTimeout = 30 * time.Minute

func (s *libraryPages) importPage(r *http.Request) (*importPage, error) {
	p := &importPage{base: s.base(r, "library.import.title")}
	if !library.CanImport(p.Actor) {
		return nil, errs.E(errs.Forbidden, "library.forbidden")
	}
	return p, nil
}

func (s *libraryPages) showImport(w http.ResponseWriter, r *http.Request) error {
	p, err := s.importPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "library_import", p)
	return nil
}

// importWorks reads an uploaded export, a JSON file or an archive. Import
// checks every record and file before writing any; a rejected file
// changes nothing and the page names each bad record and field.
func (s *libraryPages) importWorks(w http.ResponseWriter, r *http.Request) error {
	p, err := s.importPage(r)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(transferTimeout)) // unsupported only in tests
	_ = rc.SetWriteDeadline(time.Now().Add(transferTimeout))
	part, err := importPart(r)
	var res *library.ImportResult
	if err == nil {
		res, err = s.cfg.Library.ImportUpload(r.Context(), p.Actor, part)
	}
	var tooBig *http.MaxBytesError
	var ie *library.ImportError
	switch {
	case err == nil:
	case errors.As(err, &tooBig):
		w.Header().Set("Connection", "close")
		p.Errors = errs.Fields{"file": "library.import_too_large"}
		s.render(w, r, http.StatusRequestEntityTooLarge, "library_import", p)
		return nil
	case errors.Is(err, errNoFile):
		p.Errors = errs.Fields{"file": "media.missing"}
		s.render(w, r, http.StatusUnprocessableEntity, "library_import", p)
		return nil
	case errors.As(err, &ie):
		p.Error = "library.import_invalid"
		for _, pr := range ie.Problems {
			msg := p.T(pr.Key)
			if sub := pr.Subject(p.Translator); sub != "" {
				msg = upperFirst(sub) + ": " + msg
			}
			p.Problems = append(p.Problems, importProblem{Record: pr.Index + 1, Title: pr.Title, Field: pr.Field, Msg: msg})
		}
		s.render(w, r, http.StatusUnprocessableEntity, "library_import", p)
		return nil
	default:
		return err
	}
	p.Result = res
	s.render(w, r, http.StatusOK, "library_import", p)
	return nil
}

var errNoFile = errors.New("ui: import: no file in the form")

// importPart returns the file of the import form as it arrives, neither
// in memory nor in /tmp as ParseMultipartForm would put it: the library
// copies it to the data directory.
func importPart(r *http.Request) (*multipart.Part, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errNoFile
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, errNoFile
		}
		if err != nil {
			return nil, err // a body over the limit is a MaxBytesError
		}
		if part.FormName() == "file" && part.FileName() != "" {
			return part, nil
		}
	}
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
