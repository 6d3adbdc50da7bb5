package ingest

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"testing"

	"fenghuo/internal/fuzzseed"
)

// TestWriteFuzzSeeds checks that the committed seed corpora are what the
// generators make (a changed generator fails until the seeds are rewritten
// and committed). To rewrite them:
//
//	FENGHUO_WRITE_FUZZ_SEEDS=1 go test ./internal/ingest/ -run TestWriteFuzzSeeds
func TestWriteFuzzSeeds(t *testing.T) {
	wazuh := readLines(t, "testdata/wazuh/alerts.json")
	eve := readLines(t, "testdata/suricata/eve.json")
	webhook, err := os.ReadFile("testdata/wazuh/webhook-shuffle.json")
	if err != nil {
		t.Fatal(err)
	}
	hostile := hostileRecords()
	names := make([]string, 0, len(hostile))
	for n := range hostile {
		names = append(names, n)
	}
	sort.Strings(names)

	records := map[string][]byte{"webhook-shuffle": webhook}
	for i, l := range wazuh {
		records[fmt.Sprintf("wazuh-%d", i+1)] = l
	}
	for i, l := range eve {
		records[fmt.Sprintf("eve-%d", i+1)] = l
	}
	for i, l := range readLines(t, "testdata/m365/audit.json") {
		records[fmt.Sprintf("m365-%d", i+1)] = l
	}
	for _, n := range names {
		records["hostile-"+n] = hostile[n]
	}
	for name, rec := range records {
		targets := []string{"FuzzParseRecordDetect"}
		if len(rec) <= 16<<10 {
			// Large records seed one target only (every format flattens
			// the same way), to keep the repository small.
			targets = append(targets, "FuzzParseRecordWazuh", "FuzzParseRecordWazuhWebhook", "FuzzParseRecordSuricata", "FuzzParseRecordGeneric")
		}
		for _, target := range targets {
			fuzzseed.Check(t, target, name, rec)
		}
	}

	mapping := []byte(`{"time":"log.ts","layouts":["2006-01-02 15:04:05","unix_ms"],"zone":"+08:00","fields":{"source.ip":"client.addr","user.name":"login.user","related.ip":"hops.ip"},"constants":{"event.category":["authentication"],"event.severity":3,"x.ok":true},"multi":["event.category","related.ip"]}`)
	fuzzseed.Check(t, "FuzzParseMapping", "vpn", mapping,
		[]byte(`{"log":{"ts":"2026-03-05 10:00:00"},"client":{"addr":"185.220.101.1"},"login":{"user":"alice"},"hops":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}]}`))
	fuzzseed.Check(t, "FuzzParseMapping", "on-wazuh", []byte(`{"fields":{"organization.name":"agent.name"},"drop_unmapped":true}`), wazuh[0])
	fuzzseed.Check(t, "FuzzParseMapping", "epoch", []byte(`{"time":"t","layouts":["unix"]}`), []byte(`{"t":"1772676000.5"}`))

	ndjson := bytes.Join(eve, []byte("\n"))
	fuzzseed.Check(t, "FuzzDecodeBatch", "ndjson", []byte("application/x-ndjson"), ndjson)
	fuzzseed.Check(t, "FuzzDecodeBatch", "ndjson-as-json", []byte("application/json; charset=utf-8"), append(bytes.Join(wazuh, []byte("\r\n")), "\n\n"...))
	fuzzseed.Check(t, "FuzzDecodeBatch", "array", []byte("application/json"), append(append([]byte("["), bytes.Join(append(wazuh[:2:2], eve[:2]...), []byte(","))...), ']'))
	fuzzseed.Check(t, "FuzzDecodeBatch", "object", nil, webhook)
	fuzzseed.Check(t, "FuzzDecodeBatch", "mixed-errors", []byte("application/x-ndjson"), []byte("{\"a\":1}\nnot json\n[1]\n\n{\"timestamp\":\"x\",\"event_type\":\"dns\"}\n"))
	fuzzseed.Check(t, "FuzzDecodeBatch", "broken-array", nil, []byte(`[{"a":1},{"b":`))
	fuzzseed.Check(t, "FuzzDecodeBatch", "form", []byte("application/x-www-form-urlencoded"), []byte("a=1"))
	fuzzseed.Check(t, "FuzzDecodeBatch", "deep", nil, hostile["deep-array"])

	for i, m := range []struct{ msg, prog, ip string }{
		{"warning: unknown[185.220.101.1]: SASL LOGIN authentication failed: UGFzc3dvcmQ6", "postfix/smtpd", "185.220.101.1"},
		{"warning: unknown[2a01:4f8::1]: SASL PLAIN authentication failed: , sasl_username=a@b.cn", "postfix/submission/smtpd", "2a01:4f8::1"},
		{"4QbXyZ1kL9z2: client=unknown[185.220.101.1], sasl_method=LOGIN, sasl_username=zhangwei@example.gov.cn", "postfix/smtpd", "10.0.0.1"},
		{"imap-login: Login: user=<zhangwei@example.gov.cn>, method=PLAIN, rip=185.220.101.1, lip=10.8.1.25, mpid=41233, TLS, session=<x>", "dovecot", "::ffff:114.114.114.114"},
		{"imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<a>, method=PLAIN, rip=185.220.101.1, lip=10.8.1.25, TLS, session=<x>", "", "127.0.0.1"},
		{"auth: passwd-file(a@b.cn,185.220.101.1,<x>): Password mismatch", "dovecot", "fe80::1%eth0"},
		{"imap(a)<1><s>: Logged out in=1563 out=48213360 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=1208 body_bytes=48020112", "dovecot", "100.64.0.1"},
		{"pop3(b)<5120><AbCd>: Disconnected: Logged out top=0/0, retr=57/8347890, del=0/57, size=8347890", "dovecot", "not an ip"},
		{"lmtp(a@b.cn)<8812><Sj>: sieve: msgid=<m@x>: forwarded to <drop@evil.example>", "dovecot", "0.0.0.0"},
		{"Failed login for a@b.cn from 185.220.101.1 in session 8vg1 (error: 0)", "roundcube", "185.220.101.1"},
		{"imap(" + string(bytes.Repeat([]byte("("), 3000)) + ")" + string(bytes.Repeat([]byte(" in=1 out=2"), 500)), "dovecot", "\xff"},
	} {
		fuzzseed.Check(t, "FuzzEnrich", fmt.Sprintf("mail-%d", i+1), []byte(m.msg), []byte(m.prog), []byte(m.ip))
	}
}
