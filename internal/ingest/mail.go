package ingest

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// Mail-server decoders: 000 §4(一) asks offices to audit mail access —
// log-ins from unusual addresses or hours, bulk downloads of mail — and to
// turn automatic forwarding off. These decoders read the syslog lines of
// Postfix (3.x), Dovecot (2.3, with Pigeonhole sieve) and Roundcube webmail
// (1.4 and later, the userlogins log) from an event's
// message (and process.name, when the event has one) and set the ECS fields
// rules look at:
//
//	decoder              event.action     event.category  event.outcome  other fields
//	postfix-sasl-failure smtp-auth        authentication  failure        source.ip, user.name (when Postfix names it)
//	postfix-sasl-success smtp-auth        authentication  success        source.ip, user.name
//	dovecot-login        imap-login …     authentication  success        user.name, source.ip (rip), destination.ip (lip)
//	dovecot-login-failed imap-login …     authentication  failure        same, dovecot.auth_attempts
//	dovecot-auth-failure dovecot-auth     authentication  failure        user.name, source.ip (one line per wrong password)
//	dovecot-logout-imap  logout           session                        destination.bytes, source.bytes, dovecot.messages_fetched
//	dovecot-logout-pop3  logout           session                        destination.bytes, dovecot.messages_fetched
//	roundcube-login…     webmail-login    authentication  failure/success user.name, source.ip (Roundcube userlogins log)
//	sieve-forward        forward          email                          user.name (the mailbox), email.to.address, email.message_id
//
// Bulk downloads: destination.bytes is what ECS means by it — bytes the
// destination (the mail server) sent to the source (the client) in the
// session: IMAP "out=", POP3 the byte count of "retr=". source.bytes is
// IMAP "in=". dovecot.messages_fetched counts the message bodies fetched
// (IMAP body_count, from the default imap_logout_format of Dovecot 2.3) or
// retrieved (POP3 retr). A failed Dovecot log-in usually writes both an
// auth line and a login-process line: thresholds should count one of the
// two actions, not both.
//
// Inbox rules and forwarding set in Exchange Online arrive as Microsoft 365
// audit records (JSON, m365.go). Coremail is not decoded: it publishes no
// log format to follow.

// mailDecoder is one row of the table: a cheap literal pre-filter, the
// program it applies to, a regexp over the message, and the fields it
// sets from the regexp's named groups.
type mailDecoder struct {
	name    string
	program *regexp.Regexp // matched against process.name, when the event has one
	hint    string         // a literal every matching message contains
	// back, when not 0, starts the regexp at most back bytes before the
	// hint: patterns that open with an alternation have no literal prefix
	// to scan for, and run several times faster on the short window.
	back int
	re   *regexp.Regexp
	set  []assign
}

// assign sets field to value; ${group} in value expands the regexp's
// named group. Numbers are stored as float64; lists as []string; an empty
// expansion sets nothing.
type assign struct {
	field, value string
	kind         valueKind
}

type valueKind int

const (
	text valueKind = iota
	number
	list
)

var (
	postfixSMTPD  = regexp.MustCompile(`^postfix(-[\w-]+)?(/[\w-]+)*/smtpd$`)
	roundcubeProg = regexp.MustCompile(`^roundcube`)
	dovecotProgs  = regexp.MustCompile(`^(dovecot|(imap|pop3|submission|managesieve)-login|auth|imap|pop3|lmtp|lda|deliver)$`)
)

const addr = `[0-9A-Fa-f:.]+`

