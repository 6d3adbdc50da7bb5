package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// deployment is what the setup made, as the API answered.
type deployment struct {
	office, unit     int64  // the city office (top org) and the unit whose sensors send
	syslogSource     int64  // bound to 127.0.0.1: the syslog relay
	httpSource       int64  // the HTTP intake's source
	httpToken        string // its intake token
	rulesUploaded    int
	ruleFiles        int
	iocsAdded        int
	rulesTook        time.Duration
	iocsTook         time.Duration
	importsPerBundle int
}

// setUp does through the API what a city office does to receive a unit's
// logs: it creates the unit, registers its syslog relay (bound to the
// loopback address the senders use) and an HTTP sensor, uploads the rule
// files for its subtree and imports the indicator feed.
func setUp(ctx context.Context, s *server, office int64, password string, rules []string, bundles [][]byte) (*deployment, error) {
	c := newClient(s.api)
	if err := c.login(ctx, "commander", password); err != nil {
		return nil, fmt.Errorf("log in: %w", err)
	}
	d := &deployment{office: office}
	var org struct {
		ID int64 `json:"id"`
	}
	err := c.call(ctx, "POST", "/api/v1/orgs", map[string]any{"parent_id": office, "name": "基准县政务邮件中心", "level": "unit",
		"type": "operator", "sector": "government", "liaison": map[string]string{"name": "王工", "title": "信息科科长", "mobile": "13800138000"}},
		http.StatusCreated, &org)
	if err != nil {
		return nil, fmt.Errorf("create the unit: %w", err)
	}
	d.unit = org.ID
	var src struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	if err := c.call(ctx, "POST", "/api/v1/intake-sources", map[string]any{"org_id": d.unit, "name": "rsyslog 中继", "kind": "syslog",
		"addresses": []string{"127.0.0.1"}}, http.StatusCreated, &src); err != nil {
		return nil, fmt.Errorf("register the syslog relay: %w", err)
	}
	d.syslogSource = src.ID
	if err := c.call(ctx, "POST", "/api/v1/intake-sources", map[string]any{"org_id": d.unit, "name": "网关告警推送", "kind": "generic"},
		http.StatusCreated, &src); err != nil {
		return nil, fmt.Errorf("register the HTTP sensor: %w", err)
	}
	d.httpSource, d.httpToken = src.ID, src.Token
	start := time.Now()
	for _, body := range rules {
		if err := c.call(ctx, "POST", "/api/v1/custom-rules", map[string]any{"org_id": office, "body": body}, http.StatusCreated, nil); err != nil {
			return nil, fmt.Errorf("upload rules: %w", err)
		}
		d.ruleFiles++
	}
	d.rulesTook = time.Since(start)
	var sets struct {
		Items []struct {
			Name      string `json:"name"`
			RuleCount int    `json:"rule_count"`
		} `json:"items"`
	}
	if err := c.call(ctx, "GET", fmt.Sprintf("/api/v1/rule-sets?org_id=%d", d.unit), nil, http.StatusOK, &sets); err != nil {
		return nil, fmt.Errorf("list rule sets: %w", err)
	}
	for _, set := range sets.Items {
		if set.Name == fmt.Sprintf("custom:%d", office) {
			d.rulesUploaded = set.RuleCount
		}
	}
	start = time.Now()
	for _, b := range bundles {
		var res struct {
			Added   int `json:"added"`
			Skipped []struct {
				Reason string `json:"reason"`
			} `json:"skipped"`
		}
		if err := c.call(ctx, "POST", fmt.Sprintf("/api/v1/indicators/import?org_id=%d&tlp=AMBER", office), b, http.StatusOK, &res); err != nil {
			return nil, fmt.Errorf("import indicators: %w", err)
		}
		if len(res.Skipped) > 0 {
			return nil, fmt.Errorf("import indicators: %d skipped, first: %s", len(res.Skipped), res.Skipped[0].Reason)
		}
		d.iocsAdded += res.Added
	}
	d.iocsTook = time.Since(start)
	return d, nil
}
