package sigma

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/ingest"
)

func all(int64, string) bool { return true }

func mustBuiltin(t testing.TB) *Engine {
	t.Helper()
	sets, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(all, sets...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mailLogin(at time.Time, ip, user, outcome string) *ingest.Event {
	ev := &ingest.Event{Time: at, Kind: ingest.KindSyslog, Fields: map[string]any{}}
	ev.Set("process.name", "dovecot")
	ev.Set("event.category", []string{"authentication"})
	ev.Set("event.outcome", outcome)
	ev.Set("source.ip", ip)
	ev.Set("user.name", user)
	return ev
}

func titles(ms []ingest.Match) string {
	var s []string
	for _, m := range ms {
		s = append(s, fmt.Sprintf("%s[%s %s %s]", m.Title, m.Kind, m.Level, m.Entity))
	}
	return strings.Join(s, "; ")
}

var src = ingest.Source{Org: 7, Sensor: "mail-1"}

func TestBuiltinSetsLoad(t *testing.T) {
	sets, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, s := range sets {
		got[s.Name] = s.Count()
	}
	want := map[string]int{"egress": 2, "ids": 5, "mail": 7}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("set %s: %d rules, want %d (all: %v)", k, got[k], v, got)
		}
	}
}

// 20 failed log-ins from one address in 3 minutes become one threshold
// match (issue 14 acceptance); 19 do not.
func TestMailLoginBurst(t *testing.T) {
	e := mustBuiltin(t)
	ctx := context.Background()
	start := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	var got []ingest.Match
	for i := 0; i < 20; i++ {
		ms := e.Detect(ctx, src, mailLogin(start.Add(time.Duration(i)*9*time.Second), "203.0.113.9", "alice@example.cn", "failure"))
		if i < 19 && len(ms) > 0 {
			t.Fatalf("event %d: early match %s", i+1, titles(ms))
		}
		got = append(got, ms...)
	}
	if len(got) != 1 || got[0].Kind != ingest.MatchThreshold || got[0].Entity != "source.ip=203.0.113.9" ||
		got[0].RuleID != "e4d7d8e9-4d02-465f-9213-c6f9c364f0a7" || got[0].RuleSet != "mail" || got[0].Level != "high" {
		t.Fatalf("got %s (%+v)", titles(got), got)
	}
	if strings.Join(got[0].Tags, ",") != "attack.credential_access,attack.t1110" {
		t.Errorf("tags %v", got[0].Tags)
	}
	// The match stands for the twenty failures, the first of them its start.
	if got[0].Count != 20 || !got[0].Since.Equal(start) {
		t.Errorf("count %d since %v, want 20 since %v", got[0].Count, got[0].Since, start)
	}
	// The same 20 failures spread over 20 minutes stay under the threshold,
	// and another org's failures do not count towards org 7's.
	e = mustBuiltin(t)
	for i := 0; i < 20; i++ {
		s := src
		if i%2 == 0 {
			s.Org = 8
		}
		if ms := e.Detect(ctx, s, mailLogin(start.Add(time.Duration(i)*time.Minute), "203.0.113.9", "bob", "failure")); len(ms) > 0 {
			t.Fatalf("event %d: %s", i+1, titles(ms))
		}
	}
}

func TestMailLoginAbroadAndAtNight(t *testing.T) {
	e := mustBuiltin(t)
	ctx := context.Background()
	day := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC) // 14:00 in Beijing
	ev := mailLogin(day, "198.51.100.7", "alice@example.cn", "success")
	ev.Set("source.geo.country_iso_code", "US")
	if got := titles(e.Detect(ctx, src, ev)); got != "境外地址登录邮箱[sigma medium user.name=alice@example.cn]" {
		t.Errorf("abroad: %s", got)
	}
	ev.Set("source.geo.country_iso_code", "CN")
	if got := titles(e.Detect(ctx, src, ev)); got != "" {
		t.Errorf("from China: %s", got)
	}
	night := mailLogin(time.Date(2026, 12, 6, 19, 30, 0, 0, time.UTC), "10.0.0.5", "bob", "success") // 03:30 Beijing
	if got := titles(e.Detect(ctx, src, night)); got != "凌晨时段登录邮箱[sigma low user.name=bob]" {
		t.Errorf("night: %s", got)
	}
	if _, ok := night.Fields[HourLocal]; ok {
		t.Error("the engine changed the event's fields")
	}
	morning := mailLogin(time.Date(2026, 12, 6, 22, 0, 0, 0, time.UTC), "10.0.0.5", "bob", "success") // 06:00 Beijing
	if got := titles(e.Detect(ctx, src, morning)); got != "" {
		t.Errorf("06:00: %s", got)
	}
}

