package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/search"
)

// synonymsPage is /admin/sok: the search's synonym groups, which platform
// admins keep ("SKR", "SKL", "Sveriges Kommuner och Regioner").
type synonymsPage struct {
	base
	Groups []search.SynonymGroup
}

func (s *searchPages) synonymsPage(r *http.Request) (*synonymsPage, error) {
	p := &synonymsPage{base: s.base(r, "admin.synonyms.title")}
	var err error
	p.Groups, err = s.cfg.Synonyms.SynonymGroups(r.Context())
	return p, err
}

func (s *searchPages) showSynonyms(w http.ResponseWriter, r *http.Request) error {
	p, err := s.synonymsPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "synonyms", p)
	return nil
}

// addSynonyms stores a group from the form: one phrase a line.
func (s *searchPages) addSynonyms(w http.ResponseWriter, r *http.Request) error {
	_, err := s.cfg.Synonyms.AddSynonymGroup(r.Context(), strings.Split(r.PostFormValue("phrases"), "\n"))
	if err != nil {
		p, perr := s.synonymsPage(r)
		if perr != nil {
			return perr
		}
		return s.formError(w, r, "synonyms", p, err)
	}
	s.redirect(w, r, "/admin/sok", "admin.synonyms.saved")
	return nil
}

func (s *searchPages) deleteSynonyms(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "error.not_found")
	}
	if err := s.cfg.Synonyms.DeleteSynonymGroup(r.Context(), id); err != nil {
		return err
	}
	s.redirect(w, r, "/admin/sok", "admin.synonyms.deleted")
	return nil
}
