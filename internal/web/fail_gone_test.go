package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"testing"
)

// A page whose client went away is not rendered and not logged as an error.
func TestFailAfterClientWentAway(t *testing.T) {
	var logs bytes.Buffer
	h := &Handler{log: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	h.fail(w, httptest.NewRequest("GET", "/incidents", nil).WithContext(ctx), nil, errors.New("context canceled"))
	if w.Code != statusClientClosedRequest || logs.Len() != 0 || w.Body.Len() != 0 {
		t.Errorf("status %d, log %q, body %d bytes", w.Code, logs.String(), w.Body.Len())
	}
}
