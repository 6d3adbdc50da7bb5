package fenghuo

import (
	"errors"
	"strings"
)

// Invalid collects every wrong field of one input, so that a form can show
// all of them at once next to their fields instead of one per submit.
// Its code is EINVALID; ErrorCode and ErrorMessage see its first error.
type Invalid struct {
	Errs []*Error
}

// Add records err: an *Error (or an Invalid, whose errors are merged) is
// kept; nil is ignored. Any other error is kept as an EINVALID without a
// field, so nothing is lost.
func (v *Invalid) Add(err error) {
	if err == nil {
		return
	}
	var many *Invalid
	if errors.As(err, &many) {
		for _, e := range many.Errs {
			v.add(e)
		}
		return
	}
	var e *Error
	if errors.As(err, &e) {
		v.add(e)
		return
	}
	v.add(&Error{Code: EINVALID, Message: err.Error()})
}

// add keeps the first message per field: a field reads one thing to fix.
func (v *Invalid) add(e *Error) {
	for _, old := range v.Errs {
		if e.Field != "" && old.Field == e.Field {
			return
		}
	}
	v.Errs = append(v.Errs, e)
}

// Has reports whether field already has an error.
func (v *Invalid) Has(field string) bool {
	for _, e := range v.Errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when nothing was recorded, the only error when there is
// one, and v otherwise.
func (v *Invalid) Err() error {
	switch len(v.Errs) {
	case 0:
		return nil
	case 1:
		return v.Errs[0]
	}
	return v
}

func (v *Invalid) Error() string {
	parts := make([]string, len(v.Errs))
	for i, e := range v.Errs {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.As find the first *Error (its code and message).
func (v *Invalid) Unwrap() []error {
	out := make([]error, len(v.Errs))
	for i, e := range v.Errs {
		out[i] = e
	}
	return out
}

// FieldErrors returns every *Error that err carries: all of an Invalid's,
// or the single one.
func FieldErrors(err error) []*Error {
	var many *Invalid
	if errors.As(err, &many) {
		return many.Errs
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return nil
}
