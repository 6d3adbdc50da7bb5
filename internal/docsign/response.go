package docsign

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"strconv"
)

// SignedTypes are the content types whose responses ResponseSigner signs:
// every exported document (DOCX, XLSX, PDF).
var SignedTypes = map[string]bool{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       true,
	"application/pdf": true,
}

// ErrTooLarge is what a ResponseSigner answers for a document over the
// limit it was given.
var ErrTooLarge = errors.New("docsign: document too large to sign")

// ResponseSigner wraps an http.ResponseWriter so that a successful response
// of a SignedTypes content type is held, signed with sign and then sent
// with its Content-Length; anything else passes straight through. One
// wrapper around every authenticated handler signs every export in one
// place, whichever handler wrote it.
type ResponseSigner struct {
	w     http.ResponseWriter
	sign  func([]byte) ([]byte, error)
	limit int
	// decided: whether the response is held (hold) or passed through.
	decided, hold bool
	status        int
	buf           bytes.Buffer
	err           error
}

// NewResponseSigner returns a ResponseSigner over w; call Finish after the
// handler returns.
func NewResponseSigner(w http.ResponseWriter, limit int, sign func([]byte) ([]byte, error)) *ResponseSigner {
	return &ResponseSigner{w: w, sign: sign, limit: limit}
}

// Header is the underlying writer's header map.
func (s *ResponseSigner) Header() http.Header { return s.w.Header() }

func (s *ResponseSigner) decide(status int) {
	if s.decided {
		return
	}
	s.decided, s.status = true, status
	mt, _, _ := mime.ParseMediaType(s.w.Header().Get("Content-Type"))
	s.hold = status == http.StatusOK && SignedTypes[mt]
	if !s.hold {
		s.w.WriteHeader(status)
	}
}

// WriteHeader decides, from the status and the content type set by now,
// whether the body is signed.
func (s *ResponseSigner) WriteHeader(status int) {
	if status >= 100 && status < 200 {
		s.w.WriteHeader(status) // informational: not the response's status
		return
	}
	s.decide(status)
}

// Write holds a signed type's body, or writes it through.
func (s *ResponseSigner) Write(b []byte) (int, error) {
	s.decide(http.StatusOK)
	if !s.hold {
		return s.w.Write(b)
	}
	if s.err != nil {
		return 0, s.err
	}
	if s.buf.Len()+len(b) > s.limit {
		s.err = ErrTooLarge
		return 0, s.err
	}
	return s.buf.Write(b)
}

// FlushError passes a flush through for responses not held (the live
// feed's events), through whatever wrappers lie below (the server's
// middleware answers only through http.ResponseController).
func (s *ResponseSigner) FlushError() error {
	if s.decided && s.hold {
		return nil
	}
	return http.NewResponseController(s.w).Flush()
}

// Flush is FlushError for callers that use http.Flusher.
func (s *ResponseSigner) Flush() { s.FlushError() }

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *ResponseSigner) Unwrap() http.ResponseWriter { return s.w }

// Finish signs and sends a held body. On failure nothing has been sent:
// the caller answers with an error (an export is never served unsigned).
func (s *ResponseSigner) Finish() error {
	if !s.hold {
		return nil
	}
	signed, err := s.buf.Bytes(), s.err
	if err == nil {
		signed, err = s.sign(signed)
	}
	if err != nil {
		// The error page replaces the document: drop what described it.
		for _, k := range []string{"Content-Type", "Content-Disposition", "Content-Length"} {
			s.w.Header().Del(k)
		}
		return err
	}
	h := s.w.Header()
	h.Set("Content-Length", strconv.Itoa(len(signed)))
	s.w.WriteHeader(s.status)
	s.w.Write(signed) // a failure here is the client gone: nothing more to do
	return nil
}

// Held reports whether the response was held for signing (and so nothing
// was sent yet when Finish fails).
func (s *ResponseSigner) Held() bool { return s.hold }
