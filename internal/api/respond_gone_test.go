package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

// An error caused by the client going away (its request context
// cancelled) is answered 499 and not logged as an internal error; the
// same error with the client still there is.
func TestErrorAfterClientWentAway(t *testing.T) {
	var logs bytes.Buffer
	h := &Handler{log: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/api/v1/incidents", nil).WithContext(ctx)
	w := httptest.NewRecorder()
	h.error(w, r, errors.New("store: list incidents: context canceled"))
	if w.Code != statusClientClosedRequest || logs.Len() != 0 {
		t.Errorf("client gone: status %d, log %q", w.Code, logs.String())
	}
	w = httptest.NewRecorder()
	h.error(w, httptest.NewRequest("GET", "/api/v1/incidents", nil), errors.New("store: disk I/O error"))
	if w.Code != 500 || !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("real failure: status %d, log %q", w.Code, logs.String())
	}
}
