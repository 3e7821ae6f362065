package ui

// The page areas. Each embeds the Server (rendering, errors, the
// services other areas read too) and registers its own routes; the app
// mounts each one.

// accountPages serve signing in and out, password resets, invitations,
// the account page and the platform admin's user list.
type accountPages struct{ *Server }

// libraryPages serve the library: lists, works, editing, revisions,
// attachments, import and export.
type libraryPages struct{ *Server }

// organisationPages serve organisations, their contacts and members, and
// their posts.
type organisationPages struct{ *Server }

// feedPages serve the Atom feeds of the site, an organisation and a type
// of work.
type feedPages struct{ *Server }

// searchPages serve /sok across every search kind.
type searchPages struct{ *Server }
