package demo

// Alert intake on a fresh demo (issue 14 item 8): three units' sensors
// registered as intake sources, a few hours of what they sent fed through
// intake.Service.Accept (so the built-in Sigma rules and the IOC matcher
// find what they find), a threat-intelligence bundle the city office
// imported, and the alert groups in every triage state:
//
//   - 青溪县政务服务与数据管理局's mail server (Postfix and Dovecot over
//     syslog): 26 failed log-ins to one mailbox from 185.220.101.1 within
//     three minutes (mail_login_burst.yml: left open), then a log-in from
//     there (mail_login_abroad.yml: promoted to a draft incident) and a
//     180 MB download (mail_bulk_download.yml);
//   - 青溪县人民医院's Suricata 7.0 sensor: a workstation looks up and
//     fetches the phishing domain of the city's TLP:AMBER bundle (an IOC
//     group, assigned to the county's duty officer), a WebLogic exploit
//     attempt from outside (open) and the information section's own
//     vulnerability scan (dismissed with the reason);
//   - 汇源自来水有限公司 (the city's water company)'s Wazuh manager: SSH password guessing against the
//     billing server (open).
//
// Times are relative to the clock, within the last hours. The tokens of
// the sources are shown once and discarded here.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/app/intel"
	"fenghuo/internal/calendar"
	"fenghuo/internal/ingest"
	"fenghuo/internal/ingest/ioc"
	"fenghuo/internal/store"
)

// SetAlerts gives the seeder the intake and IOC library capabilities
// (services wires them once both exist); without them no demo alerts are
// seeded.
func (a *Service) SetAlerts(in *intake.Service, lib *intel.Service) { a.intake, a.intel = in, lib }

// Built-in rules the demo's events are written to meet (internal/ingest/sigma/rules).
const (
	// DemoBruteForceRule is mail_login_burst.yml's first correlation: 20
	// failed mail log-ins from one address within 5 minutes.
	DemoBruteForceRule = "e4d7d8e9-4d02-465f-9213-c6f9c364f0a7"
	// demoAbroadRule is mail_login_abroad.yml: a successful mail log-in
	// from outside China.
	demoAbroadRule = "1016c6c1-0458-470d-8200-7fe796306c31"
	// demoSuricataSev2 is suricata.yml's severity-2 rule (grouped per
	// signature id).
	demoSuricataSev2 = "76c659a9-27f4-4844-96a2-414bff67a161"
)

// AlertIncidents is how many (draft) incidents the alert seeder opens: the
// promoted foreign log-in.
const AlertIncidents = 1

// The demo's addresses and names. 185.220.101.1 is a foreign address (the
// mail rules need a country); the rest are private or documentation
// addresses (RFC 1918, RFC 5737) and example domains (RFC 2606).
const (
	demoAttacker      = "185.220.101.1"
	DemoMailbox       = "zhangfan@qingxi.gov.cn"
	demoMailServer    = "10.20.1.25"
	DemoPhishDomain   = "qingxi-gov-mail.example.net"
	demoPhishServer   = "203.0.113.80"
	demoExploitSource = "203.0.113.45"
	demoScanner       = "10.30.0.5"
	demoWorkstation   = "10.30.2.57"
)

