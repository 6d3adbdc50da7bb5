package ingest

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	syslog "github.com/leodido/go-syslog/v4"
	"github.com/leodido/go-syslog/v4/auto"
	"github.com/leodido/go-syslog/v4/common"
	"github.com/leodido/go-syslog/v4/rfc3164"
	"github.com/leodido/go-syslog/v4/rfc5424"
)

// ChinaStandardTime is the zone of RFC 3164 timestamps, which carry none:
// the senders Fenghuo hears from keep their clocks in China Standard Time
// (UTC+8, no daylight saving since 1991, so a fixed zone is exact and needs
// no tz database).
var ChinaStandardTime = time.FixedZone("CST", 8*60*60)

// ErrEmptySyslog is returned for a message with nothing in it.
var ErrEmptySyslog = errors.New("syslog: empty message")

// defaultPriority is what RFC 3164 §4.3.3 tells a relay to assume for a
// message without a recognisable PRI: user.notice, the whole text as MSG.
const defaultPriority = 13

// syslogMachines holds auto-detecting parsers (RFC 5424 or RFC 3164 per
// message, strict first, then best effort); a machine keeps state while it
// parses, so each call takes its own.
var syslogMachines = sync.Pool{New: func() any {
	return auto.NewMachine(
		auto.WithRFC5424Options(rfc5424.WithBestEffort()),
		auto.WithRFC3164Options(rfc3164.WithBestEffort(), rfc3164.WithRFC3339(), rfc3164.WithSecondFractions(),
			rfc3164.WithLenientDay(), rfc3164.WithEmbeddedNewlines(), rfc3164.WithOptionalPriority()),
	)
}}

// ParseSyslog turns one syslog message (one frame, without its framing)
// into an event of kind "syslog" with ECS field names:
// log.syslog.priority, log.syslog.facility.code and .name (RFC 5427
// keywords: "auth", "local7"), log.syslog.severity.code and .name
// ("error", "informational"), host.hostname and host.name, process.name (the APP-NAME or
// TAG), process.pid (when the PROCID is a number; log.syslog.procid
// otherwise), log.syslog.msgid, log.syslog.version, structured data as
// log.syslog.structured_data.<SD-ID>.<PARAM-NAME>, and message.
//
// RFC 5424 and RFC 3164 are told apart per message. RFC 3164 is parsed on a
// best-effort basis (what rsyslog and logger really send: zero-padded days,
// RFC 3339 timestamps, fractions of seconds, TAG[PID]:). Its timestamp has
// neither year nor zone: it is read in China Standard Time and given the
// year that puts it nearest to received, so "Dec 31 23:59:59" received on
// 1 January is last year's. A message without a recognisable PRI is kept
// whole as the message of a user.notice event (RFC 3164 §4.3.3). Only an
// empty message is an error. Event.Time is the message's timestamp, or
// received when it has none.
func ParseSyslog(msg []byte, received time.Time) (Event, error) {
	ev := Event{Received: received, Time: received, Kind: KindSyslog, Fields: make(map[string]any, 16)}
	ev.Raw = bytes.Clone(msg[:min(len(msg), MaxRaw)])
	ev.RawTruncated = len(msg) > MaxRaw
	// Framing leftovers (a CR before the LF, NUL terminators, a trailing
	// newline in a datagram) are not part of the message.
	text := bytes.TrimRight(msg, "\r\n\x00")
	if len(bytes.TrimSpace(text)) == 0 {
		return ev, ErrEmptySyslog
	}
	// The parsers stop at invalid UTF-8 or a NUL and lose the message.
	if !utf8.Valid(text) || bytes.IndexByte(text, 0) >= 0 {
		text = []byte(clean(string(text)))
	}
	// The RFC 3164 parser also drops a message with control characters in
	// it (escape sequences, form feeds): they pass it in disguise.
	text, shielded := shieldControls(text)
	if shielded {
		defer func() {
			for k, v := range ev.Fields {
				if s, ok := v.(string); ok {
					ev.Fields[k] = unshieldControls(s)
				}
			}
		}()
	}
	rest, prio, ok := splitPriority(text)
	if !ok {
		setPriority(&ev, defaultPriority)
		ev.Set("message", clean(string(text)))
		return ev, nil
	}
	m := syslogMachines.Get().(syslog.Machine)
	parsed, err := m.Parse(text)
	syslogMachines.Put(m)
	switch p := parsed.(type) {
	case *rfc5424.SyslogMessage:
		if p.Priority == nil {
			break
		}
		setBase(&ev, &p.Base, received, false)
		ev.Set("log.syslog.version", float64(p.Version))
		if p.StructuredData != nil {
			for id, params := range *p.StructuredData {
				if len(params) == 0 {
					// An element without parameters still says something
					// ([timeQuality] alone): keep that it was there.
					ev.Set("log.syslog.structured_data."+clean(id), true)
				}
				for name, value := range params {
					ev.Set("log.syslog.structured_data."+clean(id)+"."+clean(name), clean(value))
				}
			}
		}
	case *rfc3164.SyslogMessage:
		if p.Priority == nil {
			break
		}
		setBase(&ev, &p.Base, received, true)
		if ev.Time.IsZero() {
			ev.Time = stampTime(rest, received)
		}
	}
	if _, parsedPriority := ev.Fields["log.syslog.priority"]; !parsedPriority {
		setPriority(&ev, prio)
	}
	// A partial parse is used as far as it went; when it stopped before
	// the message, all that follows the PRI is the message, so that
	// nothing is lost.
	if _, hasMessage := ev.Fields["message"]; err != nil && !hasMessage {
		ev.Set("message", clean(string(rest)))
	}
	return ev, nil
}

