package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// stream is the syslog traffic the benchmark replays: distinct messages,
// each already framed with RFC 6587 octet counting.
type stream struct {
	framed []byte // LEN SP MSG, one after another
	ends   []int  // end offset of each frame in framed
	bytes  []int  // length of each message (without the frame's prefix)
	// iocBait counts messages that carry an indicator of the library.
	iocBait int
}

// beijing is China Standard Time, the zone syslog senders here log in.
var beijing = time.FixedZone("CST", 8*3600)

// mailUsers are mailboxes of the unit; their number keeps alert groups
// (one per rule and entity) at a realistic count.
var firstNames = []string{"zhangwei", "wangfang", "lina", "liuyang", "chenjing", "yangli", "zhaolei", "huangmin", "zhoujie", "wuxia",
	"xuqiang", "sunli", "majun", "zhuhong", "hulin", "guoping", "heyan", "linfeng", "luobin", "gaoyun"}

// newStream makes n messages seeded by seed: the mail servers', firewall's,
// SSH daemons', web servers' and IDS's lines a unit's relay forwards, RFC
// 3164 and RFC 5424 mixed, with event times spread over ten minutes of a
// working morning (so that rules about the hour of a log-in do not depend
// on when the benchmark runs). The uploaded rules (rules.go) meet a few
// per cent of them; about one client address in a hundred, and one
// forwarding address in four, is an indicator of the library.
func newStream(n int, seed uint64, lib *library) *stream {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	now := time.Now().In(beijing)
	base := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, beijing)
	if base.After(now) {
		base = base.AddDate(0, 0, -1)
	}
	s := &stream{}
	var b strings.Builder
	for i := 0; i < n; i++ {
		at := base.Add(time.Duration(i) * 10 * time.Minute / time.Duration(n))
		b.Reset()
		s.line(&b, r, at, lib)
		msg := b.String()
		s.framed = strconv.AppendInt(s.framed, int64(len(msg)), 10)
		s.framed = append(s.framed, ' ')
		s.framed = append(s.framed, msg...)
		s.ends = append(s.ends, len(s.framed))
		s.bytes = append(s.bytes, len(msg))
	}
	return s
}

func (s *stream) len() int { return len(s.ends) }

// start is the offset of frame i.
func (s *stream) start(i int) int {
	if i == 0 {
		return 0
	}
	return s.ends[i-1]
}

func rfc3164(b *strings.Builder, pri int, at time.Time, host, tag string, pid int, msg string) {
	fmt.Fprintf(b, "<%d>%s %s %s[%d]: %s", pri, at.Format(time.Stamp), host, tag, pid, msg)
}

func rfc5424(b *strings.Builder, pri int, at time.Time, host, app string, pid int, msgid, sd, msg string) {
	fmt.Fprintf(b, "<%d>1 %s %s %s %d %s %s %s", pri, at.Format("2006-01-02T15:04:05.000000Z07:00"), host, app, pid, msgid, sd, msg)
}

// Addresses: clients inside the unit, Chinese public addresses (offices
// working from home), foreign scanners.
func insideIP(r *rand.Rand) string { return fmt.Sprintf("10.8.%d.%d", r.IntN(8), 2+r.IntN(250)) }
func chinaIP(r *rand.Rand) string {
	// 114.240.0.0/12 and 223.64.0.0/11: China Unicom and China Mobile.
	if r.IntN(2) == 0 {
		return fmt.Sprintf("114.%d.%d.%d", 240+r.IntN(16), r.IntN(256), 1+r.IntN(254))
	}
	return fmt.Sprintf("223.%d.%d.%d", 64+r.IntN(32), r.IntN(256), 1+r.IntN(254))
}
func foreignIP(r *rand.Rand) string {
	// 185.220.100.0/22 and 45.155.205.0/24: hosting ranges scanners use.
	if r.IntN(2) == 0 {
		return fmt.Sprintf("185.220.%d.%d", 100+r.IntN(4), 1+r.IntN(254))
	}
	return fmt.Sprintf("45.155.205.%d", 1+r.IntN(254))
}

func mailbox(r *rand.Rand) string {
	return fmt.Sprintf("%s%d@example.gov.cn", firstNames[r.IntN(len(firstNames))], r.IntN(10))
}

func session(r *rand.Rand) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b [16]byte
	for i := range b {
		b[i] = a[r.IntN(len(a))]
	}
	return string(b[:])
}