// seedDemoAlerts seeds the alert intake of the demo region, once: it does
// nothing when the database has an intake source already (an earlier
// start seeded them, or someone registered their own), and reports
// whether it seeded.
func (a *Service) seedDemoAlerts(ctx context.Context, ids map[string]int64) (bool, error) {
	if a.intake == nil || a.intel == nil {
		return false, nil
	}
	existing, err := a.core.DB().IntakeSources(ctx, "", true, store.Page{Limit: 1})
	if err != nil || existing.Total > 0 {
		return false, err
	}
	for _, key := range []string{"city", "qingxi", "qxgov", "qxhospital", "water"} {
		if ids[key] == 0 {
			return false, nil // not the demo region
		}
	}
	now := a.core.Now().Truncate(time.Second)
	src := map[string]ingest.Source{}
	for _, s := range []struct{ unit, name, kind, addr string }{
		{"qxgov", "政务邮件系统（Postfix、Dovecot）", "mail", "192.0.2.25"},
		{"qxhospital", "医院出口Suricata探针", "suricata", ""},
		{"water", "Wazuh管理节点", "wazuh", ""},
	} {
		office, err := a.demoActor(ctx, ids[s.unit])
		if err != nil {
			return false, err
		}
		in := intake.SourceInput{OrgID: ids[s.unit], Name: s.name, Kind: s.kind}
		if s.addr != "" {
			in.Addresses = []string{s.addr}
		}
		row, _, err := a.intake.CreateSource(ctx, office, in) // the token is shown once: nobody sends with it here
		if err != nil {
			return false, fmt.Errorf("demo intake source %s: %w", s.name, err)
		}
		src[s.unit] = ingest.Source{Org: row.OrgID, Sensor: row.Name, TokenID: row.ID}
	}
	// The city office shares the province's bundle before the events
	// arrive, so the IOC matcher knows the phishing domain.
	city, err := a.demoActor(ctx, ids["city"])
	if err != nil {
		return false, err
	}
	if _, err := a.intel.Import(ctx, city, ids["city"], demoBundle(now), ioc.TLPAmber); err != nil {
		return false, fmt.Errorf("demo intelligence bundle: %w", err)
	}
	for _, feed := range []struct {
		unit   string
		events func(time.Time) ([]ingest.Event, error)
	}{{"qxgov", demoMailLog}, {"qxhospital", demoSuricata}, {"water", demoWazuh}} {
		evs, err := feed.events(now)
		if err != nil {
			return false, fmt.Errorf("demo events of %s: %w", feed.unit, err)
		}
		slices.SortStableFunc(evs, func(x, y ingest.Event) int { return x.Time.Compare(y.Time) })
		if err := a.intake.Accept(ctx, src[feed.unit], evs); err != nil {
			return false, fmt.Errorf("demo events of %s: %w", feed.unit, err)
		}
	}
	return true, a.triageDemoAlerts(ctx, ids)
}

// SeedDemoAlerts adds the alert intake to a demo region seeded before it
// existed (serve --demo calls it at every start after the first); it does
// nothing on a database that has intake sources or is not the demo
// region, and reports whether it seeded.
func (a *Service) SeedDemoAlerts(ctx context.Context) (bool, error) {
	orgs, err := a.core.DB().SubtreeOrgs(ctx, 0, store.OrgFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return false, err
	}
	byName := map[string]int64{}
	for _, o := range orgs.Items {
		byName[o.Name] = o.ID
	}
	ids := map[string]int64{}
	for _, d := range demoRegion() {
		ids[d.key] = byName[d.org.Name]
	}
	return a.seedDemoAlerts(ctx, ids)
}

// triageDemoAlerts puts the groups in their states: the county's duty
// officer has the IOC group, the hospital dismissed its own scan, the
// county promoted the foreign log-in to a draft incident; the rest stay
// open.
func (a *Service) triageDemoAlerts(ctx context.Context, ids map[string]int64) error {
	county, err := a.demoActor(ctx, ids["qingxi"])
	if err != nil {
		return err
	}
	hospital, err := a.demoActor(ctx, ids["qxhospital"])
	if err != nil {
		return err
	}
	find := func(unit string, match func(g store.AlertGroup) bool) (int64, error) {
		res, err := a.core.DB().AlertGroups(ctx, store.AlertGroupFilter{OrgID: ids[unit]}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			return 0, err
		}
		for _, g := range res.Items {
			if g.OrgID == ids[unit] && match(g) {
				return g.ID, nil
			}
		}
		return 0, fmt.Errorf("demo alerts: the events of %s raised no expected group (%d groups)", unit, res.Total)
	}
	phish, err := find("qxhospital", func(g store.AlertGroup) bool { return g.Kind == ingest.MatchIOC && g.Entity == DemoPhishDomain })
	if err != nil {
		return err
	}
	duty, err := a.core.DB().UserByUsername(ctx, "qx-duty")
	if err != nil {
		return err
	}
	if _, err := a.intake.Assign(ctx, county, phish, duty.ID); err != nil {
		return fmt.Errorf("demo alerts, assign: %w", err)
	}
	scan, err := find("qxhospital", func(g store.AlertGroup) bool { return g.RuleID == demoSuricataSev2+":2009358" })
	if err != nil {
		return err
	}
	if _, err := a.intake.Dismiss(ctx, hospital, scan, "信息科季度漏洞扫描（扫描主机"+demoScanner+"），已向县委网信办报备。"); err != nil {
		return fmt.Errorf("demo alerts, dismiss: %w", err)
	}
	abroad, err := find("qxgov", func(g store.AlertGroup) bool { return g.RuleID == demoAbroadRule })
	if err != nil {
		return err
	}
	if _, _, err := a.intake.Promote(ctx, county, abroad); err != nil {
		return fmt.Errorf("demo alerts, promote: %w", err)
	}
	return nil
}

