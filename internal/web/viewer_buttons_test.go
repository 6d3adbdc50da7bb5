package web_test

import (
	"net/url"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

// A viewer (reads only) is offered no button it may not press: the inbox
// shows whether a report was acknowledged but no 签收 or 上报 form, and the
// create page opened by its address answers 403 with the forbidden page,
// not a form whose submit is refused; the submit itself answers 403.
// The county's duty officer, who may, still gets the button and the form.
func TestViewerOffersNoForbiddenActions(t *testing.T) {
	e, srv := console(t)
	inc := defacedPortal(t, e)
	fileInitialReport(t, e, inc)
	e.User(t, "county-viewer", "county", fenghuo.RoleViewer)
	e.User(t, "county-duty-v", "county", fenghuo.RoleDutyOfficer)

	v := browser(t)
	login(t, v, srv, "county-viewer", apptest.Password)
	resp, body := get(t, v, srv, "/inbox")
	if resp.StatusCode != 200 || !strings.Contains(body, inc.Title) {
		t.Fatalf("viewer's inbox %d lacks the report", resp.StatusCode)
	}
	if strings.Contains(body, "/receive\"") || strings.Contains(body, "/forward\"") || !strings.Contains(body, "未签收") {
		t.Errorf("the viewer's inbox offers acknowledge/forward or hides the state")
	}
	resp, body = get(t, v, srv, "/incidents/new")
	if resp.StatusCode != 403 || strings.Contains(body, `id="title"`) {
		t.Errorf("viewer's /incidents/new: %d, form shown %v", resp.StatusCode, strings.Contains(body, `id="title"`))
	}
	if resp, _ := post(t, v, srv, "/incidents", url.Values{"title": {"x"}}); resp.StatusCode != 403 {
		t.Errorf("viewer's create answers %d, want 403", resp.StatusCode)
	}

	d := browser(t)
	login(t, d, srv, "county-duty-v", apptest.Password)
	if _, body := get(t, d, srv, "/inbox"); !strings.Contains(body, "/receive\"") {
		t.Errorf("the duty officer gets no acknowledge button")
	}
	if resp, body := get(t, d, srv, "/incidents/new"); resp.StatusCode != 200 || !strings.Contains(body, `id="title"`) {
		t.Errorf("duty officer's /incidents/new: %d", resp.StatusCode)
	}
}
