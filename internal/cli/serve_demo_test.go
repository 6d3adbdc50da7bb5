package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/calendar"
)

// apiClient logs in to a running server as one demo account.
type apiClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func demoLogin(t *testing.T, base, out, user string) *apiClient {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(user) + `\s+(\S+)\s`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("serve --demo printed no password for %s:\n%s", user, out)
	}
	jar, _ := cookiejar.New(nil)
	c := &apiClient{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	body, _ := json.Marshal(map[string]string{"username": user, "password": m[1]})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/session", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	resp, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("log-in as %s: %s", user, resp.Status)
	}
	return c
}

func (c *apiClient) get(path string, v any) {
	c.t.Helper()
	resp, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
}

type idList struct {
	Items []struct {
		ID           int64     `json:"id"`
		Title        string    `json:"title"`
		Grade        string    `json:"grade"`
		Status       string    `json:"status"`
		DiscoveredAt time.Time `json:"discovered_at"`
	} `json:"items"`
	Total int `json:"total"`
}

// serve --demo on an empty data directory is alive on its first start
// (issue 13 item 7), checked through the API as the offices would see it:
// a year of history, a grade I incident overdue at the county office, a
// warning part-acknowledged, today's daily reports of the protection period
// part-filed, and the site farm's monitors finding, within a bounded wait,
// the site that is down, the defaced one and the hidden link.
func TestServeDemoIsAliveOnFirstStart(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the whole demo")
	}
	started := time.Now()
	dir := t.TempDir()
	stop, out := startServeOut(t, "--demo", "--data-dir", dir)
	listening := time.Since(started)
	t.Logf("serve --demo listening after %v", listening.Round(time.Millisecond))
	text := out.String()
	m := regexp.MustCompile(`running at (http://\S+)/ `).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no URL in:\n%s", text)
	}
	base := m[1]
	for _, want := range []string{"hospital-rep", "Seeded 480 incidents", "Demo site farm on loopback"} {
		if !strings.Contains(text, want) {
			t.Errorf("serve --demo did not print %q:\n%s", want, text)
		}
	}
	city := demoLogin(t, base, text, "commander")
	county := demoLogin(t, base, text, "qx-duty")

	// History: the default size over the past year.
	months := map[string]bool{}
	total := 0
	for off := 0; ; off += 500 {
		var page idList
		city.get(fmt.Sprintf("/api/v1/incidents?limit=500&offset=%d", off), &page)
		total = page.Total
		for _, inc := range page.Items {
			months[inc.DiscoveredAt.In(calendar.Shanghai).Format("2006-01")] = true
		}
		if len(page.Items) < 500 {
			break
		}
	}
	if total < 480 || len(months) < 10 {
		t.Errorf("history: %d incidents over %d months, want ≥ 480 over ≥ 10", total, len(months))
	}

	// The county office's overdue grade I incident.
	var overdue idList
	county.get("/api/v1/incidents?grade=I&overdue=true&open=true", &overdue)
	if len(overdue.Items) == 0 {
		t.Error("the county office has no open grade I incident overdue")
	}

	// A warning being acknowledged.
	var warnings idList
	county.get("/api/v1/warnings", &warnings)
	partial := 0
	for _, w := range warnings.Items {
		var d struct {
			Acked      int               `json:"acked"`
			TargetOrgs []json.RawMessage `json:"target_orgs"`
		}
		county.get(fmt.Sprintf("/api/v1/warnings/%d", w.ID), &d)
		if d.Acked > 0 && d.Acked < len(d.TargetOrgs) {
			partial++
		}
	}
	if partial == 0 {
		t.Errorf("no warning of %d is part-acknowledged", len(warnings.Items))
	}

	// The protection period today: some units filed, some not.
	var periods idList
	city.get("/api/v1/periods", &periods)
	if len(periods.Items) == 0 {
		t.Fatal("no protection period")
	}
	var board struct {
		OnTime    int `json:"on_time"`
		Late      int `json:"late"`
		Incidents int `json:"incidents"`
		Missing   int `json:"missing"`
		Pending   int `json:"pending"`
	}
	today := time.Now().In(calendar.Shanghai).Format("2006-01-02")
	city.get(fmt.Sprintf("/api/v1/periods/%d/board?day=%s", periods.Items[0].ID, today), &board)
	if board.OnTime+board.Late+board.Incidents == 0 || board.Missing+board.Pending == 0 {
		t.Errorf("today's board: %+v, want some units filed and some missing", board)
	}

	// Alert intake (issue 14 item 8): the county's units' alert groups in
	// every triage state, one of them from the city's shared indicators.
	var groups struct {
		Items []struct {
			Kind  string `json:"kind"`
			State string `json:"state"`
		} `json:"items"`
		Total  int `json:"total"`
		Facets struct {
			State map[string]int `json:"state"`
		} `json:"facets"`
	}
	county.get("/api/v1/alert-groups?limit=100", &groups)
	for _, state := range []string{"open", "assigned", "dismissed", "promoted"} {
		if groups.Facets.State[state] == 0 {
			t.Errorf("the county office has no %s alert group: %v", state, groups.Facets.State)
		}
	}
	iocGroups := 0
	for _, g := range groups.Items {
		if g.Kind == "ioc" {
			iocGroups++
		}
	}
	var indicators idList
	county.get("/api/v1/indicators", &indicators)
	if iocGroups == 0 || indicators.Total < 4 {
		t.Errorf("the county office sees %d IOC alert groups and %d indicators", iocGroups, indicators.Total)
	}

	// The site farm's monitors: down and defaced within a bounded wait
	// (their first live check is due at start). The cloaked site shows its
	// hidden link to Baiduspider only, seen when that identity's turn comes
	// (within three checks, a few minutes: TestDemoMonitorsOnTheSiteFarm
	// in internal/app/demo runs those rounds on a test clock).
	deadline := time.Now().Add(30 * time.Second)
	var found map[string]bool
	for {
		found = map[string]bool{}
		var list idList
		city.get("/api/v1/monitors", &list)
		for _, mon := range list.Items {
			var d struct {
				Status  string `json:"status"`
				Results []struct {
					Verdict  string          `json:"verdict"`
					Findings json.RawMessage `json:"findings"`
				} `json:"results"`
			}
			city.get(fmt.Sprintf("/api/v1/monitors/%d?results=3", mon.ID), &d)
			if d.Status == "down" {
				found["down"] = true
			}
			for _, r := range d.Results {
				if r.Verdict == "tampered" {
					for _, kind := range []string{"defacement"} {
						if strings.Contains(string(r.Findings), `"`+kind+`"`) {
							found[kind] = true
						}
					}
				}
			}
		}
		if len(found) == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, want := range []string{"down", "defacement"} {
		if !found[want] {
			t.Errorf("no monitor shows %s within 30 s of start", want)
		}
	}
	t.Logf("the monitors showed down and defacement %v after start", time.Since(started).Round(time.Millisecond))

	// A second start on the same data adds no demo data (the monitors may
	// have opened drafts meanwhile; the alert groups stay as they were).
	if code, errs := stop(); code != 0 {
		t.Fatalf("serve --demo stopped with %d: %s", code, errs)
	}
	_, again := startServeOut(t, "--demo", "--data-dir", dir)
	m = regexp.MustCompile(`running at (http://\S+)/ `).FindStringSubmatch(again.String())
	if m == nil || !strings.Contains(again.String(), "seeded at an earlier start") || strings.Contains(again.String(), "Demo alert intake added") {
		t.Fatalf("second start printed:\n%s", again.String())
	}
	county = demoLogin(t, m[1], text, "qx-duty")
	var after idList
	county.get("/api/v1/alert-groups?limit=1", &after)
	t.Logf("alert groups: %d before, %d after the second start; facets %v", groups.Total, after.Total, groups.Facets.State)
	if after.Total != groups.Total {
		t.Errorf("after a second start the county office has %d alert groups, %d before", after.Total, groups.Total)
	}
}