// syslogLine is one RFC 5424 message as a mail server's rsyslog forwards
// it (facility mail), parsed as the syslog receiver parses it.
func syslogLine(at time.Time, app string, pid int, msg string) (ingest.Event, error) {
	line := fmt.Sprintf("<22>1 %s mail01 %s %d - - %s", at.In(calendar.Shanghai).Format("2006-01-02T15:04:05.000000-07:00"), app, pid, msg)
	return ingest.ParseSyslog([]byte(line), at.Add(time.Second))
}

// demoMailLog is the county mail server's log: colleagues reading mail from
// the office (in office hours, so that mail_login_night.yml stays for the
// attacker), then the guessing, the foreign log-in and the download.
func demoMailLog(now time.Time) ([]ingest.Event, error) {
	var evs []ingest.Event
	add := func(at time.Time, app string, pid int, msg string) error {
		ev, err := syslogLine(at, app, pid, msg)
		evs = append(evs, ev)
		return err
	}
	colleagues := []string{"wangli", "chenjing", "liuyang", "zhaomin", "sunhao", "zhoujie", "wuyue", "zhangfan"}
	for i := 0; i < 24; i++ {
		user := colleagues[i%len(colleagues)] + "@qingxi.gov.cn"
		ip := fmt.Sprintf("10.20.3.%d", 41+i%len(colleagues))
		at := now.Add(-5*time.Hour + time.Duration(i)*12*time.Minute)
		if at.In(calendar.Shanghai).Hour() < 7 {
			continue // nobody in the office reads mail before seven
		}
		session := fmt.Sprintf("dmo%05d", 31000+i*7)
		if err := add(at, "dovecot", 41200+i, fmt.Sprintf("imap-login: Login: user=<%s>, method=PLAIN, rip=%s, lip=%s, mpid=%d, TLS, session=<%s>",
			user, ip, demoMailServer, 51000+i, session)); err != nil {
			return nil, err
		}
		if err := add(at.Add(9*time.Minute), "dovecot", 51000+i, fmt.Sprintf("imap(%s)<%d><%s>: Logged out in=%d out=%d deleted=0 expunged=0 trashed=0 hdr_count=%d hdr_bytes=%d body_count=%d body_bytes=%d",
			user, 51000+i, session, 900+i*37, 180000+i*9100, 12+i, 9000+i*310, 3+i%5, 150000+i*8800)); err != nil {
			return nil, err
		}
		if i%3 == 0 {
			if err := add(at.Add(2*time.Minute), "postfix/smtpd", 2231+i, fmt.Sprintf("%X: client=unknown[%s], sasl_method=PLAIN, sasl_username=%s",
				0x4E5A1C00+i*977, ip, user)); err != nil {
				return nil, err
			}
		}
	}
	// 26 wrong passwords in three minutes for one mailbox from one
	// address: Dovecot's auth line (which the rule does not count) and the
	// login process's line (which it does).
	start := now.Add(-2*time.Hour - 15*time.Minute)
	for i := 0; i < 26; i++ {
		at := start.Add(time.Duration(i) * 7 * time.Second)
		session := fmt.Sprintf("bf%06d", 700100+i*13)
		if err := add(at, "dovecot", 3012, fmt.Sprintf("auth-worker(3012): pam(%s,%s,<%s>): pam_authenticate() failed: Authentication failure (Password mismatch?)",
			DemoMailbox, demoAttacker, session)); err != nil {
			return nil, err
		}
		if err := add(at.Add(2*time.Second), "dovecot", 41800+i, fmt.Sprintf("imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<%s>, method=PLAIN, rip=%s, lip=%s, TLS, session=<%s>",
			DemoMailbox, demoAttacker, demoMailServer, session)); err != nil {
			return nil, err
		}
	}
	// The guess that worked, and what the session took.
	in := start.Add(4 * time.Minute)
	if err := add(in, "dovecot", 41900, fmt.Sprintf("imap-login: Login: user=<%s>, method=PLAIN, rip=%s, lip=%s, mpid=61902, TLS, session=<bfok0001>",
		DemoMailbox, demoAttacker, demoMailServer)); err != nil {
		return nil, err
	}
	if err := add(in.Add(27*time.Minute), "dovecot", 61902, fmt.Sprintf("imap(%s)<61902><bfok0001>: Logged out in=48213 out=188743680 deleted=0 expunged=0 trashed=0 hdr_count=2210 hdr_bytes=1900321 body_count=2207 body_bytes=186011442",
		DemoMailbox)); err != nil {
		return nil, err
	}
	return evs, nil
}