// line writes one message.
func (s *stream) line(b *strings.Builder, r *rand.Rand, at time.Time, lib *library) {
	const mailHost, gw, web, ids = "mail01", "fw-edge", "www01", "ids01"
	// A client address: mostly inside or Chinese; one in a hundred is an
	// indicator from the library (a known attacker's address).
	client := func() string {
		switch x := r.IntN(100); {
		case x == 0:
			s.iocBait++
			return lib.ipv4[r.IntN(len(lib.ipv4))]
		case x < 60:
			return insideIP(r)
		case x < 90:
			return chinaIP(r)
		default:
			return foreignIP(r)
		}
	}
	// Staff log in from inside or from Chinese addresses; one log-in in
	// two hundred comes from abroad (a trip, or stolen credentials).
	staff := func() string {
		switch x := r.IntN(200); {
		case x == 0:
			return foreignIP(r)
		case x < 120:
			return insideIP(r)
		default:
			return chinaIP(r)
		}
	}
	pid := 1000 + r.IntN(60000)
	switch k := r.IntN(100); {
	case k < 14: // Postfix: a message accepted or delivered
		q := strings.ToUpper(session(r)[:10])
		switch r.IntN(3) {
		case 0:
			rfc3164(b, 22, at, mailHost, "postfix/smtpd", pid, fmt.Sprintf("connect from unknown[%s]", client()))
		case 1:
			rfc3164(b, 22, at, mailHost, "postfix/qmgr", pid, fmt.Sprintf("%s: from=<%s>, size=%d, nrcpt=1 (queue active)", q, mailbox(r), 2000+r.IntN(90000)))
		default:
			rfc3164(b, 22, at, mailHost, "postfix/smtp", pid, fmt.Sprintf("%s: to=<%s>, relay=mx.example.org[198.51.100.25]:25, delay=0.%d, delays=0.1/0/0.1/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)",
				q, mailbox(r), r.IntN(10), strings.ToUpper(session(r)[:10])))
		}
	case k < 22: // Postfix SASL: failures from scanners, successes from staff
		if r.IntN(3) == 0 {
			rfc3164(b, 20, at, mailHost, "postfix/smtpd", pid, fmt.Sprintf("warning: unknown[%s]: SASL LOGIN authentication failed: UGFzc3dvcmQ6", client()))
		} else {
			rfc3164(b, 22, at, mailHost, "postfix/submission/smtpd", pid, fmt.Sprintf("%s: client=unknown[%s], sasl_method=PLAIN, sasl_username=%s",
				strings.ToUpper(session(r)[:10]), staff(), mailbox(r)))
		}
	case k < 38: // Dovecot log-ins, failed log-ins, log-outs
		user := mailbox(r)
		switch r.IntN(4) {
		case 0, 1:
			rfc3164(b, 22, at, mailHost, "dovecot", pid, fmt.Sprintf("imap-login: Login: user=<%s>, method=PLAIN, rip=%s, lip=10.8.1.25, mpid=%d, TLS, session=<%s>", user, staff(), pid+1, session(r)))
		case 2:
			rfc3164(b, 22, at, mailHost, "dovecot", pid, fmt.Sprintf("imap-login: Disconnected (auth failed, %d attempts in %d secs): user=<%s>, method=PLAIN, rip=%s, lip=10.8.1.25, TLS, session=<%s>",
				1+r.IntN(3), 2+r.IntN(20), user, client(), session(r)))
		default:
			out := 2000 + r.IntN(400000)
			rfc5424(b, 22, at, mailHost, "dovecot", pid, "-", "-", fmt.Sprintf("imap(%s)<%d><%s>: Logged out in=%d out=%d deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=%d body_bytes=%d",
				user, pid, session(r), 100+r.IntN(3000), out, r.IntN(40), out-1000))
		}
	case k < 40 && r.IntN(8) == 0: // Sieve forwards (0.25 %): now and then to a domain of the library
		to := "archive@example.gov.cn"
		if r.IntN(4) == 0 {
			s.iocBait++
			to = "drop@" + lib.domains[r.IntN(len(lib.domains))]
		}
		rfc3164(b, 22, at, mailHost, "dovecot", pid, fmt.Sprintf("lmtp(%s)<%d><%s>: sieve: msgid=<%s@example.org>: forwarded to <%s>", mailbox(r), pid, session(r), session(r), to))
	case k < 40: // Dovecot delivering to a mailbox
		rfc3164(b, 22, at, mailHost, "dovecot", pid, fmt.Sprintf("lmtp(%s)<%d><%s>: sieve: msgid=<%s@example.org>: stored mail into mailbox 'INBOX'", mailbox(r), pid, session(r), session(r)))
	case k < 52: // sshd
		host := fmt.Sprintf("srv%02d", r.IntN(20))
		switch r.IntN(4) {
		case 0:
			rfc3164(b, 86, at, host, "sshd", pid, fmt.Sprintf("Accepted publickey for ops from %s port %d ssh2: ED25519 SHA256:%s", insideIP(r), 30000+r.IntN(30000), session(r)))
		case 1:
			rfc3164(b, 86, at, host, "sshd", pid, fmt.Sprintf("Failed password for root from %s port %d ssh2", foreignIP(r), 30000+r.IntN(30000)))
		case 2:
			rfc3164(b, 86, at, host, "sshd", pid, fmt.Sprintf("Invalid user %s from %s port %d", []string{"oracle", "test", "admin", "git", "ubuntu"}[r.IntN(5)], foreignIP(r), 30000+r.IntN(30000)))
		default:
			rfc3164(b, 86, at, host, "sshd", pid, fmt.Sprintf("Disconnected from authenticating user root %s port %d [preauth]", foreignIP(r), 30000+r.IntN(30000)))
		}
	case k < 68: // the edge firewall (iptables through the kernel log)
		act := "ACCEPT"
		if r.IntN(3) == 0 {
			act = "BLOCK"
		}
		port := []int{22, 25, 80, 443, 443, 443, 993, 3306, 3389, 8080}[r.IntN(10)]
		rfc3164(b, 4, at, gw, "kernel", 0, fmt.Sprintf("[UFW %s] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=%s DST=10.8.1.%d LEN=60 TOS=0x00 PREC=0x00 TTL=%d ID=%d DF PROTO=TCP SPT=%d DPT=%d WINDOW=64240 RES=0x00 SYN URGP=0",
			act, client(), 2+r.IntN(250), 40+r.IntN(20), r.IntN(65536), 30000+r.IntN(30000), port))
	case k < 88: // web server access log over syslog (RFC 5424 with structured data)
		path := []string{"/", "/index.html", "/news/2026/1201.html", "/static/app.js", "/xxgk/index.shtml", "/search?q=%E9%80%9A%E7%9F%A5", "/login", "/api/v1/notice"}[r.IntN(8)]
		status := 200
		if r.IntN(20) == 0 {
			status = 404
		}
		rfc5424(b, 190, at, web, "nginx", pid, "access", fmt.Sprintf(`[req@32473 ip="%s" status="%d"]`, client(), status),
			fmt.Sprintf(`%s - - [%s] "GET %s HTTP/1.1" %d %d "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"`,
				client(), at.Format("02/Jan/2006:15:04:05 -0700"), path, status, 500+r.IntN(50000)))
	case k < 96: // IDS alerts forwarded by syslog (Suricata fast.log lines)
		sid := 2010000 + r.IntN(400)
		rfc3164(b, 129, at, ids, "suricata", pid, fmt.Sprintf("[1:%d:3] ET SCAN Suspicious inbound to port %d [Classification: Attempted Information Leak] [Priority: 2] {TCP} %s:%d -> 10.8.1.%d:%d",
			sid, 3306, foreignIP(r), 30000+r.IntN(30000), 2+r.IntN(250), 3306))
	default: // cron, sudo and systemd chatter
		host := fmt.Sprintf("srv%02d", r.IntN(20))
		switch r.IntN(3) {
		case 0:
			rfc3164(b, 78, at, host, "CRON", pid, "(root) CMD (/usr/lib/php/sessionclean)")
		case 1:
			rfc3164(b, 85, at, host, "sudo", pid, fmt.Sprintf("    ops : TTY=pts/0 ; PWD=/home/ops ; USER=root ; COMMAND=%s", []string{"/usr/bin/systemctl restart nginx", "/usr/bin/tail -n 200 /var/log/nginx/error.log", "/usr/sbin/postqueue -p",
				"/usr/bin/journalctl -u php-fpm", "/usr/bin/less /var/log/mail.log", "/usr/bin/du -sh /var/mail"}[r.IntN(6)]))
		default:
			rfc5424(b, 30, at, host, "systemd", 1, "-", "-", "Started Daily apt upgrade and clean activities.")
		}
	}
}