var mailDecoders = []mailDecoder{
	{
		name: "postfix-sasl-failure", program: postfixSMTPD, hint: "authentication failed",
		// warning: unknown[203.0.113.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6
		// warning: unknown[203.0.113.9]: SASL PLAIN authentication failed: (reason unavailable), sasl_username=alice@example.cn
		re: regexp.MustCompile(`\[(?P<ip>` + addr + `)\]: SASL (?P<method>[\w-]+) authentication failed(?::[^,]*)?(?:, sasl_username=(?P<user>[^\s,]+))?`),
		set: []assign{
			{"source.ip", "${ip}", text}, {"user.name", "${user}", text},
			{"event.action", "smtp-auth", text}, {"event.category", "authentication", list},
			{"event.outcome", "failure", text}, {"network.protocol", "smtp", text},
			{"postfix.sasl_method", "${method}", text},
		},
	},
	{
		name: "postfix-sasl-success", program: postfixSMTPD, hint: "sasl_username=",
		// 4QbXyZ1kL9z2: client=unknown[203.0.113.9], sasl_method=LOGIN, sasl_username=alice@example.cn
		re: regexp.MustCompile(`client=[^\[\s]*\[(?P<ip>` + addr + `)\](?::\d+)?, sasl_method=(?P<method>[\w-]+), sasl_username=(?P<user>[^\s,]+)`),
		set: []assign{
			{"source.ip", "${ip}", text}, {"user.name", "${user}", text},
			{"event.action", "smtp-auth", text}, {"event.category", "authentication", list},
			{"event.outcome", "success", text}, {"network.protocol", "smtp", text},
			{"postfix.sasl_method", "${method}", text},
		},
	},
	{
		name: "dovecot-login", program: dovecotProgs, hint: "Login: user=<", back: 40,
		// imap-login: Login: user=<alice@example.cn>, method=PLAIN, rip=203.0.113.9, lip=10.8.1.25, mpid=41233, TLS, session=<…>
		re: regexp.MustCompile(`(?P<svc>imap|pop3|submission|managesieve)-login: (?:Info: )?Login: user=<(?P<user>[^>]*)>, method=(?P<method>[\w-]+), rip=(?P<rip>` + addr + `), lip=(?P<lip>` + addr + `)`),
		set: []assign{
			{"user.name", "${user}", text}, {"source.ip", "${rip}", text}, {"destination.ip", "${lip}", text},
			{"event.action", "${svc}-login", text}, {"event.category", "authentication", list},
			{"event.outcome", "success", text}, {"network.protocol", "${svc}", text},
			{"dovecot.auth_method", "${method}", text},
		},
	},
	{
		name: "dovecot-login-failed", program: dovecotProgs, hint: "auth failed", back: 100,
		// imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<alice@example.cn>, method=PLAIN, rip=203.0.113.9, lip=10.8.1.25, TLS, session=<…>
		// pop3-login: Login aborted: Connection closed (auth failed, 1 attempts in 4 secs) (auth_failed): user=<bob>, method=PLAIN, rip=…, lip=…
		re: regexp.MustCompile(`(?P<svc>imap|pop3|submission|managesieve)-login: (?:Info: )?[^(]*\(auth failed, (?P<n>\d+) attempts? in \d+ secs?\)[^:]*: user=<(?P<user>[^>]*)>(?:, method=(?P<method>[\w-]+))?, rip=(?P<rip>` + addr + `), lip=(?P<lip>` + addr + `)`),
		set: []assign{
			{"user.name", "${user}", text}, {"source.ip", "${rip}", text}, {"destination.ip", "${lip}", text},
			{"event.action", "${svc}-login", text}, {"event.category", "authentication", list},
			{"event.outcome", "failure", text}, {"network.protocol", "${svc}", text},
			{"dovecot.auth_method", "${method}", text}, {"dovecot.auth_attempts", "${n}", number},
		},
	},
	{
		name: "dovecot-auth-failure", program: dovecotProgs, hint: "auth",
		// auth: passwd-file(alice@example.cn,203.0.113.9,<eB5xz>): Password mismatch
		// auth-worker(3012): pam(bob,203.0.113.9,<Xy>): pam_authenticate() failed: Authentication failure (Password mismatch?)
		re: regexp.MustCompile(`auth(?:-worker\(\d+\))?: (?:Info: )?(?P<db>[\w-]+)\((?P<user>[^,()]+),(?P<rip>` + addr + `)(?:,<[^>]*>)?\): (?:Password mismatch|unknown user|pam_authenticate\(\) failed)`),
		set: []assign{
			{"user.name", "${user}", text}, {"source.ip", "${rip}", text},
			{"event.action", "dovecot-auth", text}, {"event.category", "authentication", list},
			{"event.outcome", "failure", text}, {"dovecot.passdb", "${db}", text},
		},
	},
	{
		name: "dovecot-logout-imap", program: dovecotProgs, hint: " out=",
		// imap(alice@example.cn)<41240><Kx3…>: Logged out in=1563 out=48213360 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=1208 body_bytes=48020112
		re: regexp.MustCompile(`imap\((?P<user>[^)]+)\)(?:<[^>]*>)*: (?:Info: )?(?:Disconnected: )?.*?\bin=(?P<in>\d+) out=(?P<out>\d+)(?: deleted=\d+ expunged=\d+ trashed=\d+ hdr_count=\d+ hdr_bytes=\d+ body_count=(?P<bodies>\d+))?`),
		set: []assign{
			{"user.name", "${user}", text}, {"source.bytes", "${in}", number}, {"destination.bytes", "${out}", number},
			{"dovecot.messages_fetched", "${bodies}", number},
			{"event.action", "logout", text}, {"event.category", "session", list}, {"network.protocol", "imap", text},
		},
	},
	{
		name: "dovecot-logout-pop3", program: dovecotProgs, hint: "retr=",
		// pop3(bob)<5120><…>: Disconnected: Logged out top=0/0, retr=57/8347890, del=0/57, size=8347890
		re: regexp.MustCompile(`pop3\((?P<user>[^)]+)\)(?:<[^>]*>)*: (?:Info: )?(?:Disconnected: )?.*?\bretr=(?P<n>\d+)/(?P<bytes>\d+)`),
		set: []assign{
			{"user.name", "${user}", text}, {"destination.bytes", "${bytes}", number},
			{"dovecot.messages_fetched", "${n}", number},
			{"event.action", "logout", text}, {"event.category", "session", list}, {"network.protocol", "pop3", text},
		},
	},
	{
		name: "roundcube-login-failed", program: roundcubeProg, hint: "Failed login for ",
		// Failed login for zhangwei@example.gov.cn from 185.220.101.1 in session 8vg1a2b3c4 (error: 0)
		re: regexp.MustCompile(`Failed login for (?P<user>\S+) from (?P<ip>` + addr + `)`),
		set: []assign{
			{"user.name", "${user}", text}, {"source.ip", "${ip}", text},
			{"event.action", "webmail-login", text}, {"event.category", "authentication", list},
			{"event.outcome", "failure", text}, {"network.protocol", "http", text},
		},
	},
	{
		name: "roundcube-login", program: roundcubeProg, hint: "Successful login for ",
		// Successful login for zhangwei@example.gov.cn (ID: 12) from 185.220.101.1 in session 8vg1a2b3c4
		re: regexp.MustCompile(`Successful login for (?P<user>\S+) \(ID: \d+\) from (?P<ip>` + addr + `)`),
		set: []assign{
			{"user.name", "${user}", text}, {"source.ip", "${ip}", text},
			{"event.action", "webmail-login", text}, {"event.category", "authentication", list},
			{"event.outcome", "success", text}, {"network.protocol", "http", text},
		},
	},
	{
		name: "sieve-forward", program: dovecotProgs, hint: "sieve: msgid=", back: 400,
		// lmtp(alice@example.cn)<8812><Sj…>: sieve: msgid=<a1@example.org>: forwarded to <drop@evil.example>
		re: regexp.MustCompile(`(?:lmtp|lda|deliver)\((?:\d+, )?(?P<user>[^)]+)\)[^ ]*:(?: [\w+/]+:)?(?: Info:)? sieve: msgid=(?:<(?P<msgid>[^>]*)>|\S+): (?:redirect action: )?forwarded to <(?P<to>[^>]+)>`),
		set: []assign{
			{"user.name", "${user}", text}, {"email.to.address", "${to}", list},
			{"email.message_id", "${msgid}", text},
			{"event.action", "forward", text}, {"event.category", "email", list},
		},
	},
}

