package sigma

import (
	"strings"

	"fenghuo/internal/ingest"
)

// Logsource prefilter. A rule's logsource (product, category, service)
// says which events it was written for; an event meets only the rules whose
// every stated logsource value is among the event's. An event's logsource
// values come from its parser and fields:
//
//	product   Event.Kind ("wazuh", "suricata", "syslog", "generic");
//	          observer.product, observer.vendor and event.module, lower-cased;
//	          "linux" for syslog events (SigmaHQ's Linux rules read syslog);
//	          host.os.type and host.os.family ("linux", "windows").
//	service   process.name lower-cased, and its part before "/" (postfix/smtpd
//	          → "postfix/smtpd" and "postfix"); the last part of event.dataset
//	          ("suricata.eve" → "eve"); "mail" for mail-server daemons (postfix,
//	          dovecot, exim, sendmail, courier, cyrus, coremail, zimbra, exchange,
//	          roundcube), for events of event.category "email" and of an
//	          event.dataset "mail.*" (ingest's mail decoders); winlog.channel
//	          lower-cased ("Security" → "security").
//	category  every event.category value ("authentication", "network",
//	          "intrusion_detection", "email", "file", "process", "web" …) and the
//	          Sigma category names they correspond to: network →
//	          network_connection and firewall; process with event.type start →
//	          process_creation; web → webserver; a dns.question.name → dns.
//
// A rule without logsource values meets every event.
type logsource struct {
	product, service, category []string
}

var mailDaemons = map[string]bool{
	"postfix": true, "dovecot": true, "exim": true, "exim4": true, "sendmail": true,
	"courier": true, "cyrus": true, "coremail": true, "zimbra": true, "exchange": true,
	"roundcube": true, "imapd": true, "pop3d": true, "smtpd": true, "sieve": true,
}

func add(list []string, v string) []string {
	if v == "" {
		return list
	}
	v = strings.ToLower(v)
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func values(ev *ingest.Event, key string) []string {
	switch v := ev.Fields[key].(type) {
	case string:
		return []string{v}
	case []string:
		return v
	}
	return nil
}

func logsourceOf(ev *ingest.Event) logsource {
	var ls logsource
	ls.product = add(ls.product, ev.Kind)
	if ev.Kind == ingest.KindSyslog {
		ls.product = add(ls.product, "linux")
		ls.service = add(ls.service, "syslog")
	}
	for _, k := range []string{"observer.product", "observer.vendor", "event.module", "host.os.type", "host.os.family"} {
		ls.product = add(ls.product, ev.Str(k))
	}
	if p := strings.ToLower(ev.Str("process.name")); p != "" {
		ls.service = add(ls.service, p)
		base := p
		if i := strings.IndexByte(p, '/'); i > 0 {
			base = p[:i]
			ls.service = add(ls.service, base)
		}
		if mailDaemons[base] {
			ls.service = add(ls.service, "mail")
		}
	}
	ls.service = add(ls.service, ev.Str("winlog.channel"))
	if ds := ev.Str("event.dataset"); ds != "" {
		if i := strings.LastIndexByte(ds, '.'); i >= 0 {
			ls.service = add(ls.service, ds[i+1:])
		}
		ls.service = add(ls.service, ds)
		if strings.HasPrefix(ds, "mail.") { // the mail decoders of package ingest (mail.go)
			ls.service = add(ls.service, "mail")
		}
	}
	types := values(ev, "event.type")
	for _, c := range values(ev, "event.category") {
		ls.category = add(ls.category, c)
		switch strings.ToLower(c) {
		case "network":
			ls.category = add(ls.category, "network_connection")
			ls.category = add(ls.category, "firewall")
		case "process":
			for _, t := range types {
				if t == "start" {
					ls.category = add(ls.category, "process_creation")
				}
			}
		case "web":
			ls.category = add(ls.category, "webserver")
		case "email":
			ls.service = add(ls.service, "mail")
		}
	}
	if ev.Str("dns.question.name") != "" {
		ls.category = add(ls.category, "dns")
	}
	return ls
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// meets reports whether an event of logsource ls can match a rule written
// for want.
func (ls *logsource) meets(want *logsource) bool {
	for _, p := range want.product {
		if !has(ls.product, p) {
			return false
		}
	}
	for _, s := range want.service {
		if !has(ls.service, s) {
			return false
		}
	}
	for _, c := range want.category {
		if !has(ls.category, c) {
			return false
		}
	}
	return true
}
