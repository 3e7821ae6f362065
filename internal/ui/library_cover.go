package ui

import (
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
)

// coverOf returns w's cover image attachment, or nil: the image its
// editors chose (Work.CoverImage), never one picked for them, since "no
// cover" is a choice too.
func coverOf(w *library.Work) *library.Attachment {
	if w.CoverImage == "" {
		return nil
	}
	for i := range w.Attachments {
		if a := &w.Attachments[i]; a.Hash == w.CoverImage && media.IsImage(a.MediaType) {
			return a
		}
	}
	return nil
}

// Cover returns the listed work's cover image, or nil; a card shows it.
func (it workItem) Cover() *library.Attachment { return coverOf(&it.Work) }
