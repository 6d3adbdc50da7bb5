package tamper

import "strings"

// Chinese second-level domains under which registrations happen one level
// deeper (qingxi.gov.cn, not gov.cn).
var cnSecondLevel = map[string]bool{
	"com": true, "net": true, "org": true, "gov": true, "edu": true, "ac": true, "mil": true,
	"bj": true, "sh": true, "tj": true, "cq": true, "he": true, "sx": true, "nm": true, "ln": true,
	"jl": true, "hl": true, "js": true, "zj": true, "ah": true, "fj": true, "jx": true, "sd": true,
	"ha": true, "hb": true, "hn": true, "gd": true, "gx": true, "hi": true, "sc": true, "gz": true,
	"yn": true, "xz": true, "sn": true, "gs": true, "qh": true, "nx": true, "xj": true,
}

// siteOf returns the registrable domain of host: the owner's zone, so
// static.example.gov.cn and www.example.gov.cn count as one site.
func siteOf(host string) string {
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	labels := strings.Split(host, ".")
	n := len(labels)
	if n <= 2 {
		return host
	}
	if (labels[n-1] == "cn" || labels[n-1] == "hk") && cnSecondLevel[labels[n-2]] {
		return strings.Join(labels[n-3:], ".")
	}
	if len(labels[n-1]) == 2 && (labels[n-2] == "com" || labels[n-2] == "co" || labels[n-2] == "org" || labels[n-2] == "net") {
		return strings.Join(labels[n-3:], ".")
	}
	return strings.Join(labels[n-2:], ".")
}

// sameSite reports whether host belongs to the site own. An empty host is
// a relative URL and therefore own.
func sameSite(host, own string) bool {
	if host == "" {
		return true
	}
	if own == "" {
		return false
	}
	return host == own || siteOf(host) == siteOf(own)
}

// isPublicSector reports government, education and Party hosts. Hiding a
// link to them is odd but not spam, so without other evidence we let it be.
func isPublicSector(host string) bool {
	for _, suf := range []string{".gov.cn", ".edu.cn", ".gov", ".edu", ".org.cn", ".ac.cn", ".mil.cn", ".cpc.people.com.cn"} {
		if strings.HasSuffix(host, suf) || host == strings.TrimPrefix(suf, ".") {
			return true
		}
	}
	return false
}
