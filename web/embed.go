// Package web holds the templates and static assets, embedded in the binary.
package web

import "embed"

// Templates holds templates/layout/*.html, the partials every page may
// use (templates/partials/*.html) and templates/pages/*.html.
//
//go:embed templates
var Templates embed.FS

// Static holds the stylesheet, images and scripts served under /static/.
//
//go:embed static
var Static embed.FS
