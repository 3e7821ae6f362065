// Package errs defines the few kinds of error framsyn distinguishes. Each
// error carries a catalogue key for the person and a cause for the log; the
// HTML and JSON front ends map kinds to status codes in one place,
// internal/httpx.
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds of error.
const (
	Internal         Kind = iota // a bug or an outage: generic message, logged
	Invalid                      // bad input: show the form again with messages
	NotFound                     // the object does not exist or is hidden from the caller
	Unauthorized                 // the caller must sign in
	Forbidden                    // signed in, but not allowed
	Conflict                     // the object exists or changed meanwhile
	TooMany                      // rate limited
	Malformed                    // a request body that cannot be read (not JSON, wrong shape)
	TooLarge                     // a request body over the route's limit
	MethodNotAllowed             // a known path asked with a method it does not take
)

// Error is an error with a kind, a catalogue key and optional field errors.
type Error struct {
	Kind   Kind
	Key    string            // i18n key for the message shown to people
	Fields map[string]string // field name -> i18n key, for validation errors
	Err    error             // cause, for the log
}

func (e *Error) Error() string {
	msg := e.Key
	if len(e.Fields) > 0 {
		msg = fmt.Sprintf("%s %v", msg, e.Fields)
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// E returns an error of the given kind with a catalogue key.
func E(kind Kind, key string) *Error { return &Error{Kind: kind, Key: key} }

// Wrap returns an error of the given kind with a catalogue key and a cause.
func Wrap(kind Kind, key string, cause error) *Error {
	return &Error{Kind: kind, Key: key, Err: cause}
}

// Fields is a set of validation errors, field name -> catalogue key.
type Fields map[string]string

// Err returns an Invalid error holding the fields, or nil when there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Key: "error.invalid", Fields: f}
}

// KindOf reports the kind of err; errors that are not *Error are Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns err as *Error, or an Internal error wrapping it.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Internal, Key: "error.internal", Err: err}
}

// Is reports whether err is of the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }
