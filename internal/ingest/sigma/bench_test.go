package sigma

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/ingest"
)

// benchRules writes n SigmaHQ-style rules spread over the logsources the
// events below carry (Linux sshd, mail, Windows process creation, network,
// web), with equality, contains, startswith, endswith and numeric matchers,
// plus the built-in sets' correlations.
func benchRules(tb testing.TB, n int) *RuleSet {
	tb.Helper()
	var b strings.Builder
	sources := []string{
		"product: linux\n    service: sshd",
		"service: mail\n    category: authentication",
		"product: windows\n    category: process_creation",
		"category: network",
		"category: web",
	}
	details := []func(i int) string{
		func(i int) string {
			return fmt.Sprintf("        user.name: user%d\n        event.outcome: success", i)
		},
		func(i int) string {
			return fmt.Sprintf("        source.geo.country_iso_code: X%d\n        event.outcome: success", i)
		},
		func(i int) string {
			return fmt.Sprintf("        CommandLine|contains:\n            - 'tool%d.exe'\n            - '-enc%d'\n        Image|endswith: '\\bin%d.exe'", i, i, i)
		},
		func(i int) string {
			return fmt.Sprintf("        DestinationPort: %d\n        source.bytes|gte: %d", 1000+i, 1000000+i)
		},
		func(i int) string {
			return fmt.Sprintf("        c-uri|startswith: '/admin%d/'\n        sc-status: 200", i)
		},
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "title: Bench rule %d\nid: bench-%04d\nlogsource:\n    %s\ndetection:\n    selection:\n%s\n    filter:\n        host.name: excluded-%d\n    condition: selection and not filter\nlevel: medium\n---\n",
			i, i, sources[i%len(sources)], details[i%len(details)](i), i)
	}
	rules, corrs, err := Parse("bench.yml", []byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return &RuleSet{Name: "bench", Rules: rules, Correlations: corrs}
}

func benchEvents() []*ingest.Event {
	at := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	mk := func(kind string, kv ...any) *ingest.Event {
		ev := &ingest.Event{Time: at, Kind: kind, Fields: map[string]any{}}
		for i := 0; i+1 < len(kv); i += 2 {
			ev.Set(kv[i].(string), kv[i+1])
		}
		return ev
	}
	return []*ingest.Event{
		mk(ingest.KindSyslog, "process.name", "sshd", "event.category", []string{"authentication"}, "event.outcome", "failure",
			"user.name", "admin", "source.ip", "203.0.113.9", "host.name", "bastion", "message", "Failed password for admin from 203.0.113.9 port 50122 ssh2"),
		mk(ingest.KindSyslog, "process.name", "dovecot", "event.category", []string{"authentication"}, "event.outcome", "success",
			"user.name", "alice@example.cn", "source.ip", "198.51.100.7", "source.geo.country_iso_code", "US", "message", "imap-login: Login: user=<alice@example.cn>"),
		mk(ingest.KindWazuh, "event.module", "wazuh", "host.os.type", "windows", "event.category", []string{"process"}, "event.type", []string{"start"},
			"process.command_line", `powershell.exe -nop -w hidden -c "IEX (New-Object Net.WebClient)"`, "process.executable", `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`,
			"host.name", "pc-17", "user.name", "bob", "event.severity", float64(7), "rule.name", "Process creation", "rule.id", "92052"),
		mk(ingest.KindSuricata, "event.module", "suricata", "event.kind", "alert", "event.category", []string{"network", "intrusion_detection"},
			"source.ip", "10.0.0.5", "destination.ip", "192.0.2.80", "destination.port", float64(443), "source.bytes", float64(5120), "network.direction", "outbound",
			"event.severity", float64(2), "rule.name", "ET POLICY Observed DNS over HTTPS", "rule.id", "2027757"),
		mk(ingest.KindGeneric, "event.category", []string{"web"}, "url.original", "/index.php?id=1", "http.response.status_code", float64(200),
			"source.ip", "192.0.2.44", "user_agent.original", "Mozilla/5.0", "host.name", "www"),
	}
}

// BenchmarkDetect200Rules measures one event through 200 rules plus the
// built-in sets (ns/op is wall-clock ns per event, cpu-ns/event the CPU
// the process spent per event; events rotate over five kinds).
func BenchmarkDetect200Rules(b *testing.B) {
	sets, err := Builtin()
	if err != nil {
		b.Fatal(err)
	}
	sets = append(sets, benchRules(b, 200))
	e, err := NewEngine(all, sets...)
	if err != nil {
		b.Fatal(err)
	}
	events := benchEvents()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		ev := events[i%len(events)]
		ev.Time = ev.Time.Add(time.Second)
		e.Detect(ctx, ingest.Source{Org: int64(i % 3)}, ev)
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/event")
	}
}

func TestBenchRulesMatch(t *testing.T) {
	// The generated rules are real: an event built for rule 3 meets it.
	e, err := NewEngine(all, benchRules(t, 200))
	if err != nil {
		t.Fatal(err)
	}
	ev := &ingest.Event{Time: time.Now(), Kind: ingest.KindGeneric, Fields: map[string]any{}}
	ev.Set("event.category", []string{"network"})
	ev.Set("destination.port", float64(1003))
	ev.Set("source.bytes", float64(2000000))
	ms := e.Detect(context.Background(), ingest.Source{}, ev)
	if len(ms) != 1 || ms[0].RuleID != "bench-0003" {
		t.Fatalf("%+v", ms)
	}
}
