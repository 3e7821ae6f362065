package ui

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/paths"
)

// maxAttachmentBytes bounds one attached file (the library's bound, which
// imports apply too). The upload route declares this plus room for the
// form as its body limit.
const maxAttachmentBytes = library.MaxAttachmentBytes

// uploadAttachment stores a file and adds it to the work as a new
// revision; "cover" makes an image the cover image too.
func (s *libraryPages) uploadAttachment(w http.ResponseWriter, r *http.Request) error {
	wk, a, err := s.editableWork(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxAttachmentBytes+256<<10)
	// The parts are read in order and the file streamed into the store,
	// so the fields before it (the name) are kept for the page again
	// even when the file is refused as too large.
	r.PostForm = url.Values{}
	var st *media.Stored
	var filename string
	mr, err := r.MultipartReader()
	for err == nil {
		var part *multipart.Part
		if part, err = mr.NextPart(); err != nil {
			break
		}
		if part.FormName() == "file" {
			if part.FileName() == "" || st != nil {
				continue
			}
			filename = part.FileName()
			if st, err = s.cfg.Media.Put(part, maxAttachmentBytes, media.Attachments); err != nil {
				break
			}
			continue
		}
		var v []byte
		if v, err = io.ReadAll(io.LimitReader(part, 4<<10)); err == nil {
			r.PostForm.Add(part.FormName(), string(v))
		}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return s.attachmentError(w, r, wk, "library.attachment_too_large")
		}
		if e := errs.As(err); e.Kind == errs.Invalid {
			key := e.Key
			switch key {
			case "media.bad_type":
				key = "library.attachment_bad_type"
			case "media.too_large":
				key = "library.attachment_too_large"
			}
			return s.attachmentError(w, r, wk, key)
		}
		if st == nil && filename != "" {
			return err
		}
		return s.attachmentError(w, r, wk, "media.missing")
	}
	if st == nil {
		return s.attachmentError(w, r, wk, "media.missing")
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" {
		name = attachmentName(filename, st.Type)
	}
	if n := []rune(name); len(n) > library.MaxTitleLen {
		name = string(n[:library.MaxTitleLen])
	}
	cover := r.PostFormValue("cover") == "on"
	if cover && !media.IsImage(st.Type) {
		return s.attachmentError(w, r, wk, "library.cover_invalid")
	}
	at := library.Attachment{Hash: st.Hash, Name: name, MediaType: st.Type, Size: st.Size}
	if i := slices.IndexFunc(wk.Attachments, func(x library.Attachment) bool { return x.Hash == st.Hash }); i >= 0 {
		wk.Attachments[i] = at // the same file again: a new name
	} else {
		if len(wk.Attachments) >= library.MaxAttachments {
			return s.attachmentError(w, r, wk, "library.attachments_too_many")
		}
		wk.Attachments = append(wk.Attachments, at)
	}
	if cover {
		wk.CoverImage = st.Hash
	}
	if _, err := s.cfg.Library.Update(r.Context(), a, wk); err != nil {
		if e := errs.As(err); e.Kind == errs.Invalid {
			return s.attachmentError(w, r, wk, "library.attachment_invalid")
		}
		return err
	}
	s.redirect(w, r, paths.Work(wk.Slug)+"#bilagor", "library.attachment_saved")
	return nil
}

// attachmentName makes a file name from the uploaded one: its base,
// without path or control characters, with the extension of the type
// found.
func attachmentName(upload, ctype string) string {
	name := filepath.Base(strings.ReplaceAll(upload, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	ext := media.Attachments[ctype]
	if name == "" || name == "." || name == "/" {
		name = "bilaga" + ext
	}
	if e := strings.ToLower(filepath.Ext(name)); e != ext && !(ext == ".jpg" && e == ".jpeg") {
		name += ext
	}
	return name
}

// attachmentError shows the work page with the upload's message.
func (s *libraryPages) attachmentError(w http.ResponseWriter, r *http.Request, wk *library.Work, key string) error {
	p, err := s.newWorkPage(r, account.ActorFrom(r.Context()), wk)
	if err != nil {
		return err
	}
	p.Errors = errs.Fields{"file": key}
	p.Form = r.PostForm // the name and the cover choice typed, kept
	s.render(w, r, http.StatusUnprocessableEntity, "library_work", p)
	return nil
}

func (s *libraryPages) deleteAttachment(w http.ResponseWriter, r *http.Request) error {
	wk, a, err := s.editableWork(r)
	if err != nil {
		return err
	}
	hash := httpx.Path(r, "hash")
	i := slices.IndexFunc(wk.Attachments, func(x library.Attachment) bool { return x.Hash == hash })
	if i < 0 {
		return errs.E(errs.NotFound, "error.not_found")
	}
	// The file stays: older versions still name it, and a restore brings
	// it back.
	wk.Attachments = slices.Delete(wk.Attachments, i, i+1)
	if wk.CoverImage == hash {
		wk.CoverImage = ""
	}
	if _, err := s.cfg.Library.Update(r.Context(), a, wk); err != nil {
		return err
	}
	s.redirect(w, r, paths.Work(wk.Slug)+"#bilagor", "library.attachment_deleted")
	return nil
}

// serveAttachment sends an attachment of a work the viewer may see, under
// the type found in its content, named for download, never sniffed into
// another type and never run as a page of this site.
func (s *libraryPages) serveAttachment(w http.ResponseWriter, r *http.Request) error {
	wk, a, err := s.loadWork(r)
	if err != nil {
		return err
	}
	hash := httpx.Path(r, "hash")
	at, current := findAttachment(wk, hash), true
	if at == nil && library.CanEdit(a, wk) {
		// Editors reading an old version reach the files it named.
		at, current = s.oldAttachment(r, a, wk, hash), false
	}
	if at == nil {
		return errs.E(errs.NotFound, "error.not_found")
	}
	f, ctype, err := s.cfg.Media.Open(hash)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, ok := media.Attachments[ctype]; !ok {
		return errs.E(errs.NotFound, "error.not_found")
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox")
	disp := "inline"
	if r.URL.Query().Get("ladda-ner") != "" {
		disp = "attachment"
	}
	if cd := mime.FormatMediaType(disp, map[string]string{"filename": at.Name}); cd != "" {
		h.Set("Content-Disposition", cd)
	} else {
		h.Set("Content-Disposition", disp)
	}
	h.Set("ETag", `"`+hash+`"`)
	// The content never changes under its hash, but who may see it can:
	// public works are cached for a while, others only privately and
	// checked each time.
	if wk.Visibility == library.Public && current {
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(time.Hour/time.Second)))
	} else {
		h.Set("Cache-Control", "private, no-cache")
	}
	http.ServeContent(w, r, "", time.Time{}, f)
	return nil
}

func findAttachment(w *library.Work, hash string) *library.Attachment {
	if i := slices.IndexFunc(w.Attachments, func(x library.Attachment) bool { return x.Hash == hash }); i >= 0 {
		return &w.Attachments[i]
	}
	return nil
}

// oldAttachment finds an attachment in the work's earlier versions, newest
// first, or nil.
func (s *libraryPages) oldAttachment(r *http.Request, a *account.Actor, wk *library.Work, hash string) *library.Attachment {
	revs, err := s.cfg.Library.Revisions(r.Context(), a, wk.ID)
	if err != nil {
		return nil
	}
	for _, rv := range revs {
		full, err := s.cfg.Library.Revision(r.Context(), a, wk.ID, rv.Version)
		if err != nil {
			return nil
		}
		if old, err := full.Work(); err == nil {
			if at := findAttachment(old, hash); at != nil {
				return at
			}
		}
	}
	return nil
}