func TestMailForwardingAndBulkDownload(t *testing.T) {
	e := mustBuiltin(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	fwd := &ingest.Event{Time: at, Kind: ingest.KindSyslog, Fields: map[string]any{}}
	fwd.Set("process.name", "dovecot")
	fwd.Set("user.name", "carol")
	fwd.Set("message", "lda(carol)<4711><abc>: sieve: msgid=<1@x>: forwarded to <carol@gmail.com>")
	if got := titles(e.Detect(ctx, src, fwd)); got != "邮箱自动转发规则[sigma high user.name=carol]" {
		t.Errorf("forward: %s", got)
	}
	dl := &ingest.Event{Time: at, Kind: ingest.KindSyslog, Fields: map[string]any{}}
	dl.Set("process.name", "dovecot")
	dl.Set("user.name", "dave")
	dl.Set("destination.bytes", float64(300<<20))
	if got := titles(e.Detect(ctx, src, dl)); got != "单次会话批量下载邮件[sigma medium user.name=dave]" {
		t.Errorf("bulk: %s", got)
	}
	var sum []ingest.Match
	for i := 0; i < 3; i++ {
		dl.Time = at.Add(time.Duration(i) * 10 * time.Minute)
		sum = append(sum, e.Detect(ctx, src, dl)...)
	}
	if got := titles(sum); !strings.Contains(got, "一小时内批量下载邮件[threshold high user.name=dave]") {
		t.Errorf("hourly sum: %s", got)
	}
}

func TestIDSAlertsKeepTheirTitles(t *testing.T) {
	e := mustBuiltin(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	sur := &ingest.Event{Time: at, Kind: ingest.KindSuricata, Fields: map[string]any{}}
	sur.Set("event.kind", "alert")
	sur.Set("event.module", "suricata")
	sur.Set("event.severity", float64(1))
	sur.Set("rule.name", "ET EXPLOIT Possible Apache log4j RCE")
	sur.Set("rule.id", "2034647")
	sur.Set("source.ip", "192.0.2.10")
	ms := e.Detect(ctx, src, sur)
	if len(ms) != 1 || ms[0].Title != "ET EXPLOIT Possible Apache log4j RCE" || ms[0].Level != "high" ||
		ms[0].RuleID != "4cbdd261-c595-4cbb-9395-1b7a8066244e:2034647" || ms[0].Entity != "source.ip=192.0.2.10" {
		t.Errorf("suricata: %+v", ms)
	}
	sur.Set("event.severity", float64(3))
	if ms := e.Detect(ctx, src, sur); len(ms) != 0 {
		t.Errorf("severity 3: %s", titles(ms))
	}
	wz := &ingest.Event{Time: at, Kind: ingest.KindWazuh, Fields: map[string]any{}}
	wz.Set("event.module", "wazuh")
	wz.Set("rule.name", "Multiple authentication failures")
	wz.Set("rule.id", "40111")
	wz.Set("host.name", "web-01")
	for lvl, want := range map[float64]string{9: "", 10: "medium", 11: "medium", 12: "high", 14: "high", 15: "critical"} {
		wz.Set("event.severity", lvl)
		ms := e.Detect(ctx, src, wz)
		got := ""
		if len(ms) == 1 && ms[0].Title == "Multiple authentication failures" {
			got = ms[0].Level
		} else if len(ms) > 1 {
			got = titles(ms)
		}
		if got != want {
			t.Errorf("wazuh level %v: %q, want %q", lvl, got, want)
		}
	}
}

func TestDisabledSetIsSilent(t *testing.T) {
	sets, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(func(org int64, set string) bool { return !(org == 7 && set == "mail") }, sets...)
	if err != nil {
		t.Fatal(err)
	}
	ev := mailLogin(time.Date(2026, 12, 6, 19, 30, 0, 0, time.UTC), "10.0.0.5", "bob", "success")
	if ms := e.Detect(context.Background(), src, ev); len(ms) != 0 {
		t.Errorf("org 7 disabled mail: %s", titles(ms))
	}
	if ms := e.Detect(context.Background(), ingest.Source{Org: 9}, ev); len(ms) != 1 {
		t.Errorf("org 9: %s", titles(ms))
	}
}

// Events shaped as package ingest's decoders write them (mail.go, m365.go,
// suricata.go on h/parse): the field names the built-in rules read.
func parsed(at time.Time, kind string, kv ...any) *ingest.Event {
	ev := &ingest.Event{Time: at, Kind: kind, Fields: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		ev.Set(kv[i].(string), kv[i+1])
	}
	return ev
}

func TestBuiltinRulesOnDecodedEvents(t *testing.T) {
	e := mustBuiltin(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	var got []ingest.Match
	for i := 0; i < 20; i++ {
		t0 := at.Add(time.Duration(i) * 8 * time.Second)
		// With auth_verbose on, Dovecot's auth process writes its own line
		// first: it must not count twice.
		got = append(got, e.Detect(ctx, src, parsed(t0, ingest.KindSyslog, "process.name", "auth", "event.dataset", "mail.dovecot-auth-failure",
			"event.action", "dovecot-auth", "event.category", []string{"authentication"}, "event.outcome", "failure",
			"user.name", "li@example.cn", "source.ip", "198.51.100.23"))...)
		got = append(got, e.Detect(ctx, src, parsed(t0.Add(time.Second), ingest.KindSyslog, "process.name", "imap-login", "event.dataset", "mail.dovecot-login-failed",
			"event.action", "imap-login", "event.category", []string{"authentication"}, "event.outcome", "failure",
			"user.name", "li@example.cn", "source.ip", "198.51.100.23", "source.geo.country_iso_code", "NL"))...)
		if i == 9 && len(got) != 0 {
			t.Fatalf("counted twice: %s after 10 failed log-ins", titles(got))
		}
	}
	if titles(got) != "同一地址邮件登录失败过多[threshold high source.ip=198.51.100.23]" {
		t.Errorf("login burst: %s", titles(got))
	}

	sieve := parsed(at, ingest.KindSyslog, "process.name", "lmtp", "event.dataset", "mail.sieve-forward", "event.action", "forward",
		"event.category", []string{"email"}, "user.name", "zhao@example.cn", "email.to.address", []string{"drop@evil.example"},
		"message", "lmtp(zhao@example.cn)<8812><Sj>: sieve: msgid=<a1@example.org>: forwarded to <drop@evil.example>")
	m365 := parsed(at, ingest.KindGeneric, "event.module", "m365", "event.provider", "Exchange", "event.action", "Set-Mailbox",
		"event.category", []string{"email", "configuration"}, "user.name", "qian@example.cn", "email.to.address", []string{"qian@gmail.com"})
	for name, ev := range map[string]*ingest.Event{"sieve": sieve, "m365": m365} {
		if ms := e.Detect(ctx, src, ev); len(ms) != 1 || ms[0].RuleID != "bd38264b-a661-4e1f-bc01-69ea7113925f" {
			t.Errorf("%s forwarding: %s", name, titles(ms))
		}
	}
	logout := parsed(at, ingest.KindSyslog, "process.name", "imap", "event.dataset", "mail.dovecot-logout-imap", "event.action", "logout",
		"event.category", []string{"session"}, "user.name", "sun@example.cn", "destination.bytes", float64(250<<20), "source.bytes", float64(4096))
	if got := titles(e.Detect(ctx, src, logout)); got != "单次会话批量下载邮件[sigma medium user.name=sun@example.cn]" {
		t.Errorf("bulk download: %s", got)
	}
	flow := parsed(at, ingest.KindSuricata, "event.module", "suricata", "event.dataset", "suricata.eve", "event.kind", "event",
		"event.category", []string{"network"}, "source.ip", "10.1.2.3", "destination.ip", "203.0.113.77", "source.bytes", float64(600<<20),
		"destination.bytes", float64(20000))
	if got := titles(e.Detect(ctx, src, flow)); got != "单次连接大流量外传[sigma high source.ip=10.1.2.3]" {
		t.Errorf("egress: %s", got)
	}
	flow.Set("destination.ip", "10.9.9.9") // inside to inside: not egress
	if got := titles(e.Detect(ctx, src, flow)); got != "" {
		t.Errorf("internal transfer: %s", got)
	}
}
