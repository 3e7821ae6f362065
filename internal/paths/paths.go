// Package paths builds the site's URLs of works, organisations and
// workshops, for handlers, feeds, the API and (as template functions) the
// pages through template functions: one place that knows /bibliotek/{slug}, so a link never drifts
// from its route.
package paths

import (
	"net/url"
	"strconv"
)

// Work is the page of a work.
func Work(slug string) string { return "/bibliotek/" + url.PathEscape(slug) }

// WorkRevisions is the list of a work's saved versions.
func WorkRevisions(slug string) string { return Work(slug) + "/versioner" }

// Organisation is the page of an organisation.
func Organisation(slug string) string { return "/organisationer/" + url.PathEscape(slug) }

// OrganisationEdit is the edit page of an organisation.
func OrganisationEdit(slug string) string { return Organisation(slug) + "/redigera" }

// OrganisationMembers is the members page of an organisation.
func OrganisationMembers(slug string) string { return Organisation(slug) + "/medlemmar" }

// OrganisationFeed is the Atom feed of an organisation.
func OrganisationFeed(slug string) string { return Organisation(slug) + "/flode.atom" }

// Workshop is the board of a workshop.
func Workshop(id int64) string { return "/workshoppar/" + strconv.FormatInt(id, 10) }

// WorkshopResults is the results page of a workshop.
func WorkshopResults(id int64) string { return Workshop(id) + "/resultat" }

// Join is where a participant joins a workshop by its code.
func Join(code string) string { return "/j/" + url.PathEscape(code) }
