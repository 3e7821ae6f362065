package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/paths"
)

// Upload limits.
const maxLogoBytes = 2 << 20

func (s *organisationPages) listOrganisations(w http.ResponseWriter, r *http.Request) error {
	p, err := s.directory(r, "org.list.title", "/organisationer", false)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "organisations", p)
	return nil
}

type orgPage struct {
	base
	Org        *account.Organisation
	CanEdit    bool
	CanContact bool
	CanMembers bool
	Role       account.Role
}

func (s *organisationPages) orgPage(r *http.Request, titleKey string) (*orgPage, error) {
	p := &orgPage{base: s.base(r, titleKey)}
	o, err := s.cfg.Accounts.Organisation(r.Context(), p.Actor, httpx.Path(r, "slug"))
	if err != nil {
		return nil, err
	}
	p.Org = o
	if p.Title == "" {
		p.Title = o.Name
	}
	p.CanEdit = account.CanEditOrganisation(p.Actor, o.ID)
	p.CanContact = account.CanManageContacts(p.Actor, o.ID)
	p.CanMembers = account.CanSeeMembers(p.Actor, o.ID)
	p.Role = p.Actor.RoleIn(o.ID)
	return p, nil
}

// showOrganisation shows the profile with the organisation's works and
// posts (see orgShowPage in post.go).
func (s *organisationPages) showOrganisation(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgShowPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "organisation", p)
	return nil
}

type orgFormPage struct {
	orgPage
	Kinds   []account.OrgKind
	Levels  []account.Level
	Members []account.Membership // accounts a contact may be linked to
	New     bool
}

func (s *organisationPages) showNewOrganisation(w http.ResponseWriter, r *http.Request) error {
	p := &orgFormPage{orgPage: orgPage{base: s.base(r, "org.new.title"), Org: &account.Organisation{Public: true}},
		Kinds: account.OrgKinds, Levels: account.Levels, New: true}
	s.render(w, r, http.StatusOK, "organisation_form", p)
	return nil
}

// orgFromForm reads the profile fields of the organisation form into o.
func orgFromForm(r *http.Request, o *account.Organisation) {
	o.Name = r.PostFormValue("name")
	o.ShortName = r.PostFormValue("short_name")
	o.FormerNames = strings.Split(r.PostFormValue("former_names"), "\n")
	o.Slug = r.PostFormValue("slug")
	o.Kind = account.OrgKind(r.PostFormValue("kind"))
	o.Level = account.Level(r.PostFormValue("level"))
	o.LanCode = r.PostFormValue("lan_code")
	o.DescriptionMD = r.PostFormValue("description")
	o.Website = r.PostFormValue("website")
	o.Public = r.PostFormValue("public") == "on"
}

func (s *organisationPages) createOrganisation(w http.ResponseWriter, r *http.Request) error {
	p := &orgFormPage{orgPage: orgPage{base: s.base(r, "org.new.title"), Org: &account.Organisation{}},
		Kinds: account.OrgKinds, Levels: account.Levels, New: true}
	orgFromForm(r, p.Org)
	if err := s.cfg.Accounts.CreateOrganisation(r.Context(), p.Actor, p.Org); err != nil {
		return s.formError(w, r, "organisation_form", p, err)
	}
	s.redirect(w, r, paths.Organisation(p.Org.Slug), "org.created")
	return nil
}

