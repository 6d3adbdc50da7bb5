package ingest

import (
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// Wazuh 4.x alerts, as the manager writes them to
// /var/ossec/logs/alerts/alerts.json (one object per line) and as
// integratord hands them to integrations:
//
//	{"timestamp":"2026-03-05T10:21:13.541+0800",
//	 "rule":{"level":10,"description":"…","id":"5712","mitre":{"id":[…],"tactic":[…],"technique":[…]},
//	         "firedtimes":3,"mail":false,"groups":["syslog","sshd","authentication_failures"],"pci_dss":[…]},
//	 "agent":{"id":"003","name":"mail01","ip":"10.8.1.20"},"manager":{"name":"wazuh-manager"},
//	 "id":"1772677273.1234567","full_log":"…",
//	 "predecoder":{"program_name":"sshd","timestamp":"Mar  5 10:21:12","hostname":"mail01"},
//	 "decoder":{"parent":"sshd","name":"sshd"},
//	 "data":{"srcip":"203.0.113.9","srcport":"51122","dstuser":"admin"},
//	 "location":"/var/log/secure"}
//
// ECS names are set for what rules look at; every other leaf is kept as
// wazuh.<path> (data.* as wazuh.data.<path>) so that rules can still name it.

// wazuhData maps the static fields of Wazuh's decoders (data.*) to ECS.
// Ports and other numbers are handled in parseWazuh.
var wazuhData = []struct{ from, to string }{
	{"data.srcip", "source.ip"},
	{"data.dstip", "destination.ip"},
	{"data.url", "url.original"},
	{"data.action", "event.action"},
	{"data.srcmac", "source.mac"},
	{"data.dstmac", "destination.mac"},
	{"data.system_name", "host.hostname"},
	{"data.command", "process.command_line"},
	{"data.win.system.eventID", "event.code"},
	{"data.win.system.computer", "host.hostname"},
	{"data.win.system.providerName", "event.provider"},
	{"data.win.eventdata.ipAddress", "source.ip"},
	{"data.win.eventdata.targetDomainName", "user.domain"},
	{"data.win.eventdata.logonType", "winlog.logon.type"},
	{"data.win.eventdata.image", "process.executable"},
	{"data.win.eventdata.commandLine", "process.command_line"},
	{"data.win.eventdata.parentImage", "process.parent.executable"},
}

// wazuhGroups gives ECS category (and outcome) hints for Wazuh rule groups.
var wazuhGroups = map[string]struct{ category, outcome string }{
	"authentication_failed":     {"authentication", "failure"},
	"authentication_failures":   {"authentication", "failure"},
	"win_authentication_failed": {"authentication", "failure"},
	"invalid_login":             {"authentication", "failure"},
	"authentication_success":    {"authentication", "success"},
	"syscheck":                  {"file", ""},
	"syscheck_file":             {"file", ""},
	"web":                       {"web", ""},
	"accesslog":                 {"web", ""},
	"ids":                       {"intrusion_detection", ""},
	"suricata":                  {"intrusion_detection", ""},
	"virus":                     {"malware", ""},
	"malware":                   {"malware", ""},
	"rootcheck":                 {"malware", ""},
	"vulnerability-detector":    {"vulnerability", ""},
	"firewall":                  {"network", ""},
	"account_changed":           {"iam", ""},
	"adduser":                   {"iam", ""},
	"policy_changed":            {"configuration", ""},
	"sudo":                      {"process", ""},
}

func parseWazuh(obj map[string]any, ev *Event) error {
	ev.Kind = KindWazuh
	if !isWazuhAlert(obj) {
		return fenghuo.Errorf(fenghuo.EINVALID,
			"The record is not a Wazuh alert (it needs \"rule\" and \"agent\" objects). / 记录不是 Wazuh 告警（缺少 rule 和 agent 对象）。")
	}
	f := flatten(obj)
	// Wazuh's Suricata integration reads eve.json with the json decoder:
	// data is then an EVE record, mapped as Suricata's own records are
	// (the Wazuh fields set below take precedence).
	if data, ok := obj["data"].(map[string]any); ok {
		if typ, ok := data["event_type"].(string); ok && typ != "" {
			eve := flatten(data)
			delete(eve, "event_type")
			ev.Set("suricata.eve.event_type", typ)
			mapEVE(typ, eve, ev)
			for k := range f {
				if strings.HasPrefix(k, "data.") {
					if _, left := eve[k[len("data."):]]; !left {
						delete(f, k)
					}
				}
			}
		}
	}
	if v, ok := f["timestamp"]; ok {
		t, err := parseTime(v, nil, time.UTC)
		if err != nil {
			return timeError("timestamp", v)
		}
		ev.Time = t
		delete(f, "timestamp")
	}
	ev.Set("event.kind", "alert")
	ev.Set("event.module", "wazuh")
	ev.Set("event.id", f.takeStr("id"))
	ev.Set("rule.id", f.takeStr("rule.id"))
	ev.Set("rule.name", f.takeStr("rule.description"))
	ev.Set("rule.description", ev.Str("rule.name"))
	if lvl, ok := f.takeNum("rule.level"); ok {
		ev.Set("event.severity", lvl)
	}
	groups := f.takeList("rule.groups")
	if groups != nil {
		ev.Set("tags", groups)
	}
	if ids := f.takeList("rule.mitre.id"); ids != nil {
		ev.Set("threat.framework", "MITRE ATT&CK")
		ev.Set("threat.technique.id", ids)
	}
	if v := f.takeList("rule.mitre.technique"); v != nil {
		ev.Set("threat.technique.name", v)
	}
	if v := f.takeList("rule.mitre.tactic"); v != nil {
		ev.Set("threat.tactic.name", v)
	}

	ev.Set("agent.id", f.takeStr("agent.id"))
	ev.Set("agent.name", f.takeStr("agent.name"))
	ev.Set("host.name", ev.Str("agent.name"))
	ev.Set("host.ip", f.takeStr("agent.ip"))
	ev.Set("observer.name", f.takeStr("manager.name"))
	ev.Set("message", f.takeStr("full_log"))
	ev.Set("log.file.path", f.takeStr("location"))
	ev.Set("process.name", f.takeStr("predecoder.program_name"))
	ev.Set("log.syslog.hostname", f.takeStr("predecoder.hostname"))
	decoder := f.takeStr("decoder.name")
	ev.Set("event.dataset", decoder)
	ev.Set("wazuh.decoder.name", decoder)
	ev.Set("wazuh.decoder.parent", f.takeStr("decoder.parent"))

	for _, m := range wazuhData {
		if v := f.takeStr(m.from); v != "" && v != "-" {
			if _, set := ev.Fields[m.to]; !set {
				ev.Set(m.to, v)
			} else {
				ev.Set("wazuh."+m.from, v) // a second source of the same field
			}
		}
	}
	for _, p := range []struct{ from, to string }{
		{"data.srcport", "source.port"}, {"data.dstport", "destination.port"},
		{"data.win.eventdata.ipPort", "source.port"},
	} {
		if n, ok := f.takeNum(p.from); ok {
			ev.Set(p.to, n)
		}
	}
	// dstuser is the account acted on (logged in to, sudo'd to); srcuser
	// the one acting. user.name is the account a rule watches.
	dst, src := f.takeStr("data.dstuser"), f.takeStr("data.srcuser")
	if win := f.takeStr("data.win.eventdata.targetUserName"); dst == "" && win != "-" {
		dst = win
	}
	if dst != "" {
		ev.Set("user.name", dst)
		ev.Set("source.user.name", src)
	} else {
		ev.Set("user.name", src)
	}
	if decoder == "web-accesslog" {
		// The web access-log decoder names the method "protocol" and the
		// status code "id".
		ev.Set("http.request.method", f.takeStr("data.protocol"))
		if n, ok := f.takeNum("data.id"); ok {
			ev.Set("http.response.status_code", n)
		}
	}
	// File integrity monitoring.
	ev.Set("file.path", f.takeStr("syscheck.path"))
	ev.Set("file.hash.md5", f.takeStr("syscheck.md5_after"))
	ev.Set("file.hash.sha1", f.takeStr("syscheck.sha1_after"))
	ev.Set("file.hash.sha256", f.takeStr("syscheck.sha256_after"))
	if n, ok := f.takeNum("syscheck.size_after"); ok {
		ev.Set("file.size", n)
	}
	if a := f.takeStr("syscheck.event"); a != "" {
		ev.Set("event.action", a)
	}

	for _, g := range groups {
		if hint, ok := wazuhGroups[g]; ok {
			addCategory(ev, hint.category)
			if hint.outcome != "" {
				ev.Set("event.outcome", hint.outcome)
			}
		}
	}

	f.rest(ev, "wazuh.")
	return nil
}
