package web

// Words of issue 13 item 5 (words, not keys; one language per page), in
// Chinese and English.
var wordsMessages = map[string][2]string{
	// The badge of a critical information infrastructure system.
	"words.cii.badge": {"关基", "CII"},
	"words.unit.ms":   {"毫秒", "ms"},
	// An example basis of an accountability record.
	"words.basis.example": {"001 §5.4.2(2) 迟报", "001 §5.4.2(2) late report"},
	// An example name in the new-period form.
	"words.period.example": {"国庆保障期", "National Day period"},
}

func init() {
	for k, m := range wordsMessages {
		messages[k] = m
	}
}

// portServicesEN names the usual services of the ports exposure checks
// watch (exposure.PortService has their Chinese names).
var portServicesEN = map[int]string{21: "FTP file transfer", 22: "SSH remote login", 23: "Telnet remote login", 25: "SMTP mail",
	80: "HTTP website", 135: "Windows RPC", 137: "NetBIOS", 139: "NetBIOS sharing", 443: "HTTPS website", 445: "SMB file sharing",
	1433: "SQL Server database", 1521: "Oracle database", 2375: "Docker management interface", 3306: "MySQL database",
	3389: "remote desktop", 5432: "PostgreSQL database", 5900: "VNC remote desktop", 6379: "Redis database",
	8080: "HTTP proxy or management", 9200: "Elasticsearch", 11211: "Memcached", 27017: "MongoDB database"}

// OpenBracket and CloseBracket enclose an aside a template builds in
// pieces: full-width in Chinese, ASCII in English.
func (v *view) OpenBracket() string  { return v.pick("（", " (") }
func (v *view) CloseBracket() string { return v.pick("）", ")") }

// Bracket puts an aside in the page's brackets: full-width in Chinese
// (“（远程桌面）”), ASCII with a space before it in English.
func (v *view) Bracket(s string) string {
	if s == "" {
		return ""
	}
	return v.pick("（"+s+"）", "("+s+")")
}
