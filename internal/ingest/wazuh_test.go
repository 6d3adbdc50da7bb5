package ingest

import (
	"os"
	"testing"
	"time"
)

// Test records: testdata/wazuh/alerts.json holds Wazuh 4.x alerts.json
// lines (ruleset 4.x: sshd 5712, Windows 60122, web access log 31101,
// syscheck 550, Postfix 3332, Suricata 86601 read by the json decoder) in
// the documented alert shape — timestamp,
// rule{level, description, id, mitre, groups, compliance lists}, agent,
// manager, id, full_log, predecoder, decoder, data, location, syscheck.
// testdata/wazuh/webhook-shuffle.json is the body Wazuh 4.x integratord's
// shuffle integration posts (integrations/shuffle.py generate_msg: severity,
// pretext, title, text, rule_id, timestamp, id, all_fields).

func TestParseWazuh(t *testing.T) {
	lines := readLines(t, "testdata/wazuh/alerts.json")
	tests := []struct {
		name string
		time time.Time
		want map[string]any
	}{
		{"sshd brute force", time.Date(2026, 3, 5, 2, 21, 13, 541e6, time.UTC), map[string]any{
			"event.kind": "alert", "event.module": "wazuh", "event.dataset": "sshd",
			"event.id": "1772677273.1234567", "rule.id": "5712",
			"rule.name":      "sshd: brute force trying to get access to the system. Non existent user.",
			"event.severity": 10.0, "tags": []string{"syslog", "sshd", "authentication_failures"},
			"event.category": []string{"authentication"}, "event.outcome": "failure",
			"threat.technique.id": []string{"T1110"}, "threat.technique.name": []string{"Brute Force"},
			"threat.tactic.name": []string{"Credential Access"}, "threat.framework": "MITRE ATT&CK",
			"agent.id": "003", "agent.name": "mail01", "host.name": "mail01", "host.ip": "10.8.1.25",
			"source.ip": "185.220.101.1", "source.port": 51122.0, "user.name": "admin",
			"message":       "Mar  5 10:21:12 mail01 sshd[22811]: Invalid user admin from 185.220.101.1 port 51122",
			"log.file.path": "/var/log/secure", "process.name": "sshd", "log.syslog.hostname": "mail01",
			"observer.name": "wazuh-manager", "wazuh.rule.firedtimes": 2.0, "wazuh.rule.frequency": 8.0,
			"wazuh.rule.pci_dss": []string{"11.4", "10.2.4", "10.2.5"}, "wazuh.rule.mail": false,
			"wazuh.previous_output": "Mar  5 10:21:09 mail01 sshd[22810]: Invalid user admin from 185.220.101.1 port 51104",
			"wazuh.data.srcip":      nil, "wazuh.timestamp": nil,
		}},
		{"windows logon failure", time.Date(2026, 3, 5, 2, 30, 2, 77e6, time.UTC), map[string]any{
			"rule.id": "60122", "event.severity": 5.0, "event.category": []string{"authentication"},
			"event.outcome": "failure", "event.code": "4625", "host.hostname": "OA-DC01.example.gov.cn",
			"user.name": "zhangwei", "user.domain": "EXAMPLE", "source.ip": "185.220.101.1", "source.port": 0.0,
			"winlog.logon.type": "3", "event.provider": "Microsoft-Windows-Security-Auditing",
			"wazuh.data.win.eventdata.status": "0xc000006d", "wazuh.data.win.system.channel": "Security",
			"threat.technique.id": []string{"T1078", "T1531"}, "log.file.path": "EventChannel",
			"event.dataset": "windows_eventchannel",
		}},
		{"web access log", time.Date(2026, 3, 5, 3, 2, 44, 310e6, time.UTC), map[string]any{
			"rule.id": "31101", "event.category": []string{"web"}, "http.request.method": "GET",
			"http.response.status_code": 404.0, "url.original": "/wp-login.php", "source.ip": "185.220.101.1",
			"tags": []string{"web", "accesslog", "attack"}, "wazuh.data.id": nil, "wazuh.data.protocol": nil,
		}},
		{"syscheck", time.Date(2026, 3, 5, 3, 15, 9, 902e6, time.UTC), map[string]any{
			"rule.id": "550", "event.category": []string{"file"}, "event.action": "modified",
			"file.path": "/var/www/html/index.php", "file.hash.md5": "e4d909c290d0fb1ca068ffaddf22cbd0",
			"file.hash.sha256": "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c",
			"file.size":        5316.0, "wazuh.syscheck.md5_before": "9e107d9d372bb6826bd81d3542a419d6",
			"wazuh.syscheck.changed_attributes": []string{"size", "mtime", "md5", "sha1", "sha256"},
			"wazuh.syscheck.inode_after":        1835211.0,
		}},
		{"postfix sasl", time.Date(2026, 3, 5, 2, 40, 18, 6e6, time.UTC), map[string]any{
			"rule.id": "3332", "process.name": "postfix/smtpd", "source.ip": "185.220.101.1",
			"event.category": []string{"authentication"}, "event.outcome": "failure",
		}},
		{"suricata through wazuh", time.Date(2026, 3, 5, 2, 21, 14, 2e6, time.UTC), map[string]any{
			"rule.id": "86601", "rule.name": "Suricata: Alert - ET EXPLOIT Apache log4j RCE Attempt (http ldap) (CVE-2021-44228)",
			"event.severity": 3.0, "event.kind": "alert", "event.module": "wazuh", "event.dataset": "json",
			"event.category": []string{"network", "intrusion_detection"}, "event.action": "allowed",
			"source.ip": "185.220.101.1", "source.port": 51122.0, "destination.ip": "10.8.1.30", "destination.port": 80.0,
			"network.transport": "tcp", "network.protocol": "http", "rule.category": "Attempted Administrator Privilege Gain",
			"suricata.eve.event_type": "alert", "suricata.eve.flow_id": "1837486527189345",
			"wazuh.data.alert.gid": "1", "wazuh.data.timestamp": "2026-03-05T10:21:13.541342+0800",
			"wazuh.data.src_ip": nil, "wazuh.data.alert.signature": nil,
		}},
	}
	if len(lines) != len(tests) {
		t.Fatalf("%d lines, %d tests", len(lines), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{FormatWazuh, FormatDetect} {
				ev, err := parseRecord(format, lines[i], nil, testNow)
				if err != nil {
					t.Fatalf("%q: %v", format, err)
				}
				if ev.Kind != KindWazuh || !ev.Time.Equal(tt.time) || !ev.Received.Equal(testNow) {
					t.Fatalf("%q: kind %q time %v received %v", format, ev.Kind, ev.Time, ev.Received)
				}
				if string(ev.Raw) != string(lines[i]) || ev.RawTruncated {
					t.Fatalf("raw not kept")
				}
				checkValues(t, &ev)
				wantFields(t, ev, tt.want)
			}
		})
	}
}

