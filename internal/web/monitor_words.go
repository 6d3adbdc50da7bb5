package web

import (
	"encoding/json"

	"fenghuo/internal/store"
	"fenghuo/internal/tamper"
)

// Words of the monitor pages: a check's verdict, the kinds of tampering and
// a monitor's state, so no page shows "tampered", "hidden_link" or "down".
var monitorWordMessages = map[string][2]string{
	"monitor.down":                    {"中断", "down"},
	"monitor.tampered":                {"疑似篡改", "tampering suspected"},
	"monitor.verdict.clean":           {"未见异常", "clean"},
	"monitor.verdict.tampered":        {"发现异常", "tampering found"},
	"monitor.verdict.learning":        {"学习基线", "learning the baseline"},
	"monitor.verdict.changed":         {"内容变化", "content changed"},
	"tamper.kind.defacement":          {"网页篡改", "defacement"},
	"tamper.kind.hidden_link":         {"暗链植入", "hidden link"},
	"tamper.kind.cloaking":            {"暗链植入（针对搜索引擎）", "cloaking (for search engines)"},
	"tamper.kind.dns_hijack":          {"域名劫持", "DNS hijack"},
	"tamper.kind.illicit_content":     {"违法有害信息", "illicit content"},
	"tamper.kind.malicious_redirect":  {"恶意跳转", "malicious redirect"},
	"tamper.kind.new_external_script": {"网页被植入外部脚本", "new external script"},
	"tamper.kind.hidden_iframe":       {"网页被植入隐藏框架", "hidden iframe"},
	"tamper.kind.cert_changed":        {"证书异常变更", "certificate changed"},
}

func init() {
	for k, m := range monitorWordMessages {
		messages[k] = m
	}
}

// MonitorStatus names a monitor's availability state in the page's language.
func (v *view) MonitorStatus(status string) string {
	switch status {
	case "up":
		return v.T("monitor.up")
	case "down":
		return v.T("monitor.down")
	case "failed":
		return v.T("monitor.check_failed")
	case "disputed":
		return v.T("monitor.disputed")
	}
	return v.T("monitor.learning")
}

// Verdict names a check's verdict in the page's language; an unknown one
// shows as it is.
func (v *view) Verdict(verdict string) string {
	if verdict == "" {
		return ""
	}
	return v.tOr("monitor.verdict."+verdict, verdict)
}

// checkFinding is one finding of a check, in words.
type checkFinding struct {
	Kind, Reason string
}

// CheckFindings reads a check's stored findings (the tamper report's JSON)
// and names each in the page's language; stored text that does not parse
// shows nothing rather than raw JSON.
func (v *view) CheckFindings(raw string) []checkFinding {
	var fs []tamper.Finding
	if raw == "" || json.Unmarshal([]byte(raw), &fs) != nil {
		return nil
	}
	out := make([]checkFinding, 0, len(fs))
	for _, f := range fs {
		reason := f.Reason
		if v.Lang != "en" && f.ReasonZH != "" {
			reason = f.ReasonZH
		}
		out = append(out, checkFinding{Kind: v.tOr("tamper.kind."+f.Kind, f.Kind), Reason: reason})
	}
	return out
}

// latestTampered reports whether the newest of a monitor's checks found
// tampering (the list's badge beside the up/down state).
func latestTampered(results []store.MonitorResult) bool {
	var newest *store.MonitorResult
	for i := range results {
		if newest == nil || results[i].At.After(newest.At) {
			newest = &results[i]
		}
	}
	return newest != nil && newest.Verdict == tamper.VerdictTampered
}

// tOr translates key, or gives fallback when the catalogue has no such key.
func (v *view) tOr(key, fallback string) string {
	if _, ok := messages[key]; !ok {
		return fallback
	}
	return v.T(key)
}
