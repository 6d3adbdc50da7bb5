package ingest

import (
	"bytes"
	"testing"
)

// Throughput of the parsers on the test records (go test -bench . -run '^$'
// ./internal/ingest/); docs/ingest-formats.md gives the measured cost.

func BenchmarkDecodeBatchSuricata(b *testing.B) {
	body := bytes.Join(readLines(b, "testdata/suricata/eve.json"), []byte("\n"))
	benchBatch(b, body, 9)
}

func BenchmarkDecodeBatchWazuh(b *testing.B) {
	body := bytes.Join(readLines(b, "testdata/wazuh/alerts.json"), []byte("\n"))
	benchBatch(b, body, 6)
}

func benchBatch(b *testing.B, body []byte, n int) {
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		evs, errs, err := DecodeBatch("", "application/x-ndjson", bytes.NewReader(body), nil, 0)
		if err != nil || len(errs) > 0 || len(evs) != n {
			b.Fatal(err, errs, len(evs))
		}
		for i := range evs {
			Enrich(&evs[i])
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkEnrichMailLine(b *testing.B) {
	msgs := []string{
		"warning: unknown[185.220.101.1]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
		"imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<zhangwei@example.gov.cn>, method=PLAIN, rip=185.220.101.1, lip=10.8.1.25, TLS, session=<p0WfW4YXJIu53GU5>",
		"imap(zhangwei@example.gov.cn)<41240><Kx3fW4YXsIu53GU5>: Logged out in=1563 out=48213360 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=1208 body_bytes=48020112",
		"Accepted publickey for root from 10.8.1.2 port 52214 ssh2: ED25519 SHA256:Yx",
	}
	i := 0
	for b.Loop() {
		ev := Event{Fields: map[string]any{"message": msgs[i%len(msgs)], "process.name": "dovecot"}}
		Enrich(&ev)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
