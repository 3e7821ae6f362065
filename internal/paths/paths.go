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

// Events is the list of events.
func Events() string { return "/evenemang" }

// Event is the page of an event.
func Event(id int64) string { return "/evenemang/" + strconv.FormatInt(id, 10) }

// EventICal is an event's iCal file.
func EventICal(id int64) string { return Event(id) + "/kalender.ics" }

// EventsMonth is the month view of events, month "2026-11".
func EventsMonth(month string) string { return "/evenemang/manad?m=" + month }

// EventsICal is the network's iCal feed.
func EventsICal() string { return "/evenemang/kalender.ics" }

// OrganisationICal is an organisation's iCal feed of the events it hosts.
func OrganisationICal(slug string) string { return Organisation(slug) + "/evenemang.ics" }
