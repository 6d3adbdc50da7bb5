package api_test

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// Issue 13 item 5: an input wrong in several fields gets them all in one
// answer ("fields"), the first also as the error itself.
func TestErrorListsEveryField(t *testing.T) {
	e := newEnv(t)
	e.user(t, "duty", "county", fenghuo.RoleDutyOfficer)
	c := e.login(t, "duty")
	now := e.Clock.Now()
	r := e.do(t, c, "POST", "/api/v1/incidents", map[string]any{"org_id": e.Orgs["school"].ID, "title": "", "channel": "phone",
		"occurred_at": now, "discovered_at": now.Add(-time.Hour)})
	r.want(t, 400)
	var body struct {
		Error struct {
			Code   string `json:"code"`
			Field  string `json:"field"`
			Fields []struct {
				Field string `json:"field"`
			} `json:"fields"`
		} `json:"error"`
	}
	r.json(t, &body)
	got := map[string]bool{}
	for _, f := range body.Error.Fields {
		got[f.Field] = true
	}
	if body.Error.Code != fenghuo.EINVALID || body.Error.Field != "title" || !got["title"] || !got["occurred_at"] || !got["caller"] {
		t.Errorf("error body %s", r.Body)
	}
}
