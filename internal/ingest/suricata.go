package ingest

import (
	"net/netip"
	"path"
	"slices"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// Suricata 7.0 EVE JSON records (eve.json, one object per line; see the
// Suricata 7.0 user guide, "Eve JSON Format"): the common fields
// (timestamp, flow_id, in_iface, event_type, src_ip, src_port, dest_ip,
// dest_port, proto, app_proto, community_id …) and one object named after
// event_type (alert, anomaly, http, dns, tls, fileinfo, flow, email …).
// Alerts carry the application-layer objects of their flow as well.
//
// ECS names are set for what rules look at; every other leaf is kept as
// suricata.eve.<path>.

// suricataCategories are the ECS event categories of each event type.
var suricataCategories = map[string][]string{
	"alert":    {"network", "intrusion_detection"},
	"anomaly":  {"network"},
	"http":     {"network", "web"},
	"dns":      {"network"},
	"tls":      {"network"},
	"fileinfo": {"network", "file"},
	"flow":     {"network", "session"},
	"netflow":  {"network", "session"},
	"smtp":     {"network", "email"},
	"drop":     {"network"},
}

func parseSuricata(obj map[string]any, ev *Event) error {
	ev.Kind = KindSuricata
	typ, _ := obj["event_type"].(string)
	if typ == "" {
		return fenghuo.Errorf(fenghuo.EINVALID,
			"The record is not a Suricata EVE record (it needs \"event_type\"). / 记录不是 Suricata EVE 记录（缺少 event_type）。")
	}
	f := flatten(obj)
	if v, ok := f["timestamp"]; ok {
		t, err := parseTime(v, nil, time.UTC)
		if err != nil {
			return timeError("timestamp", v)
		}
		ev.Time = t
		delete(f, "timestamp")
	}
	delete(f, "event_type")
	ev.Set("event.module", "suricata")
	ev.Set("event.dataset", "suricata.eve")
	ev.Set("suricata.eve.event_type", typ)
	mapEVE(typ, f, ev)
	f.rest(ev, "suricata.eve.")
	return nil
}

// mapEVE sets the ECS fields of an EVE record's leaves, taking them from
// f; what it leaves in f the caller keeps under its own prefix.
func mapEVE(typ string, f flatRecord, ev *Event) {
	if typ == "alert" {
		ev.Set("event.kind", "alert")
	} else {
		ev.Set("event.kind", "event")
	}
	if c, ok := suricataCategories[typ]; ok {
		ev.Set("event.category", slices.Clone(c))
	}

	ev.Set("source.ip", f.takeStr("src_ip"))
	ev.Set("destination.ip", f.takeStr("dest_ip"))
	if n, ok := f.takeNum("src_port"); ok {
		ev.Set("source.port", n)
	}
	if n, ok := f.takeNum("dest_port"); ok {
		ev.Set("destination.port", n)
	}
	ev.Set("network.transport", strings.ToLower(f.takeStr("proto")))
	if p := strings.ToLower(f.takeStr("app_proto")); p != "failed" {
		ev.Set("network.protocol", p)
	}
	ev.Set("network.community_id", f.takeStr("community_id"))
	ev.Set("observer.ingress.interface.name", f.takeStr("in_iface"))
	ev.Set("observer.hostname", f.takeStr("host"))
	// flow_id is a 64-bit number: kept as its decimal text, since a
	// float64 would lose its low digits.
	ev.Set("suricata.eve.flow_id", f.takeStr("flow_id"))

	suricataAlert(f, ev)
	suricataHTTP(f, ev)
	suricataDNS(f, ev)
	suricataTLS(f, ev)
	suricataFile(f, ev)
	suricataFlow(f, ev)
	suricataEmail(f, ev)
	if typ == "anomaly" {
		ev.Set("event.action", f.takeStr("anomaly.event"))
	}
}

func suricataAlert(f flatRecord, ev *Event) {
	ev.Set("rule.id", f.takeStr("alert.signature_id"))
	ev.Set("rule.name", f.takeStr("alert.signature"))
	ev.Set("rule.category", f.takeStr("alert.category"))
	ev.Set("rule.version", f.takeStr("alert.rev"))
	if n, ok := f.takeNum("alert.severity"); ok {
		ev.Set("event.severity", n)
	}
	switch a := f.takeStr("alert.action"); a {
	case "allowed":
		ev.Set("event.action", a)
		ev.Set("event.type", []string{"allowed"})
	case "blocked":
		ev.Set("event.action", a)
		ev.Set("event.type", []string{"denied"})
	default:
		ev.Set("event.action", a)
	}
}

func suricataHTTP(f flatRecord, ev *Event) {
	ev.Set("url.domain", f.takeStr("http.hostname"))
	if u := f.takeStr("http.url"); u != "" {
		ev.Set("url.original", u)
		p, q, _ := strings.Cut(u, "?")
		if _, hostPath, ok := strings.Cut(p, "://"); ok && !strings.HasPrefix(u, "/") {
			// A proxy request's absolute URI.
			p = "/"
			if i := strings.IndexByte(hostPath, '/'); i >= 0 {
				p = hostPath[i:]
			}
		}
		ev.Set("url.path", p)
		ev.Set("url.query", q)
	}
	ev.Set("http.request.method", f.takeStr("http.http_method"))
	if n, ok := f.takeNum("http.status"); ok {
		ev.Set("http.response.status_code", n)
	}
	ev.Set("user_agent.original", f.takeStr("http.http_user_agent"))
	ev.Set("http.request.referrer", f.takeStr("http.http_refer"))
	ev.Set("http.response.mime_type", f.takeStr("http.http_content_type"))
	if v := f.takeStr("http.protocol"); v != "" {
		ev.Set("http.version", strings.TrimPrefix(v, "HTTP/"))
	}
	if n, ok := f.takeNum("http.length"); ok {
		ev.Set("http.response.body.bytes", n)
	}
}

func suricataDNS(f flatRecord, ev *Event) {
	// Suricata 7.0 writes DNS log version 2 (dns.rrname on queries,
	// dns.answers[] on answers) and, inside alerts, dns.query[]; 8.0
	// writes version 3 with dns.queries[]. Each names the question.
	for _, p := range []string{"dns.", "dns.query.", "dns.queries."} {
		if name := f.takeStr(p + "rrname"); name != "" {
			ev.Set("dns.question.name", name)
			ev.Set("dns.question.type", f.takeStr(p+"rrtype"))
			if p == "dns." {
				ev.Set("dns.id", f.takeStr(p+"id"))
				ev.Set("dns.type", f.takeStr(p+"type"))
			}
			break
		}
	}
	ev.Set("dns.response_code", f.takeStr("dns.rcode"))
	var flags []string
	for _, fl := range []struct{ key, name string }{{"aa", "AA"}, {"tc", "TC"}, {"rd", "RD"}, {"ra", "RA"}} {
		if v, ok := f["dns."+fl.key].(bool); ok && v {
			flags = append(flags, fl.name)
		}
	}
	if flags != nil {
		ev.Set("dns.header_flags", flags)
	}
	if data := f.takeList("dns.answers.rdata"); data != nil {
		ev.Set("dns.answers.data", data)
		var ips []string
		for _, d := range data {
			if a, err := netip.ParseAddr(d); err == nil {
				ips = append(ips, a.String())
			}
		}
		if ips != nil {
			ev.Set("dns.resolved_ip", ips)
		}
	}
	if v := f.takeList("dns.answers.rrname"); v != nil {
		ev.Set("dns.answers.name", v)
	}
	if v := f.takeList("dns.answers.rrtype"); v != nil {
		ev.Set("dns.answers.type", v)
	}
	if v := f.takeList("dns.answers.ttl"); v != nil {
		ev.Set("dns.answers.ttl", v)
	}
}

func suricataTLS(f flatRecord, ev *Event) {
	ev.Set("tls.client.server_name", f.takeStr("tls.sni"))
	ev.Set("tls.server.subject", f.takeStr("tls.subject"))
	ev.Set("tls.server.issuer", f.takeStr("tls.issuerdn"))
	ev.Set("tls.server.x509.serial_number", f.takeStr("tls.serial"))
	if fp := f.takeStr("tls.fingerprint"); fp != "" {
		ev.Set("tls.server.hash.sha1", strings.ToUpper(strings.ReplaceAll(fp, ":", "")))
	}
	if v := f.takeStr("tls.version"); v != "" {
		// "TLS 1.2", "TLSv1.3", "SSLv3", "UNDETERMINED"
		proto, num := "", ""
		switch {
		case strings.HasPrefix(v, "TLS"):
			proto, num = "tls", strings.TrimLeft(v[3:], " v")
		case strings.HasPrefix(v, "SSL"):
			proto, num = "ssl", strings.TrimLeft(v[3:], " v")
		}
		ev.Set("tls.version_protocol", proto)
		ev.Set("tls.version", num)
		if proto == "" {
			ev.Set("suricata.eve.tls.version", v)
		}
	}
	ev.Set("tls.server.not_before", f.takeStr("tls.notbefore"))
	ev.Set("tls.server.not_after", f.takeStr("tls.notafter"))
	ev.Set("tls.client.ja3", f.takeStr("tls.ja3.hash"))
	ev.Set("tls.server.ja3s", f.takeStr("tls.ja3s.hash"))
}

func suricataFile(f flatRecord, ev *Event) {
	if name := f.takeStr("fileinfo.filename"); name != "" {
		ev.Set("file.path", name)
		ev.Set("file.name", path.Base(strings.ReplaceAll(name, "\\", "/")))
	}
	ev.Set("file.hash.md5", f.takeStr("fileinfo.md5"))
	ev.Set("file.hash.sha1", f.takeStr("fileinfo.sha1"))
	ev.Set("file.hash.sha256", f.takeStr("fileinfo.sha256"))
	if n, ok := f.takeNum("fileinfo.size"); ok {
		ev.Set("file.size", n)
	}
}

func suricataFlow(f flatRecord, ev *Event) {
	var bytes, packets float64
	for _, m := range []struct{ from, to string }{
		{"flow.bytes_toserver", "source.bytes"}, {"flow.bytes_toclient", "destination.bytes"},
		{"flow.pkts_toserver", "source.packets"}, {"flow.pkts_toclient", "destination.packets"},
	} {
		if n, ok := f.takeNum(m.from); ok {
			ev.Set(m.to, n)
			if strings.HasSuffix(m.to, ".bytes") {
				bytes += n
			} else {
				packets += n
			}
		}
	}
	if bytes > 0 {
		ev.Set("network.bytes", bytes)
	}
	if packets > 0 {
		ev.Set("network.packets", packets)
	}
	ev.Set("event.start", f.takeStr("flow.start"))
	ev.Set("event.end", f.takeStr("flow.end"))
}

// suricataEmail maps the SMTP transaction Suricata logs with smtp records
// and alerts on SMTP flows.
func suricataEmail(f flatRecord, ev *Event) {
	if from := mailAddress(f.takeStr("email.from")); from != "" {
		ev.Set("email.from.address", []string{from})
	}
	var to []string
	for _, a := range f.takeList("email.to") {
		if a = mailAddress(a); a != "" {
			to = append(to, a)
		}
	}
	if to != nil {
		ev.Set("email.to.address", to)
	}
	ev.Set("email.subject", f.takeStr("email.subject"))
	if v := f.takeList("email.attachment"); v != nil {
		ev.Set("email.attachments.file.name", v)
	}
}

// mailAddress takes the address out of `"Name" <a@b.cn>` or `<a@b.cn>`.
func mailAddress(s string) string {
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		s = s[i+1:]
		if j := strings.IndexByte(s, '>'); j >= 0 {
			s = s[:j]
		}
	}
	return strings.TrimSpace(s)
}
