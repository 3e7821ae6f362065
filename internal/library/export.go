package library

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/search"
)

// ExportFormat names the JSON format of Export; Import reads the same.
const ExportFormat = "framsyn-library/1"

// File is the JSON export and import document.
type File struct {
	Format     string            `json:"format"`
	ExportedAt time.Time         `json:"exported_at"`
	Works      []json.RawMessage `json:"works"`
}

// Record is a work as exported and imported. Organisations are named by
// slug and contacts by organisation and name, so a file moves between
// installations; ids, versions and authors stay behind, and the times are
// for reading only. Attachments and the cover are named with their
// content's SHA-256: an archive (ExportArchive) carries the files under
// files/<sha256>. Attachments absent or null (files from before they
// were exported) leave an existing work's files as they are; a list, even
// an empty one, replaces them.
type Record struct {
	Slug            string        `json:"slug"`
	Type            Type          `json:"type"`
	Title           string        `json:"title"`
	Summary         string        `json:"summary,omitempty"`
	Body            string        `json:"body,omitempty"`
	Organisation    string        `json:"organisation"`
	CoOrganisations []string      `json:"co_organisations,omitempty"`
	Contacts        []ContactName `json:"contacts,omitempty"`
	HorizonYear     int           `json:"horizon_year,omitempty"`
	Methods         []string      `json:"methods,omitempty"`
	Themes          []string      `json:"themes,omitempty"`
	Date            string        `json:"date,omitempty"` // YYYY-MM-DD, YYYY-MM or YYYY, as precise as DatePrecision
	// DatePrecision is absent in exports from before it: a date is then a day.
	DatePrecision DatePrecision     `json:"date_precision,omitempty"`
	Language      string            `json:"language,omitempty"`
	Licence       string            `json:"licence,omitempty"`
	Links         []Link            `json:"links,omitempty"`
	Visibility    Visibility        `json:"visibility,omitempty"`
	Experience    *ExperienceReport `json:"experience,omitempty"`
	Attachments   []FileRef         `json:"attachments"`
	Cover         *FileRef          `json:"cover,omitempty"` // one of Attachments, an image
	Source        string            `json:"source,omitempty"`
	// Cross is the id of the scenario cross the work shows, on the
	// installation that exported it: written only when the exporter may
	// see the cross; absent on import, an existing work keeps its own.
	Cross     *int64     `json:"cross,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// FileRef is an attachment as exported: its name, the type found in its
// content, its size and the SHA-256 of its content in hex.
type FileRef struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

// ContactName names a contact person of an organisation.
type ContactName struct {
	Organisation string `json:"organisation"`
	Name         string `json:"name"`
}

// record converts w for export.
func record(w *Work, refs *Refs) Record {
	r := Record{
		Slug: w.Slug, Type: w.Type, Title: w.Title, Summary: w.Summary, Body: w.BodyMD,
		HorizonYear: w.HorizonYear, Methods: w.Methods, Themes: w.Themes, Language: w.Language,
		Licence: w.Licence, Links: w.Links, Visibility: w.Visibility, Experience: w.Experience, Source: w.Source,
	}
	if o := refs.Org(w.OrganisationID); o != nil {
		r.Organisation = o.Slug
	}
	for _, id := range w.CoOrganisationIDs {
		if o := refs.Org(id); o != nil {
			r.CoOrganisations = append(r.CoOrganisations, o.Slug)
		}
	}
	for _, id := range w.ContactIDs {
		if c := refs.Contact(id); c != nil {
			if o := refs.Org(c.OrganisationID); o != nil {
				r.Contacts = append(r.Contacts, ContactName{Organisation: o.Slug, Name: c.Name})
			}
		}
	}
	if r.Date = FormatDate(w.Date, w.DatePrecision); r.Date != "" {
		r.DatePrecision = w.DatePrecision
	}
	r.Attachments = make([]FileRef, 0, len(w.Attachments))
	for _, at := range w.Attachments {
		ref := FileRef{Name: at.Name, MediaType: at.MediaType, Size: at.Size, SHA256: at.Hash}
		r.Attachments = append(r.Attachments, ref)
		if at.Hash == w.CoverImage {
			// The cover is always one of the attachments (the upload sets
			// both, removing the file clears it); one that is not has no
			// file to carry and stays behind.
			r.Cover = &ref
		}
	}
	if !w.CreatedAt.IsZero() {
		c, u := w.CreatedAt.UTC(), w.UpdatedAt.UTC()
		r.CreatedAt, r.UpdatedAt = &c, &u
	}
	return r
}

// each calls fn for every work a may see that matches f, in pages. With
// f.Query it follows the search, up to search.MaxOffset hits.
func (s *Service) each(ctx context.Context, a *account.Actor, f Filter, fn func(w *Work) error) error {
	if strings.TrimSpace(f.Query) != "" {
		f.Limit, f.Offset = MaxLimit, 0
		for {
			p, err := s.Search(ctx, a, f)
			if err != nil {
				return err
			}
			for i := range p.Works {
				if err := fn(&p.Works[i]); err != nil {
					return err
				}
			}
			if f.Offset += f.Limit; !p.More || f.Offset > search.MaxOffset {
				return nil
			}
		}
	}
	f.Sort, f.Cursor, f.Offset, f.Limit = SortNewest, "", 0, MaxLimit
	for {
		p, err := s.List(ctx, a, f)
		if err != nil {
			return err
		}
		for i := range p.Works {
			if err := fn(&p.Works[i]); err != nil {
				return err
			}
		}
		if p.Next == "" {
			return nil
		}
		f.Cursor = p.Next
	}
}

// ExportJSON writes the works a may see that match f as a File; Import
// reads it back. Visibility applies as in List.
func (s *Service) ExportJSON(ctx context.Context, a *account.Actor, f Filter, out io.Writer) error {
	return s.exportJSON(ctx, a, f, out, nil)
}

// exportJSON is ExportJSON, calling seen (when set) with each work written.
func (s *Service) exportJSON(ctx context.Context, a *account.Actor, f Filter, out io.Writer, seen func(w *Work)) error {
	refs, err := s.store.Refs(ctx)
	if err != nil {
		return err
	}
	head, _ := json.Marshal(s.now().UTC())
	if _, err := fmt.Fprintf(out, "{\"format\":%q,\"exported_at\":%s,\"works\":[", ExportFormat, head); err != nil {
		return err
	}
	n := 0
	err = s.each(ctx, a, f, func(w *Work) error {
		rec := record(w, refs)
		if ok, err := s.SeesCross(ctx, a, w.CrossID); err != nil {
			return err
		} else if ok {
			rec.Cross = &w.CrossID
		}
		b, err := json.MarshalIndent(rec, "", " ")
		if err != nil {
			return err
		}
		sep := "\n"
		if n > 0 {
			sep = ",\n"
		}
		n++
		if seen != nil {
			seen(w)
		}
		_, err = io.WriteString(out, sep+string(b))
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(out, "\n]}\n")
	return err
}

// CSVHeader is the first row of ExportCSV.
var CSVHeader = []string{"slug", "type", "title", "summary", "organisation", "co_organisations", "contacts",
	"horizon_year", "methods", "themes", "date", "language", "licence", "visibility", "links",
	"experience", "created_at", "updated_at", "body", "source"}

// ExportCSV writes the works a may see that match f as CSV (RFC 4180,
// UTF-8), one row per work; lists are joined with "; ", links one per
// line. Cells that a spreadsheet would run as a formula are defused.
func (s *Service) ExportCSV(ctx context.Context, a *account.Actor, f Filter, out io.Writer) error {
	refs, err := s.store.Refs(ctx)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(out)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	err = s.each(ctx, a, f, func(w *Work) error {
		r := record(w, refs)
		contacts := make([]string, len(r.Contacts))
		for i, c := range r.Contacts {
			contacts[i] = c.Name + " (" + c.Organisation + ")"
		}
		links := make([]string, len(r.Links))
		for i, l := range r.Links {
			links[i] = strings.TrimSpace(string(l.Kind) + " " + l.URL + " " + l.Title)
		}
		horizon, exp, created, updated := "", "", "", ""
		if r.HorizonYear != 0 {
			horizon = strconv.Itoa(r.HorizonYear)
		}
		if r.Experience != nil {
			exp = "yes"
		}
		if r.CreatedAt != nil {
			created, updated = r.CreatedAt.Format(time.RFC3339), r.UpdatedAt.Format(time.RFC3339)
		}
		row := []string{r.Slug, string(r.Type), r.Title, r.Summary, r.Organisation, strings.Join(r.CoOrganisations, "; "),
			strings.Join(contacts, "; "), horizon, strings.Join(r.Methods, "; "), strings.Join(r.Themes, "; "), r.Date,
			r.Language, r.Licence, string(r.Visibility), strings.Join(links, "\n"), exp, created, updated, r.Body, r.Source}
		for i := range row {
			row[i] = CSVCell(row[i])
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// CSVCell defuses a cell a spreadsheet would read as a formula (OWASP's
// CSV injection advice): one starting with =, +, -, @, a tab or a
// carriage return, also after leading spaces, gets a leading apostrophe.
func CSVCell(s string) string {
	t := strings.TrimLeft(s, " \n")
	if s != "" && (s[0] == '\t' || s[0] == '\r' || (t != "" && strings.ContainsRune("=+-@\t\r", rune(t[0])))) {
		return "'" + s
	}
	return s
}
