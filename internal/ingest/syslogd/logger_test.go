package syslogd

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestLogger sends messages with util-linux logger, in both formats, over
// TCP (octet-counted and LF-framed) and UDP, and checks every message
// arrives in order with its fields.
func TestLogger(t *testing.T) {
	logger, err := exec.LookPath("logger")
	if err != nil {
		t.Skip("logger (util-linux) is not installed")
	}
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		transport string
		args      []string
		rfc5424   bool
	}{
		{"RFC 5424 TCP octet-counted", "tcp", []string{"--rfc5424", "-T", "--octet-count"}, true},
		{"RFC 5424 TCP LF-framed", "tcp", []string{"--rfc5424", "-T"}, true},
		{"RFC 3164 TCP octet-counted", "tcp", []string{"--rfc3164", "-T", "--octet-count"}, false},
		{"RFC 3164 TCP LF-framed", "tcp", []string{"--rfc3164", "-T"}, false},
		{"RFC 5424 UDP", "udp", []string{"--rfc5424", "-d"}, true},
		{"RFC 3164 UDP", "udp", []string{"--rfc3164", "-d"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sink := &recordingSink{}
			cfg := Config{Sink: sink, BatchSize: 16, BatchWait: 50 * time.Millisecond}
			if tt.transport == "udp" {
				cfg.UDP = "-"
			} else {
				cfg.TCP = "-"
			}
			s := startServer(t, cfg)
			want := lines(tt.name, 40)
			args := append([]string{"-n", "127.0.0.1", "-P", port(s, tt.transport), "-t", "fenghuo-test", "--id=4242",
				"-p", "local3.warning"}, tt.args...)
			if tt.rfc5424 {
				args = append(args, "--msgid", "LOGIN", "--sd-id", "zoo@32473", "--sd-param", `tiger="hungry"`)
			}
			if tt.transport == "udp" {
				// One datagram at a time: a burst could overflow the
				// socket buffer of a busy test machine, which is not what
				// this test is about.
				for _, line := range want {
					cmd := exec.Command(logger, append(args, line)...)
					cmd.Env = beijing
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("logger: %v\n%s", err, out)
					}
				}
			} else {
				cmd := exec.Command(logger, args...)
				cmd.Env = beijing
				cmd.Stdin = strings.NewReader(strings.Join(want, "\n") + "\n") // one message a line, one connection
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("logger: %v\n%s", err, out)
				}
			}
			waitFor(t, 10*time.Second, "every message", func() bool { return len(sink.events()) >= len(want) })
			got := sink.events()
			checkMessages(t, got, want)
			for i, ev := range got {
				for key, v := range map[string]any{
					"log.syslog.facility.code": 19.0, "log.syslog.facility.name": "local3",
					"log.syslog.severity.code": 4.0, "log.syslog.severity.name": "warning", "log.syslog.priority": 156.0,
					"process.name": "fenghuo-test", "process.pid": 4242.0, "host.hostname": host,
				} {
					if ev.Fields[key] != v {
						t.Fatalf("event %d: %s = %#v, want %#v (fields %v)", i, key, ev.Fields[key], v, ev.Fields)
					}
				}
				if tt.rfc5424 {
					if ev.Str("log.syslog.msgid") != "LOGIN" || ev.Str("log.syslog.structured_data.zoo@32473.tiger") != "hungry" {
						t.Fatalf("event %d: msgid or structured data missing: %v", i, ev.Fields)
					}
				}
				if d := time.Since(ev.Time); d < 0 || d > time.Minute {
					t.Fatalf("event %d: time %v is not now (year-less timestamps read in the wrong zone?)", i, ev.Time)
				}
				if !strings.Contains(string(ev.Raw), want[i]) {
					t.Fatalf("event %d: raw %q", i, ev.Raw)
				}
			}
			for _, src := range sink.sources() {
				if src != loopbackSource {
					t.Fatalf("source %v, want %v", src, loopbackSource)
				}
			}
			st := s.Stats()
			if st.Received != uint64(len(want)) || st.Accepted != uint64(len(want)) || len(st.Dropped) != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// beijing runs a sender with its clock in China Standard Time (a POSIX TZ
// rule, so no tz database is needed), as the senders Fenghuo hears from
// are: their RFC 3164 timestamps carry neither year nor zone.
var beijing = append(os.Environ(), "TZ=CST-8")
