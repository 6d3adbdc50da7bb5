package intake_test

import (
	"fmt"
	"testing"
	"time"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
)

// BenchmarkAccept measures the intake's storage path: batches of 100, 500 and 2,000
// syslog-sized events committed through Accept (one transaction each, fsync
// at commit on SQLite), with the test detector matching one event in ten
// into a handful of alert groups. Reports events per second.
func BenchmarkAccept(b *testing.B) {
	for _, batch := range []int{100, 500, 2000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) { benchmarkAccept(b, batch) })
	}
}

func benchmarkAccept(b *testing.B, batch int) {
	e := apptest.New(b)
	svc := intake.New(e.App.Core, e.App.Incidents, &failedLogins{})
	u, _ := e.User(b, "bench", "school", fenghuo.RoleUnitReporter)
	row, _, err := svc.CreateSource(bg, e.Actor(b, u), intake.SourceInput{OrgID: e.Orgs["school"].ID, Name: "bench", Kind: "syslog"})
	if err != nil {
		b.Fatal(err)
	}
	src := ingest.Source{Org: row.OrgID, Sensor: row.Name, TokenID: row.ID}
	now := e.Clock.Now()
	mk := func(n int) []ingest.Event {
		evs := make([]ingest.Event, batch)
		for i := range evs {
			action := "logon"
			if i%10 == 0 {
				action = "logon-failed"
			}
			evs[i] = ingest.Event{Time: now.Add(time.Duration(n*batch+i) * time.Millisecond), Kind: ingest.KindSyslog,
				Fields: map[string]any{"event.action": action, "source.ip": fmt.Sprintf("203.0.113.%d", i%7), "user.name": "user" + fmt.Sprint(i%50),
					"host.name": "mail01", "process.name": "dovecot", "event.category": []string{"authentication"},
					"message": "imap-login: Login: user=<user@example.cn>, method=PLAIN, rip=203.0.113.7, lip=198.51.100.10, mpid=12345, TLS"},
				Raw: []byte("<22>Nov 20 09:00:00 mail01 dovecot: imap-login: Login: user=<user@example.cn>, method=PLAIN, rip=203.0.113.7, lip=198.51.100.10, mpid=12345, TLS")}
		}
		return evs
	}
	batches := make([][]ingest.Event, b.N)
	for n := range batches {
		batches[n] = mk(n)
	}
	b.ResetTimer()
	start := time.Now()
	for n := 0; n < b.N; n++ {
		if err := svc.Accept(bg, src, batches[n]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/time.Since(start).Seconds(), "events/s")
}
