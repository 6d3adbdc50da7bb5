package main

import (
	"fmt"
	"strings"
)

// ruleID is the id of the benchmark's rule n (a UUID, as SigmaHQ writes).
func ruleID(n int) string { return fmt.Sprintf("b14e0000-0000-4000-8000-%012d", n) }

// ruleFiles writes the Sigma rule files a city office would upload for its
// units: files of ten rules (nine detection rules and one correlation) over
// the mail servers', SSH daemons', firewall's, web servers', sudo's and
// IDS's lines, with equality, contains, startswith, endswith, all, numeric
// and regular-expression matchers. Some meet a few per cent of the stream
// (stream.go), most never do, as in a real rule base.
func ruleFiles(total int) []string {
	var files []string
	for f := 0; f*10 < total; f++ {
		var docs []string
		for j := 0; j < 10 && f*10+j < total; j++ {
			docs = append(docs, rule(f, j))
		}
		files = append(files, strings.Join(docs, "---\n"))
	}
	return files
}

var (
	tlds      = []string{"ru", "top", "xyz", "tk", "pw", "cc", "su", "icu", "buzz", "info"}
	ports     = []int{3306, 3389, 22, 8080, 25, 993, 443, 80, 1433, 6379}
	sudoCmds  = []string{"systemctl", "passwd", "useradd", "chmod", "crontab", "iptables", "visudo", "insmod", "tcpdump", "nc"}
	sshNames  = []string{"oracle", "test", "admin", "git", "ubuntu", "postgres", "ftpuser", "guest", "pi", "hadoop"}
	webProbes = []string{"/wp-login.php", "/.env", "/phpmyadmin/", "/.git/config", "/actuator/env", "/cgi-bin/luci", "/boaform/admin", "/solr/admin", "/vendor/phpunit", "/console/login"}
	countries = []string{"US", "RU", "DE", "NL", "SG", "KR", "JP", "FR", "GB", "UA"}
)

// rule is rule j of file f.
func rule(f, j int) string {
	n := f*10 + j
	head := func(title, logsource string) string {
		return fmt.Sprintf("title: 基准规则 %03d：%s\nid: %s\nstatus: test\nlogsource:\n%s\n", n, title, ruleID(n), logsource)
	}
	tail := func(level, field, tag string) string {
		return fmt.Sprintf("fields:\n    - %s\nlevel: %s\ntags:\n    - %s\n", field, level, tag)
	}
	switch j {
	case 0: // a privileged mailbox failing to log in
		user := fmt.Sprintf("%s%d@example.gov.cn", firstNames[f%len(firstNames)], f%10)
		return head("重点邮箱登录失败", "    service: mail\n    category: authentication") +
			fmt.Sprintf("detection:\n    selection:\n        event.outcome: failure\n        user.name: '%s'\n    condition: selection\n", user) +
			tail("medium", "source.ip", "attack.t1110.001")
	case 1: // mail forwarded to a domain under a suspicious TLD
		return head("邮件转发至可疑顶级域", "    service: mail") +
			fmt.Sprintf("detection:\n    selection:\n        event.action: forward\n        email.to.address|endswith: '.%s'\n    condition: selection\n", tlds[f%len(tlds)]) +
			tail("high", "user.name", "attack.t1114.003")
	case 2: // an IDS signature forwarded by syslog
		return head("入侵检测告警（端口扫描）", "    product: linux") +
			fmt.Sprintf("detection:\n    selection:\n        process.name: suricata\n        message|contains: '[1:%d:'\n    filter:\n        message|contains: 'Priority: 3'\n    condition: selection and not filter\n", 2010000+f*2) +
			tail("medium", "host.name", "attack.t1046")
	case 3: // the firewall blocking a known scanner's range on a service port
		return head("边界防火墙阻断入站连接", "    product: linux") +
			fmt.Sprintf("detection:\n    selection:\n        process.name: kernel\n        message|contains|all:\n            - '[UFW BLOCK]'\n            - 'SRC=%s'\n            - 'DPT=%d '\n    inside:\n        message|contains: 'SRC=10.8.'\n    condition: selection and not inside\n", []string{"45.155.205.", "185.220.100.", "185.220.101.", "185.220.102."}[f%4], ports[f%len(ports)]) +
			tail("low", "host.name", "attack.t1190")
	case 4: // an SSH log-in attempt with a system account's name
		return fmt.Sprintf("title: 基准规则 %03d：SSH 系统账号尝试登录\nid: %s\nname: bench_ssh_invalid_%02d\nstatus: test\nlogsource:\n    product: linux\n    service: sshd\n", n, ruleID(n), f) +
			fmt.Sprintf("detection:\n    selection:\n        message|startswith: 'Invalid user %s from '\n    condition: selection\n", sshNames[f%len(sshNames)]) +
			tail("low", "host.name", "attack.t1110")
	case 5: // a web probe for an admin page or a leaked file
		return head("网站敏感路径探测", "    product: linux") +
			fmt.Sprintf("detection:\n    selection:\n        process.name: nginx\n        message|contains: 'GET %s'\n    condition: selection\n", webProbes[f%len(webProbes)]) +
			tail("medium", "host.name", "attack.t1595.003")
	case 6: // sudo running an administration tool
		return head("sudo 执行管理命令", "    product: linux") +
			fmt.Sprintf("detection:\n    selection:\n        process.name: sudo\n        message|contains|all:\n            - 'COMMAND='\n            - '/usr/bin/%s'\n    condition: selection\n", sudoCmds[f%len(sudoCmds)]) +
			tail("low", "host.name", "attack.t1548.003")
	case 7: // a mail session that downloads a great deal
		return head("邮件会话下载量异常", "    service: mail") +
			fmt.Sprintf("detection:\n    selection:\n        destination.bytes|gte: %d\n        dovecot.messages_fetched|gte: %d\n    condition: selection\n", 50_000_000+f*1_000_000, 500+f) +
			tail("high", "user.name", "attack.t1114")
	case 8: // a successful mail log-in from a country the unit never works from
		return head("境外指定国家登录邮箱", "    service: mail\n    category: authentication") +
			fmt.Sprintf("detection:\n    selection:\n        event.outcome: success\n        source.geo.country_iso_code: %s\n    root:\n        user.name|re: '^(root|admin|postmaster)@'\n    condition: selection and not root\n", countries[f%len(countries)]) +
			tail("high", "user.name", "attack.t1078")
	default: // correlations: SSH attempts per host, counted or by distinct line
		if f%2 == 0 {
			return fmt.Sprintf("title: 基准规则 %03d：SSH 系统账号尝试登录频繁\nid: %s\nstatus: test\ncorrelation:\n    type: event_count\n    rules:\n        - bench_ssh_invalid_%02d\n    group-by:\n        - host.name\n    timespan: 5m\n    condition:\n        gte: 20\nlevel: medium\ntags:\n    - attack.t1110\n", n, ruleID(n), f)
		}
		return fmt.Sprintf("title: 基准规则 %03d：同一主机被多个来源尝试 SSH 登录\nid: %s\nstatus: test\ncorrelation:\n    type: value_count\n    rules:\n        - bench_ssh_invalid_%02d\n    group-by:\n        - host.name\n    timespan: 10m\n    condition:\n        field: message\n        gte: 5\nlevel: high\ntags:\n    - attack.t1110.003\n", n, ruleID(n), f)
	}
}
