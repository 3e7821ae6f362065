package ui

import (
	"net/http"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/httpx"
)

// A cross as files: SVG (the same drawing as the page), PNG (drawn on the
// server from that drawing) and JSON (the cross as the API gives it).

func (cp *crossPages) exportable(r *http.Request) (*cross.Cross, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	return cp.svc.Get(r.Context(), account.ActorFrom(r.Context()), id)
}

func download(w http.ResponseWriter, ctype, name string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
}

func (cp *crossPages) crossSVGFile(w http.ResponseWriter, r *http.Request) error {
	c, err := cp.exportable(r)
	if err != nil {
		return err
	}
	t := cp.base(r, "").T
	download(w, "image/svg+xml", "scenariokors-"+strconv.FormatInt(c.ID, 10)+".svg")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n"))
	_, _ = w.Write([]byte(drawCross(crossDrawingOf(c, "cross", t))))
	return nil
}

func (cp *crossPages) crossPNGFile(w http.ResponseWriter, r *http.Request) error {
	c, err := cp.exportable(r)
	if err != nil {
		return err
	}
	b, err := crossPNGs.png(crossDrawingOf(c, "cross", cp.base(r, "").T))
	if err != nil {
		return err
	}
	download(w, "image/png", "scenariokors-"+strconv.FormatInt(c.ID, 10)+".png")
	_, _ = w.Write(b)
	return nil
}

func (cp *crossPages) crossJSONFile(w http.ResponseWriter, r *http.Request) error {
	c, err := cp.exportable(r)
	if err != nil {
		return err
	}
	cs := []cross.Cross{*c}
	if err := cp.svc.Redact(r.Context(), account.ActorFrom(r.Context()), cs); err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="scenariokors-`+strconv.FormatInt(c.ID, 10)+`.json"`)
	httpx.WriteJSON(w, http.StatusOK, cross.Export{Format: cross.ExportFormat, Crosses: cs})
	return nil
}
