package syslogd

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/ingest"
)

type nopSink struct{}

func (nopSink) Accept(context.Context, ingest.Source, []ingest.Event) error { return nil }

// BenchmarkTCP measures the TCP path (framing, parsing, batching) with a
// sink that commits instantly: one connection, octet-counted RFC 5424 or
// LF-framed RFC 3164 messages of about 150 bytes.
func BenchmarkTCP(b *testing.B) {
	for _, format := range []string{"rfc5424-octet", "rfc3164-lf"} {
		b.Run(format, func(b *testing.B) {
			s := startServer(b, Config{TCP: "-", Sink: nopSink{}})
			var buf strings.Builder
			for i := range b.N {
				if format == "rfc5424-octet" {
					m := fmt.Sprintf(`<86>1 2026-12-07T14:11:03.123456+08:00 web01 sshd %d - [meta@32473 seq="%d"] Failed password for root from 203.0.113.9 port 22 ssh2`, i, i)
					fmt.Fprintf(&buf, "%d %s", len(m), m)
				} else {
					fmt.Fprintf(&buf, "<86>Dec  7 14:11:03 web01 sshd[%d]: Failed password for root from 203.0.113.9 port 22 ssh2 seq=%d\n", i, i)
				}
			}
			data := buf.String()
			c, err := net.Dial("tcp", s.Addr("tcp").String())
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			b.SetBytes(int64(len(data) / max(b.N, 1)))
			b.ResetTimer()
			start := time.Now()
			go io.WriteString(c, data)
			for s.Stats().Accepted < uint64(b.N) {
				time.Sleep(time.Millisecond)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}
