package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// TestMonitorPagesInWords: a site whose newest check found a hidden link
// reads 疑似篡改 in the list and, on its page, the verdict and the kind in
// words with the detector's reason, never "tampered", "hidden_link", a
// raw state or the stored JSON.
func TestMonitorPagesInWords(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	e.User(t, "boss6", "city", fenghuo.RoleCommander)
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "学校网站"}
	e.DB.CreateSystem(ctx, sys)
	m := &store.Monitor{SystemID: sys.ID, URL: "http://127.0.0.1:9/", Interval: 5 * time.Minute, NextDueAt: e.Clock.Now()}
	if err := e.DB.CreateMonitor(ctx, m); err != nil {
		t.Fatal(err)
	}
	at := e.Clock.Now()
	for i, r := range []store.MonitorResult{
		{OK: true, HTTPStatus: 200, Verdict: "clean"},
		{OK: true, HTTPStatus: 200, Verdict: "tampered",
			Findings: `[{"kind":"hidden_link","reason":"link invisible to visitors","reason_zh":"访客看不见的链接","excerpt":"x","selector":"a"}]`},
	} {
		r.MonitorID, r.At = m.ID, at.Add(time.Duration(i)*time.Minute)
		if err := e.DB.AddMonitorResult(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	c := browser(t)
	login(t, c, srv, "boss6", apptest.Password)
	_, list := get(t, c, srv, "/monitors")
	if !strings.Contains(list, "疑似篡改") {
		t.Error("the monitors list does not say the newest check found tampering")
	}
	_, page := get(t, c, srv, "/monitors/"+strconv.FormatInt(m.ID, 10))
	for _, want := range []string{"发现异常", "未见异常", "暗链植入", "访客看不见的链接"} {
		if !strings.Contains(page, want) {
			t.Errorf("monitor page lacks %q", want)
		}
	}
	for _, raw := range []string{">tampered<", ">clean<", "hidden_link", "reason_zh", ">learning<"} {
		if strings.Contains(list+page, raw) {
			t.Errorf("monitor pages show the raw %q", raw)
		}
	}
}