// splitPriority checks the PRI part ("<" 1–3 digits ">", at most 191,
// RFC 5424 §6.2.1) and returns what follows it and its value.
func splitPriority(text []byte) (rest []byte, prio uint8, ok bool) {
	end := bytes.IndexByte(text, '>')
	if len(text) < 3 || text[0] != '<' || end < 2 || end > 4 {
		return nil, 0, false
	}
	digits := text[1:end]
	if len(digits) > 1 && digits[0] == '0' {
		return nil, 0, false
	}
	v := 0
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, 0, false
		}
		v = v*10 + int(c-'0')
	}
	if v > 191 {
		return nil, 0, false
	}
	return text[end+1:], uint8(v), true
}

// stampTime reads an RFC 3164 timestamp ("Feb 29 08:00:00") the parser
// could not place because its day does not exist in the year it assumes;
// received when there is none.
func stampTime(rest []byte, received time.Time) time.Time {
	if len(rest) < len(time.Stamp) {
		return received
	}
	t, err := time.Parse("Jan _2 15:04:05 2006", string(rest[:len(time.Stamp)])+" 2000") // a leap year
	if err != nil {
		return received
	}
	return nearestYear(t, received)
}

// setBase copies the fields common to both formats.
func setBase(ev *Event, b *syslog.Base, received time.Time, yearless bool) {
	if b.Priority != nil {
		setPriority(ev, *b.Priority)
	} else {
		setPriority(ev, defaultPriority)
	}
	if b.Timestamp != nil {
		ts := *b.Timestamp
		if yearless && ts.Year() == 0 {
			ts = nearestYear(ts, received)
		}
		ev.Time = ts
	}
	if b.Hostname != nil {
		// host.name as well: the name events are searched and grouped by.
		ev.Set("host.hostname", clean(*b.Hostname))
		ev.Set("host.name", clean(*b.Hostname))
	}
	if b.Appname != nil {
		ev.Set("process.name", clean(*b.Appname))
	}
	if b.ProcID != nil {
		if pid, err := strconv.ParseUint(*b.ProcID, 10, 53); err == nil {
			ev.Set("process.pid", float64(pid))
		} else {
			ev.Set("log.syslog.procid", clean(*b.ProcID))
		}
	}
	if b.MsgID != nil {
		ev.Set("log.syslog.msgid", clean(*b.MsgID))
	}
	if b.Message != nil {
		// RFC 5424 §6.4: a UTF-8 MSG may start with a byte order mark.
		ev.Set("message", clean(strings.TrimPrefix(*b.Message, "\ufeff")))
	}
}

func setPriority(ev *Event, prio uint8) {
	facility, severity := prio/8, prio%8
	ev.Set("log.syslog.priority", float64(prio))
	ev.Set("log.syslog.facility.code", float64(facility))
	if name, ok := common.FacilityKeywords[facility]; ok {
		ev.Set("log.syslog.facility.name", name)
	}
	ev.Set("log.syslog.severity.code", float64(severity))
	ev.Set("log.syslog.severity.name", common.SeverityLevels[severity])
}

// nearestYear places a year-less RFC 3164 timestamp (month, day and clock,
// read as UTC by the parser) in China Standard Time, in the year of
// received, the one before or the one after, whichever is nearest to
// received: senders' clocks drift and messages wait in queues, but not for
// half a year. A 29 February goes to the nearest leap year.
func nearestYear(ts, received time.Time) time.Time {
	r := received.In(ChinaStandardTime)
	var best time.Time
	from, to := r.Year()-1, r.Year()+1
	if ts.Month() == time.February && ts.Day() == 29 {
		from, to = r.Year()-4, r.Year()+4
	}
	for y := from; y <= to; y++ {
		t := time.Date(y, ts.Month(), ts.Day(), ts.Hour(), ts.Minute(), ts.Second(), ts.Nanosecond(), ChinaStandardTime)
		if t.Month() != ts.Month() { // 29 February of a common year
			continue
		}
		if best.IsZero() || absDuration(t.Sub(received)) < absDuration(best.Sub(received)) {
			best = t
		}
	}
	return best
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// shieldRune is the first of 32+1 private-use characters that stand for
// the control characters U+0000–U+001F and U+007F while a message is
// parsed.
const shieldRune = 0xF700

func isShieldedControl(c byte) bool {
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f
}

// shieldControls replaces control characters (other than tab, CR and LF)
// with private-use characters, unless the text has such characters of its
// own.
func shieldControls(text []byte) ([]byte, bool) {
	controls := false
	for _, c := range text {
		controls = controls || isShieldedControl(c)
	}
	if !controls || bytes.Contains(text, []byte{0xef, 0x9c}) || bytes.Contains(text, []byte{0xef, 0x9d}) { // U+F700–U+F77F
		return text, false
	}
	out := make([]byte, 0, len(text)+16)
	for _, c := range text {
		if isShieldedControl(c) {
			out = utf8.AppendRune(out, shieldRune+rune(c))
		} else {
			out = append(out, c)
		}
	}
	return out, true
}

func unshieldControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= shieldRune && r <= shieldRune+0x7f {
			return r - shieldRune
		}
		return r
	}, s)
}

// clean makes a field value storable and comparable: valid UTF-8 (invalid
// bytes become U+FFFD) without NUL characters, which PostgreSQL's text
// type refuses.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\ufffd")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}
