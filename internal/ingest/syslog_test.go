package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestParseSyslog(t *testing.T) {
	received := time.Date(2026, 12, 7, 6, 30, 0, 0, time.UTC) // 14:30 in Beijing
	user := func(extra map[string]any) map[string]any {
		f := map[string]any{"log.syslog.priority": 13.0, "log.syslog.facility.code": 1.0, "log.syslog.facility.name": "user",
			"log.syslog.severity.code": 5.0, "log.syslog.severity.name": "notice"}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	tests := []struct {
		name   string
		msg    string
		time   time.Time
		fields map[string]any
	}{{
		name: "RFC 5424 as logger --rfc5424 sends it",
		msg:  `<13>1 2026-12-07T14:11:03.123456+08:00 web01 alice 4242 - [timeQuality tzKnown="1" isSynced="0"] 登录失败 user=bob`,
		time: time.Date(2026, 12, 7, 6, 11, 3, 123456000, time.UTC),
		fields: user(map[string]any{"log.syslog.version": 1.0, "host.hostname": "web01", "host.name": "web01", "process.name": "alice", "process.pid": 4242.0,
			"log.syslog.structured_data.timeQuality.tzKnown": "1", "log.syslog.structured_data.timeQuality.isSynced": "0",
			"message": "登录失败 user=bob"}),
	}, {
		name: "RFC 5424 example with MSGID and two SD elements",
		msg:  `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"][examplePriority@32473 class="high"] ` + "\ufeffAn application event",
		time: time.Date(2003, 10, 11, 22, 14, 15, 3000000, time.UTC),
		fields: map[string]any{"log.syslog.priority": 165.0, "log.syslog.facility.code": 20.0, "log.syslog.facility.name": "local4",
			"log.syslog.severity.code": 5.0, "log.syslog.severity.name": "notice", "log.syslog.version": 1.0,
			"host.hostname": "mymachine.example.com", "host.name": "mymachine.example.com", "process.name": "evntslog", "log.syslog.msgid": "ID47",
			"log.syslog.structured_data.exampleSDID@32473.iut": "3", "log.syslog.structured_data.exampleSDID@32473.eventSource": "Application",
			"log.syslog.structured_data.examplePriority@32473.class": "high", "message": "An application event"},
	}, {
		name:   "RFC 5424 with nil values and a non-numeric PROCID",
		msg:    `<86>1 2026-12-07T06:00:00Z - sshd worker-3 - - Accepted publickey`,
		time:   time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC),
		fields: map[string]any{"log.syslog.priority": 86.0, "log.syslog.facility.code": 10.0, "log.syslog.facility.name": "authpriv", "log.syslog.severity.code": 6.0, "log.syslog.severity.name": "informational", "log.syslog.version": 1.0, "process.name": "sshd", "log.syslog.procid": "worker-3", "message": "Accepted publickey"},
	}, {
		name:   "RFC 3164 as logger --rfc3164 and rsyslog send it: Beijing time, this year",
		msg:    `<38>Dec  7 14:11:03 web01 sshd[977]: Failed password for root from 203.0.113.9 port 22 ssh2`,
		time:   time.Date(2026, 12, 7, 6, 11, 3, 0, time.UTC),
		fields: map[string]any{"log.syslog.priority": 38.0, "log.syslog.facility.code": 4.0, "log.syslog.facility.name": "auth", "log.syslog.severity.code": 6.0, "log.syslog.severity.name": "informational", "host.hostname": "web01", "host.name": "web01", "process.name": "sshd", "process.pid": 977.0, "message": "Failed password for root from 203.0.113.9 port 22 ssh2"},
	}, {
		name:   "RFC 3164 with a zero-padded day and no PID",
		msg:    `<13>Dec 07 14:11:03 web01 cron: job done`,
		time:   time.Date(2026, 12, 7, 6, 11, 3, 0, time.UTC),
		fields: user(map[string]any{"host.hostname": "web01", "host.name": "web01", "process.name": "cron", "message": "job done"}),
	}, {
		name:   "RFC 3164 with an RFC 3339 timestamp (rsyslog's high-precision format)",
		msg:    `<13>2026-12-07T14:11:03.5+08:00 web01 app[1]: started`,
		time:   time.Date(2026, 12, 7, 6, 11, 3, 500000000, time.UTC),
		fields: user(map[string]any{"host.hostname": "web01", "host.name": "web01", "process.name": "app", "process.pid": 1.0, "message": "started"}),
	}, {
		name:   "RFC 3164 without a hostname",
		msg:    `<13>Dec  7 14:11:03 root: no host here`,
		time:   time.Date(2026, 12, 7, 6, 11, 3, 0, time.UTC),
		fields: user(map[string]any{"process.name": "root", "message": "no host here"}),
	}, {
		name:   "29 February goes to the nearest leap year",
		msg:    `<13>Feb 29 08:00:00 web01 app: leap`,
		time:   time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC),
		fields: user(map[string]any{"host.hostname": "web01", "host.name": "web01", "process.name": "app", "message": "leap"}),
	}, {
		name:   "only a PRI and text: the text is the message",
		msg:    `<13>hello there`,
		time:   received,
		fields: user(map[string]any{"message": "hello there"}),
	}, {
		name:   "no PRI: user.notice with the whole line (RFC 3164 §4.3.3)",
		msg:    "just a line\r\n",
		time:   received,
		fields: user(map[string]any{"message": "just a line"}),
	}, {
		name:   "a PRI out of range is no PRI",
		msg:    `<999>Dec  7 14:11:03 web01 x: y`,
		time:   received,
		fields: user(map[string]any{"message": "<999>Dec  7 14:11:03 web01 x: y"}),
	}, {
		name: "a broken RFC 5424 header keeps the rest as the message",
		msg:  `<34>1 not-a-timestamp at all`,
		time: received,
		fields: map[string]any{"log.syslog.priority": 34.0, "log.syslog.facility.code": 4.0, "log.syslog.facility.name": "auth", "log.syslog.severity.code": 2.0,
			"log.syslog.severity.name": "critical", "log.syslog.version": 1.0, "message": "1 not-a-timestamp at all"},
	}, {
		name:   "control characters and tabs stay",
		msg:    "<13>Dec  7 14:11:03 web01 app: a\tb \x1b[31mred\x7f",
		time:   time.Date(2026, 12, 7, 6, 11, 3, 0, time.UTC),
		fields: user(map[string]any{"host.hostname": "web01", "host.name": "web01", "process.name": "app", "message": "a\tb \x1b[31mred\x7f"}),
	}, {
		name:   "invalid UTF-8 and NUL are made storable",
		msg:    "<13>Dec  7 14:11:03 web01 app: bad \xff\xfe byte\x00s",
		time:   time.Date(2026, 12, 7, 6, 11, 3, 0, time.UTC),
		fields: user(map[string]any{"host.hostname": "web01", "host.name": "web01", "process.name": "app", "message": "bad \ufffd bytes"}),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := ParseSyslog([]byte(tt.msg), received)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Kind != KindSyslog || !ev.Received.Equal(received) || string(ev.Raw) != tt.msg || ev.RawTruncated {
				t.Errorf("kind %q received %v raw %q truncated %v", ev.Kind, ev.Received, ev.Raw, ev.RawTruncated)
			}
			if !ev.Time.Equal(tt.time) {
				t.Errorf("time %v, want %v", ev.Time, tt.time)
			}
			if diff := cmp.Diff(tt.fields, ev.Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSyslogYearlessTimestamps(t *testing.T) {
	for _, tt := range []struct {
		stamp    string
		received time.Time
		want     time.Time
	}{
		// Sent just before midnight on New Year's Eve in Beijing, read after it.
		{"Dec 31 23:59:58", time.Date(2026, 12, 31, 16, 0, 5, 0, time.UTC), time.Date(2026, 12, 31, 15, 59, 58, 0, time.UTC)},
		{"Dec 31 23:59:58", time.Date(2027, 1, 1, 0, 0, 5, 0, time.UTC), time.Date(2026, 12, 31, 15, 59, 58, 0, time.UTC)},
		// A sender whose clock is a little ahead, across the new year.
		{"Jan  1 00:00:03", time.Date(2026, 12, 31, 15, 59, 59, 0, time.UTC), time.Date(2026, 12, 31, 16, 0, 3, 0, time.UTC)},
		// 1 January in Beijing is still 31 December in UTC: the year is Beijing's.
		{"Jan  1 07:00:00", time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)},
		{"Jun 15 12:00:00", time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 15, 4, 0, 0, 0, time.UTC)},
	} {
		ev, err := ParseSyslog([]byte("<13>"+tt.stamp+" h app: m"), tt.received)
		if err != nil {
			t.Fatal(err)
		}
		if !ev.Time.Equal(tt.want) {
			t.Errorf("%q received %v: time %v, want %v", tt.stamp, tt.received, ev.Time.UTC(), tt.want)
		}
	}
}

func TestParseSyslogEmptyAndLong(t *testing.T) {
	for _, msg := range []string{"", "\n", " \r\n", "\x00\x00"} {
		if _, err := ParseSyslog([]byte(msg), time.Now()); !errors.Is(err, ErrEmptySyslog) {
			t.Errorf("%q: err %v, want ErrEmptySyslog", msg, err)
		}
	}
	long := []byte("<13>1 2026-12-07T06:00:00Z h app - - - " + strings.Repeat("x", MaxRaw))
	ev, err := ParseSyslog(long, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Raw) != MaxRaw || !ev.RawTruncated || !bytes.Equal(ev.Raw, long[:MaxRaw]) {
		t.Errorf("raw %d bytes, truncated %v", len(ev.Raw), ev.RawTruncated)
	}
	if got := len(ev.Str("message")); got != MaxRaw {
		t.Errorf("message %d bytes, want the whole %d", got, MaxRaw)
	}
	// The event does not keep the caller's buffer (receivers reuse it).
	long[0] = 'X'
	if ev.Raw[0] != '<' {
		t.Error("Raw aliases the input")
	}
}

func FuzzParseSyslog(f *testing.F) {
	for _, s := range []string{
		`<13>1 2026-12-07T14:11:03.123456+08:00 web01 alice 4242 - [timeQuality tzKnown="1" isSynced="0"] hi`,
		`<38>Dec  7 14:11:03 web01 sshd[977]: Failed password`,
		`<13>Feb 29 08:00:00 web01 app: leap`,
		`<165>1 2003-10-11T22:14:15.003Z h e - ID47 [a@1 b="c\"d\]"][e@1] msg`,
		"plain \xff text",
	} {
		f.Add([]byte(s))
	}
	received := time.Date(2026, 12, 7, 6, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, msg []byte) {
		ev, err := ParseSyslog(msg, received)
		if err != nil {
			if !errors.Is(err, ErrEmptySyslog) || len(bytes.TrimSpace(bytes.Trim(msg, "\r\n\x00"))) != 0 {
				t.Fatalf("error %v for %q", err, msg)
			}
			return
		}
		if ev.Kind != KindSyslog || len(ev.Raw) > MaxRaw || ev.Time.IsZero() {
			t.Fatalf("kind %q raw %d time %v", ev.Kind, len(ev.Raw), ev.Time)
		}
		if p, ok := ev.Fields["log.syslog.priority"].(float64); !ok || p < 0 || p > 191 {
			t.Fatalf("priority %v", ev.Fields["log.syslog.priority"])
		}
		for k, v := range ev.Fields {
			switch v := v.(type) {
			case string:
				if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 || v == "" {
					t.Fatalf("field %s = %q", k, v)
				}
			case float64, bool:
			default:
				t.Fatalf("field %s has type %T", k, v)
			}
			if !utf8.ValidString(k) || strings.IndexByte(k, 0) >= 0 {
				t.Fatalf("key %q", k)
			}
		}
	})
}
