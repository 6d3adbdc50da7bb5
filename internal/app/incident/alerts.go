package incident

import (
	"context"
	"fmt"
	"math"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Alert kinds that website monitoring raises, and the GB/T 20986-2023
// category of the incident each one opens.
var alertCategories = map[string]string{
	"defacement":          "NA09", // 网页篡改
	"hidden_link":         "NA10", // 暗链植入
	"cloaking":            "NA10",
	"dns_hijack":          "NA11", // 域名劫持
	"malicious_redirect":  "NA15", // 流量劫持
	"illicit_content":     "IC07", // 涉黄涉赌信息
	"new_external_script": "MP05", // 恶意代码内嵌网页
	"hidden_iframe":       "MP05",
	"cert_changed":        "NA15",
	"outage":              "DE01", // 技术故障 (until the cause is known)
}

var alertTitles = map[string]string{
	"defacement": "网页篡改", "hidden_link": "暗链植入", "cloaking": "暗链植入（针对搜索引擎）",
	"dns_hijack": "域名劫持", "malicious_redirect": "恶意跳转", "illicit_content": "违法有害信息",
	"new_external_script": "网页被植入外部脚本", "hidden_iframe": "网页被植入隐藏框架", "cert_changed": "证书异常变更",
	"outage": "网站无法访问",
}

// MonitorAlert is what website monitoring reports about a system.
type MonitorAlert struct {
	SystemID int64
	Kind     string
	// Source identifies the alert group (e.g. "monitor:7:hidden_link"), so
	// a repeated alert adds to the same draft instead of opening another.
	Source     string
	Summary    string
	DetectedAt time.Time
}

// OpenDraftFromAlert opens a draft incident for the system's unit from a
// confirmed monitoring alert, with its category and the facts the platform
// knows filled in for the unit to confirm; a repeat of the same alert group
// while the draft or incident is open is added to its timeline instead.
func (a *Service) OpenDraftFromAlert(ctx context.Context, al MonitorAlert) (*fenghuo.Incident, bool, error) {
	cat, ok := alertCategories[al.Kind]
	if !ok {
		return nil, false, fenghuo.FieldErrorf("kind", "Unknown alert kind %q. / 未知告警类型。", al.Kind)
	}
	if al.DetectedAt.IsZero() {
		al.DetectedAt = a.core.Now()
	}
	// The summary quotes the monitored page: hostile until cleaned.
	al.Summary = fenghuo.CleanText(al.Summary, 2000)
	var inc *fenghuo.Incident
	created := false
	err := a.write(ctx, func(tx *store.Tx) error {
		sys, err := tx.System(ctx, al.SystemID)
		if err != nil {
			return err
		}
		unit, err := tx.Org(ctx, sys.OrgID)
		if err != nil {
			return err
		}
		ac := monitorActor(unit)
		if existing, err := tx.OpenIncidentBySource(ctx, al.Source); err != nil {
			return err
		} else if existing != nil {
			inc = existing
			return a.timeline(ctx, tx, ac, inc.ID, "monitor", phrase.New("monitor.again", "summary", al.Summary), map[string]string{"kind": al.Kind})
		}
		inc = &fenghuo.Incident{OrgID: unit.ID, Title: alertTitles[al.Kind] + "：" + sys.Name, SystemIDs: []int64{sys.ID},
			DiscoveredAt: al.DetectedAt, Facts: map[string]any{}, Description: al.Summary,
			Channel: fenghuo.ChannelMonitoring, Source: al.Source, Status: fenghuo.StatusDraft}
		if err := a.checkIncidentRefs(ctx, tx, inc, unit); err != nil {
			return err
		}
		inc.Category = translateCategory(cat, "gbt-20986-2023", taxonomyPlan(inc.Taxonomy))
		if _, err := a.grade(ctx, tx, inc, unit); err != nil {
			return err
		}
		if err := tx.CreateIncident(ctx, inc); err != nil {
			return err
		}
		created = true
		if err := a.gradeRecord(ctx, tx, ac, inc, "opened by monitoring"); err != nil {
			return err
		}
		if err := a.syncObligations(ctx, tx, inc, unit); err != nil {
			return err
		}
		if err := a.concealedAtCreation(ctx, tx, ac, inc, unit); err != nil {
			return err
		}
		if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: unit.ID, Kind: "monitor.alert",
			Title: "监测发现：" + inc.Title + "，请核实并报告", Link: fmt.Sprintf("/incidents/%d", inc.ID)}); err != nil {
			return err
		}
		if err := a.timeline(ctx, tx, ac, inc.ID, "created", phrase.New("monitor.draft", "summary", al.Summary), map[string]string{"kind": al.Kind, "source": al.Source}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "incident.create", "incident", incidentRef(inc.ID), "success", map[string]string{"source": al.Source, "kind": al.Kind})
	})
	return inc, created, err
}

// UpdateOutage records how long a monitored site has been unreachable on
// its outage incident (opened at the first failed check): the duration fills
// outage_minutes and site_unreachable_minutes, and the incident is
// re-graded as the outage grows.
func (a *Service) UpdateOutage(ctx context.Context, systemID int64, source string, started, until time.Time, ended bool) (*fenghuo.Incident, error) {
	inc, _, err := a.OpenDraftFromAlert(ctx, MonitorAlert{SystemID: systemID, Kind: "outage", Source: source,
		Summary: "网站自" + started.In(calendar.Shanghai).Format("01-02 15:04") + "起无法访问", DetectedAt: started})
	if err != nil {
		return nil, err
	}
	minutes := math.Floor(until.Sub(started).Minutes())
	err = a.write(ctx, func(tx *store.Tx) error {
		cur, err := tx.Incident(ctx, inc.ID)
		if err != nil {
			return err
		}
		unit, err := tx.Org(ctx, cur.OrgID)
		if err != nil {
			return err
		}
		facts := map[string]any{}
		for k, v := range cur.Facts {
			facts[k] = v
		}
		facts["outage_minutes"], facts["site_unreachable_minutes"] = minutes, minutes
		before := cur.Grade
		cur.Facts = facts
		if _, err := a.grade(ctx, tx, cur, unit); err != nil {
			return err
		}
		if err := tx.UpdateIncident(ctx, cur); err != nil {
			return err
		}
		inc = cur
		ac := monitorActor(unit)
		if before != cur.Grade {
			if err := a.gradeRecord(ctx, tx, ac, cur, "outage grew"); err != nil {
				return err
			}
			if err := a.syncObligations(ctx, tx, cur, unit); err != nil {
				return err
			}
		}
		if ended || before != cur.Grade {
			body := phrase.New("monitor.outage", "minutes", fmt.Sprintf("%.0f", minutes))
			if ended {
				body = phrase.New("monitor.restored", "minutes", fmt.Sprintf("%.0f", minutes))
			}
			return a.timeline(ctx, tx, ac, cur.ID, "monitor", body, map[string]any{"outage_minutes": minutes, "grade": cur.Grade})
		}
		return nil
	})
	return inc, err
}

// monitorActor acts for website monitoring on a unit's incident.
func monitorActor(unit *fenghuo.Org) *app.Actor {
	return &app.Actor{User: fenghuo.User{Username: "monitor", DisplayName: "网站监测"}, Org: *unit, Via: "system"}
}

// taxonomyPlan wraps a taxonomy id as a plan for translateCategory.
func taxonomyPlan(taxonomyID string) *plan.Plan {
	for _, p := range plan.Builtin().Plans() {
		if t := p.ResolvedTaxonomy(); t != nil && t.ID == taxonomyID {
			return p
		}
	}
	p, _ := plan.Builtin().Get("cac-2025")
	return p
}