func (s *organisationPages) editPage(r *http.Request) (*orgFormPage, error) {
	op, err := s.orgPage(r, "org.edit.title")
	if err != nil {
		return nil, err
	}
	if !op.CanEdit && !op.CanContact {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	p := &orgFormPage{orgPage: *op, Kinds: account.OrgKinds, Levels: account.Levels}
	if p.CanContact {
		if p.Members, err = s.cfg.Accounts.Members(r.Context(), p.Actor, p.Org.ID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *organisationPages) showEditOrganisation(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "organisation_form", p)
	return nil
}

func (s *organisationPages) updateOrganisation(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editPage(r)
	if err != nil {
		return err
	}
	orgFromForm(r, p.Org)
	if err := s.cfg.Accounts.UpdateOrganisation(r.Context(), p.Actor, p.Org); err != nil {
		return s.formError(w, r, "organisation_form", p, err)
	}
	s.redirect(w, r, paths.Organisation(p.Org.Slug), "org.saved")
	return nil
}

func (s *organisationPages) uploadLogo(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editPage(r)
	if err != nil {
		return err
	}
	if !p.CanEdit {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLogoBytes+64<<10)
	file, _, err := r.FormFile("logo")
	if err != nil {
		return s.formError(w, r, "organisation_form", p, errs.Fields{"logo": "media.missing"}.Err())
	}
	defer file.Close()
	hash, _, err := s.cfg.Media.Save(file, maxLogoBytes, media.Images)
	if err != nil {
		if e := errs.As(err); e.Kind == errs.Invalid {
			return s.formError(w, r, "organisation_form", p, errs.Fields{"logo": e.Key}.Err())
		}
		return err
	}
	p.Org.Logo = hash
	if err := s.cfg.Accounts.UpdateOrganisation(r.Context(), p.Actor, p.Org); err != nil {
		return err
	}
	s.redirect(w, r, paths.OrganisationEdit(p.Org.Slug), "org.logo_saved")
	return nil
}

func (s *organisationPages) deleteOrganisation(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgPage(r, "")
	if err != nil {
		return err
	}
	if r.PostFormValue("confirm") != p.Org.Slug {
		return errs.E(errs.Invalid, "org.delete_confirm")
	}
	if err := s.cfg.Accounts.DeleteOrganisation(r.Context(), p.Actor, p.Org.ID); err != nil {
		return err
	}
	s.redirect(w, r, "/organisationer", "org.deleted")
	return nil
}

func (s *organisationPages) saveContact(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editPage(r)
	if err != nil {
		return err
	}
	c := &account.Contact{OrganisationID: p.Org.ID, Name: r.PostFormValue("contact_name"), Title: r.PostFormValue("contact_title"),
		Email: r.PostFormValue("contact_email"), Phone: r.PostFormValue("contact_phone"), DetailsPublic: r.PostFormValue("contact_public") == "on"}
	if v := r.PostFormValue("contact_user"); v != "" {
		if c.UserID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return s.formError(w, r, "organisation_form", p, errs.Fields{"contact_user": "error.choose"}.Err())
		}
	}
	if httpx.Path(r, "id") != "" {
		if c.ID, err = httpx.ID(r, "id"); err != nil {
			return err
		}
	}
	if err := s.cfg.Accounts.SaveContact(r.Context(), p.Actor, c); err != nil {
		if e := errs.As(err); e.Kind == errs.Invalid {
			// Contact fields carry a prefix in the form.
			f := errs.Fields{}
			for k, v := range e.Fields {
				f["contact_"+k] = v
			}
			return s.formError(w, r, "organisation_form", p, f.Err())
		}
		return err
	}
	s.redirect(w, r, paths.OrganisationEdit(p.Org.Slug)+"#kontakter", "org.contact_saved")
	return nil
}

func (s *organisationPages) deleteContact(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editPage(r)
	if err != nil {
		return err
	}
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := s.cfg.Accounts.DeleteContact(r.Context(), p.Actor, p.Org.ID, id); err != nil {
		return err
	}
	s.redirect(w, r, paths.OrganisationEdit(p.Org.Slug)+"#kontakter", "org.contact_deleted")
	return nil
}

type membersPage struct {
	orgPage
	Members     []account.Membership
	Invitations []account.Invitation
	Roles       []account.Role
	Link        string
	LinkFor     string
}

func (s *organisationPages) membersPage(r *http.Request) (*membersPage, error) {
	op, err := s.orgPage(r, "org.members.title")
	if err != nil {
		return nil, err
	}
	p := &membersPage{orgPage: *op, Roles: account.Roles}
	if p.Members, err = s.cfg.Accounts.Members(r.Context(), p.Actor, p.Org.ID); err != nil {
		return nil, err
	}
	if p.CanEdit {
		if p.Invitations, err = s.cfg.Accounts.Invitations(r.Context(), p.Actor, p.Org.ID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *organisationPages) showMembers(w http.ResponseWriter, r *http.Request) error {
	p, err := s.membersPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "members", p)
	return nil
}

func (s *organisationPages) setMemberRole(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgPage(r, "")
	if err != nil {
		return err
	}
	uid, err := httpx.ID(r, "user")
	if err != nil {
		return err
	}
	if err := s.cfg.Accounts.SetMemberRole(r.Context(), p.Actor, p.Org.ID, uid, account.Role(r.PostFormValue("role"))); err != nil {
		return err
	}
	s.redirect(w, r, paths.OrganisationMembers(p.Org.Slug), "org.members.saved")
	return nil
}

func (s *organisationPages) inviteToOrganisation(w http.ResponseWriter, r *http.Request) error {
	p, err := s.membersPage(r)
	if err != nil {
		return err
	}
	email := r.PostFormValue("email")
	token, err := s.cfg.Accounts.Invite(r.Context(), p.Actor, email, p.Org.ID, account.Role(r.PostFormValue("role")))
	if err != nil {
		return s.formError(w, r, "members", p, err)
	}
	if p.Invitations, err = s.cfg.Accounts.Invitations(r.Context(), p.Actor, p.Org.ID); err != nil {
		return err
	}
	p.Link, p.LinkFor = s.sendInvitation(r, p.Translator.T, email, token)
	s.render(w, r, http.StatusOK, "members", p)
	return nil
}
