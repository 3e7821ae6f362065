package ui

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
)

// crossImportPage imports crosses from the JSON export, beside the API's
// import: every cross or none, and each problem named by cross and field.
type crossImportPage struct {
	base
	Created  []cross.Cross
	Problems []importProblem
}

// maxCrossImportBytes bounds the uploaded file, as the API bounds its body.
const maxCrossImportBytes = 32 << 20

func (cp *crossPages) showCrossImport(w http.ResponseWriter, r *http.Request) error {
	if err := cp.mayAdd(account.ActorFrom(r.Context())); err != nil {
		return err
	}
	cp.render(w, r, http.StatusOK, "cross_import", &crossImportPage{base: cp.base(r, "cross.import.title")})
	return nil
}

var importFieldRE = regexp.MustCompile(`^crosses\[(\d+)\]\.(.+)$`)

func (cp *crossPages) importCrosses(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	if err := cp.mayAdd(a); err != nil {
		return err
	}
	p := &crossImportPage{base: cp.base(r, "cross.import.title")}
	var data []byte
	part, err := importPart(r)
	if err == nil {
		data, err = io.ReadAll(io.LimitReader(part, maxCrossImportBytes+1))
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || len(data) > maxCrossImportBytes:
		w.Header().Set("Connection", "close")
		p.Errors = errs.Fields{"file": "cross.import_too_large"}
		cp.render(w, r, http.StatusRequestEntityTooLarge, "cross_import", p)
		return nil
	case errors.Is(err, errNoFile):
		p.Errors = errs.Fields{"file": "media.missing"}
		cp.render(w, r, http.StatusUnprocessableEntity, "cross_import", p)
		return nil
	case err != nil:
		return err
	}
	created, err := cp.svc.Import(r.Context(), a, data)
	if err == nil {
		p.Created = created
		cp.render(w, r, http.StatusOK, "cross_import", p)
		return nil
	}
	e := errs.As(err)
	if e.Kind != errs.Invalid && e.Kind != errs.Forbidden {
		return err
	}
	// Name each cross by its place and title in the file.
	var titles struct {
		Crosses []struct {
			Title string `json:"title"`
		} `json:"crosses"`
	}
	_ = json.Unmarshal(data, &titles) // a file that does not read has no titles to give
	p.Error = e.Key
	for field, key := range e.Fields {
		pr := importProblem{Field: field, Msg: p.T(key)}
		if m := importFieldRE.FindStringSubmatch(field); m != nil {
			i, _ := strconv.Atoi(m[1])
			pr.Record, pr.Field = i+1, m[2]
			if i < len(titles.Crosses) {
				pr.Title = titles.Crosses[i].Title
			}
		}
		p.Problems = append(p.Problems, pr)
	}
	slices.SortFunc(p.Problems, func(a, b importProblem) int {
		if a.Record != b.Record {
			return a.Record - b.Record
		}
		if a.Field < b.Field {
			return -1
		}
		return 1
	})
	status := http.StatusUnprocessableEntity
	if e.Kind == errs.Forbidden {
		status = http.StatusForbidden
	}
	cp.render(w, r, status, "cross_import", p)
	return nil
}