// eve is one Suricata 7.0 EVE record read as the HTTP intake reads it.
func eve(at time.Time, typ, src string, sport int, dst string, dport int, proto string, extra map[string]any) (ingest.Event, error) {
	rec := map[string]any{"timestamp": at.In(calendar.Shanghai).Format("2006-01-02T15:04:05.000000-0700"), "flow_id": 1000000000000000 + at.UnixMicro()%999999999999,
		"in_iface": "ens192", "event_type": typ, "src_ip": src, "src_port": sport, "dest_ip": dst, "dest_port": dport, "proto": proto, "pkt_src": "wire/pcap"}
	for k, v := range extra {
		rec[k] = v
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return ingest.Event{}, err
	}
	ev, err := ingest.ParseRecord(ingest.FormatSuricata, b, nil)
	ev.Received = at.Add(2 * time.Second)
	return ev, err
}

// demoSuricata is the hospital's Internet link: ordinary look-ups and
// flows, the phishing domain, an exploit attempt and the hospital's scan.
func demoSuricata(now time.Time) ([]ingest.Event, error) {
	var evs []ingest.Event
	var err error
	add := func(ev ingest.Event, e error) {
		evs = append(evs, ev)
		if err == nil {
			err = e
		}
	}
	domains := []string{"www.gov.cn", "www.nhc.gov.cn", "mirrors.aliyun.com", "www.baidu.com", "ybj.qingxi.gov.cn", "dl.360safe.com"}
	for i := 0; i < 36; i++ {
		at := now.Add(-4*time.Hour + time.Duration(i)*6*time.Minute + time.Duration(i%7)*time.Second)
		host := fmt.Sprintf("10.30.2.%d", 20+i%12)
		name := domains[i%len(domains)]
		add(eve(at, "dns", host, 50000+i*17, "10.30.0.2", 53, "UDP", map[string]any{
			"dns": map[string]any{"type": "query", "id": 20000 + i, "rrname": name, "rrtype": "A", "tx_id": 0, "opcode": 0}}))
		add(eve(at.Add(40*time.Second), "flow", host, 50100+i*17, fmt.Sprintf("203.0.113.%d", 100+i%20), 443, "TCP", map[string]any{
			"app_proto": "tls", "flow": map[string]any{"pkts_toserver": 14 + i, "pkts_toclient": 22 + i, "bytes_toserver": 2100 + i*130,
				"bytes_toclient": 38000 + i*2100, "start": at.In(calendar.Shanghai).Format("2006-01-02T15:04:05.000000-0700"),
				"end": at.Add(38 * time.Second).In(calendar.Shanghai).Format("2006-01-02T15:04:05.000000-0700"), "state": "closed", "reason": "timeout"}}))
	}
	// A nurse's workstation opens the link of a phishing mail.
	click := now.Add(-50 * time.Minute)
	add(eve(click, "dns", demoWorkstation, 53122, "10.30.0.2", 53, "UDP", map[string]any{
		"dns": map[string]any{"type": "query", "id": 40311, "rrname": DemoPhishDomain, "rrtype": "A", "tx_id": 0, "opcode": 0}}))
	add(eve(click.Add(time.Second), "http", demoWorkstation, 49810, demoPhishServer, 80, "TCP", map[string]any{
		"app_proto": "http", "http": map[string]any{"hostname": DemoPhishDomain, "url": "/owa/auth/logon.aspx?replaceCurrent=1",
			"http_user_agent":   "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
			"http_content_type": "text/html", "http_method": "GET", "protocol": "HTTP/1.1", "status": 200, "length": 11873}}))
	// A WebLogic exploit attempt from outside against the published HIS
	// gateway (blocked upstream; Suricata saw the request).
	for i := 0; i < 3; i++ {
		at := now.Add(-3*time.Hour - 10*time.Minute + time.Duration(i)*40*time.Second)
		add(eve(at, "alert", demoExploitSource, 51122+i, "10.30.1.10", 7001, "TCP", map[string]any{
			"app_proto": "http",
			"alert": map[string]any{"action": "allowed", "gid": 1, "signature_id": 2031089, "rev": 3,
				"signature": "ET EXPLOIT Oracle WebLogic Server RCE (CVE-2020-14882)", "category": "Attempted Administrator Privilege Gain", "severity": 1},
			"http": map[string]any{"hostname": "10.30.1.10", "url": "/console/css/%252e%252e%252fconsole.portal", "http_method": "GET",
				"http_user_agent": "python-requests/2.31.0", "protocol": "HTTP/1.1", "status": 404, "length": 1164}}))
	}
	// The information section's quarterly scan.
	for i := 0; i < 12; i++ {
		at := now.Add(-90*time.Minute + time.Duration(i)*25*time.Second)
		add(eve(at, "alert", demoScanner, 60010+i*3, fmt.Sprintf("10.30.1.%d", 10+i%4), 80, "TCP", map[string]any{
			"app_proto": "http",
			"alert": map[string]any{"action": "allowed", "gid": 1, "signature_id": 2009358, "rev": 7,
				"signature": "ET SCAN Nmap Scripting Engine User-Agent Detected (Nmap Scripting Engine)", "category": "Web Application Attack", "severity": 2},
			"http": map[string]any{"hostname": fmt.Sprintf("10.30.1.%d", 10+i%4), "url": "/", "http_method": "GET",
				"http_user_agent": "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "protocol": "HTTP/1.1", "status": 200, "length": 612}}))
	}
	return evs, err
}

// wazuhAlert is one line of a Wazuh 4.x manager's alerts.json.
func wazuhAlert(at time.Time, level int, id, description string, groups []string, srcIP string, port int, user, log string) (ingest.Event, error) {
	rec := map[string]any{"timestamp": at.In(calendar.Shanghai).Format("2006-01-02T15:04:05.000-0700"),
		"rule": map[string]any{"level": level, "description": description, "id": id, "firedtimes": 1, "mail": false, "groups": groups,
			"mitre": map[string]any{"id": []string{"T1110"}, "tactic": []string{"Credential Access"}, "technique": []string{"Brute Force"}}},
		"agent":   map[string]any{"id": "004", "name": "billing-app01", "ip": "10.40.2.14"},
		"manager": map[string]any{"name": "wazuh-manager"}, "id": fmt.Sprintf("%d.%d", at.Unix(), 1200000+port),
		"full_log":   log,
		"predecoder": map[string]any{"program_name": "sshd", "timestamp": at.In(calendar.Shanghai).Format("Jan _2 15:04:05"), "hostname": "billing-app01"},
		"decoder":    map[string]any{"parent": "sshd", "name": "sshd"},
		"data":       map[string]any{"srcip": srcIP, "srcport": fmt.Sprint(port), "srcuser": user}, "location": "/var/log/secure"}
	b, err := json.Marshal(rec)
	if err != nil {
		return ingest.Event{}, err
	}
	ev, err := ingest.ParseRecord(ingest.FormatWazuh, b, nil)
	ev.Received = at.Add(3 * time.Second)
	return ev, err
}

// demoWazuh is the water company's billing server under SSH password
// guessing: the single attempts (level 5) and the manager's brute-force
// rule firing (level 10).
func demoWazuh(now time.Time) ([]ingest.Event, error) {
	var evs []ingest.Event
	start := now.Add(-40 * time.Minute)
	for i, user := range []string{"admin", "oracle", "test", "root1", "ftpuser", "postgres", "guest", "ubuntu"} {
		at := start.Add(time.Duration(i) * 4 * time.Second)
		port := 40100 + i*7
		line := fmt.Sprintf("%s billing-app01 sshd[%d]: Invalid user %s from %s port %d", at.In(calendar.Shanghai).Format("Jan _2 15:04:05"), 22810+i, user, demoExploitSource, port)
		ev, err := wazuhAlert(at, 5, "5710", "sshd: Attempt to login using a non-existent user", []string{"syslog", "sshd", "authentication_failed", "invalid_login"},
			demoExploitSource, port, user, line)
		if err != nil {
			return nil, err
		}
		evs = append(evs, ev)
		if i == 5 { // the manager's frequency rule fires after six attempts
			ev, err := wazuhAlert(at.Add(time.Second), 10, "5712", "sshd: brute force trying to get access to the system. Non existent user.",
				[]string{"syslog", "sshd", "authentication_failures"}, demoExploitSource, port, user, line)
			if err != nil {
				return nil, err
			}
			evs = append(evs, ev)
		}
	}
	return evs, nil
}

// demoBundle is the STIX 2.1 bundle the province's notification centre
// sent the city: the phishing campaign against government mail (its
// domain and server, TLP:AMBER) and the attachment and download it used
// (TLP:GREEN), valid from three days ago.
func demoBundle(now time.Time) []byte {
	const (
		identity = "identity--6c1c2b6e-93a4-4e63-9d0c-1f4b0d7e2a11"
		amber    = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421" // TLP 2.0 AMBER
		green    = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb" // TLP 2.0 GREEN
	)
	ts := now.Add(-72 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	indicator := func(id, name, description, pattern string, confidence int, marking string) map[string]any {
		return map[string]any{"type": "indicator", "spec_version": "2.1", "id": id, "created_by_ref": identity,
			"created": ts, "modified": ts, "name": name, "description": description, "indicator_types": []string{"malicious-activity"},
			"pattern": pattern, "pattern_type": "stix", "pattern_version": "2.1", "valid_from": ts, "confidence": confidence,
			"object_marking_refs": []string{marking}}
	}
	bundle := map[string]any{"type": "bundle", "id": "bundle--0b9e3f4c-2d7a-4f61-8a3e-5c1d9b7e6f20", "objects": []any{
		map[string]any{"type": "identity", "spec_version": "2.1", "id": identity, "created": ts, "modified": ts,
			"name": "省网络与信息安全信息通报中心", "identity_class": "organization"},
		indicator("indicator--3f9a1c2e-7b4d-4e8a-9c1f-2a6b8d0e4f31", "仿冒政务邮箱登录页域名",
			"近期针对党政机关的钓鱼邮件活动所用仿冒邮箱登录页。", "[domain-name:value = '"+DemoPhishDomain+"']", 85, amber),
		indicator("indicator--8d2e4b6a-1c3f-4a5e-b7d9-0e2f4a6c8b13", "钓鱼活动控制服务器",
			"钓鱼邮件活动回传窃取口令所用服务器地址。", "[ipv4-addr:value = '203.0.113.66']", 70, amber),
		indicator("indicator--c4e6a8b0-2d4f-4b6d-8e0a-3c5e7a9b1d25", "钓鱼邮件附件木马",
			"“年终考核通知”压缩包内的木马程序。", "[file:hashes.'SHA-256' = 'dc4daad4600f02501c3faa27f82922e6759d3f7726f1e475a03a2900836990c7']", 90, green),
		indicator("indicator--5b7d9f1a-3e5c-4d7f-a1b3-6d8f0b2c4e47", "木马下载地址",
			"钓鱼邮件正文中的木马下载链接。", "[url:value = 'http://files.example.org/nianzhong/kaohe.zip']", 75, green),
	}}
	b, err := json.Marshal(bundle)
	if err != nil {
		panic(fmt.Sprintf("demo bundle: %v", err)) // a fixed structure of strings and numbers
	}
	return b
}
