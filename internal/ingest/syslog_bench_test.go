package ingest

import (
	"testing"
	"time"
)

// BenchmarkParseSyslog measures one message of each format.
func BenchmarkParseSyslog(b *testing.B) {
	now := time.Now()
	for name, msg := range map[string]string{
		"rfc5424": `<86>1 2026-12-07T14:11:03.123456+08:00 web01 sshd 4242 - [meta@32473 seq="1"] Failed password for root from 203.0.113.9 port 22 ssh2`,
		"rfc3164": `<86>Dec  7 14:11:03 web01 sshd[4242]: Failed password for root from 203.0.113.9 port 22 ssh2`,
	} {
		b.Run(name, func(b *testing.B) {
			m := []byte(msg)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseSyslog(m, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