// maxMailLine bounds the messages the decoders read: mail-server log lines
// are a few hundred bytes, and a bound keeps the regexps' cost per event
// small whatever a sender puts in message.
const maxMailLine = 1024

// decodeMail applies the first mail decoder that matches the event's
// message.
func decodeMail(ev *Event) {
	msg, ok := ev.Fields["message"].(string)
	if !ok || msg == "" || len(msg) > maxMailLine {
		return
	}
	prog, _ := ev.Fields["process.name"].(string)
	for i := range mailDecoders {
		d := &mailDecoders[i]
		at := strings.Index(msg, d.hint)
		if at < 0 || prog != "" && !d.program.MatchString(prog) {
			continue
		}
		text := msg
		if d.back > 0 && at > d.back {
			text = msg[at-d.back:]
		}
		// MatchString runs without captures, several times faster on the
		// lines that contain a hint but do not match.
		if !d.re.MatchString(text) {
			continue
		}
		m := d.re.FindStringSubmatchIndex(text)
		for _, a := range d.set {
			v := string(d.re.ExpandString(nil, a.value, text, m))
			if v == "" {
				continue
			}
			if a.field == "event.category" {
				addCategory(ev, v)
				continue
			}
			if _, exists := ev.Fields[a.field]; exists {
				continue
			}
			switch a.kind {
			case number:
				if n, err := strconv.ParseFloat(v, 64); err == nil {
					ev.Fields[a.field] = n
				}
			case list:
				ev.Fields[a.field] = []string{v}
			default:
				if strings.HasSuffix(a.field, ".ip") {
					// Dovecot writes IPv4 clients of an IPv6 socket as
					// ::ffff:a.b.c.d; indicators name a.b.c.d.
					v = canonicalIP(v)
				}
				ev.Fields[a.field] = v
			}
		}
		if _, ok := ev.Fields["event.dataset"]; !ok {
			ev.Fields["event.dataset"] = "mail." + d.name
		}
		return
	}
}

// canonicalIP writes an address in its canonical form (IPv4-mapped IPv6
// addresses as IPv4); text that is no address is returned as it is.
func canonicalIP(s string) string {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().String()
	}
	return s
}
