package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fenghuo/internal/apptest"
)

// A unit's request for a response level must say why: an empty reason is
// refused with an error beside the reason field and nothing is requested;
// with a reason the request goes through.
func TestResponseRequestNeedsReason(t *testing.T) {
	e, srv := console(t)
	inc := defacedPortal(t, e)
	fileInitialReport(t, e, inc)
	c := browser(t)
	login(t, c, srv, "school-rep", apptest.Password)
	path := "/incidents/" + strconv.FormatInt(inc.ID, 10) + "/response"
	resp, body := post(t, c, srv, path, url.Values{"action": {"request"}, "level": {"II"}, "reason": {"  "}})
	if resp.StatusCode != 400 || !strings.Contains(body, "请填写申请启动应急响应的理由") || !strings.Contains(body, `class="field-error"`) {
		t.Fatalf("empty reason: %d", resp.StatusCode)
	}
	if acts, err := e.DB.Activations(context.Background(), inc.ID); err != nil || len(acts) != 0 {
		t.Errorf("an empty-reason request was recorded: %d (%v)", len(acts), err)
	}
	if resp, _ := post(t, c, srv, path, url.Values{"action": {"request"}, "level": {"II"}, "reason": {"全县教育网站被篡改"}}); resp.StatusCode != 303 {
		t.Errorf("request with a reason: %d", resp.StatusCode)
	}
	if acts, _ := e.DB.Activations(context.Background(), inc.ID); len(acts) != 1 {
		t.Errorf("the request with a reason made %d activations", len(acts))
	}
}