func TestParseWazuhWebhook(t *testing.T) {
	body, err := os.ReadFile("testdata/wazuh/webhook-shuffle.json")
	if err != nil {
		t.Fatal(err)
	}
	line := readLines(t, "testdata/wazuh/alerts.json")[0]
	plain, err := parseRecord(FormatWazuh, line, nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{FormatWazuhWebhook, FormatDetect} {
		ev, err := parseRecord(format, body, nil, testNow)
		if err != nil {
			t.Fatalf("%q: %v", format, err)
		}
		checkValues(t, &ev)
		// The wrapped alert maps as the alerts.json line does, less the
		// compliance lists the sample leaves out.
		for k, v := range plain.Fields {
			if got, ok := ev.Fields[k]; ok {
				wantFields(t, ev, map[string]any{k: v})
			} else if !isCompliance(k) {
				t.Errorf("%q: %s missing (%v)", format, k, got)
			}
		}
		if ev.Kind != KindWazuh || !ev.Time.Equal(plain.Time) {
			t.Fatalf("%q: kind %q time %v", format, ev.Kind, ev.Time)
		}
	}
	// A custom integration posting the alert itself.
	ev, err := parseRecord(FormatWazuhWebhook, line, nil, testNow)
	if err != nil || ev.Str("rule.id") != "5712" {
		t.Fatalf("bare alert as webhook: %v %v", err, ev.Fields)
	}
}

func isCompliance(k string) bool {
	switch k {
	case "wazuh.rule.gdpr", "wazuh.rule.hipaa", "wazuh.rule.nist_800_53", "wazuh.rule.pci_dss", "wazuh.rule.tsc",
		"wazuh.previous_output":
		return true
	}
	return false
}

func TestParseWazuhRefuses(t *testing.T) {
	for name, rec := range map[string]string{
		"no agent":      `{"rule":{"id":"1"}}`,
		"bad time":      `{"timestamp":"yesterday","rule":{"id":"1"},"agent":{"id":"000"}}`,
		"not object":    `["rule","agent"]`,
		"not json":      `{"rule":`,
		"two objects":   `{"rule":{},"agent":{}} {"x":1}`,
		"empty":         ``,
		"rule a string": `{"rule":"5712","agent":{"id":"000"}}`,
	} {
		if _, err := parseRecord(FormatWazuh, []byte(rec), nil, testNow); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Wazuh 3.x spelled rule.id as a number and the time as text.
	ev, err := parseRecord(FormatWazuh, []byte(`{"rule":{"level":3,"id":5402,"groups":["syslog","sudo"]},"agent":{"id":"031","name":"CentOS"},"timestamp":"2017 Jan 05 14:11:21"}`), nil, testNow)
	if err != nil || ev.Str("rule.id") != "5402" || ev.Time.Year() != 2017 {
		t.Fatalf("3.x alert: %v %v %v", err, ev.Fields, ev.Time)
	}
}
