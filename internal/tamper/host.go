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

// isPublicSector reports government, education and Party hosts, and the
// national news and reporting sites government pages link to (special-topic
// carousels, "学习强国", the 12377 reporting centre). Hiding a link to them is
// odd but not spam, so without other evidence we let it be.
func isPublicSector(host string) bool {
	for _, suf := range []string{".gov.cn", ".edu.cn", ".gov", ".edu", ".org.cn", ".ac.cn", ".mil.cn", ".cpc.people.com.cn"} {
		if strings.HasSuffix(host, suf) || host == strings.TrimPrefix(suf, ".") {
			return true
		}
	}
	return publicSites[siteOf(host)]
}

// publicSites are registrable domains of national public-sector media and
// services outside .gov.cn (documented in docs/tamper.md).
var publicSites = map[string]bool{
	"12371.cn": true, "12377.cn": true, "12380.cn": true, "12321.cn": true, "12315.cn": true,
	"people.com.cn": true, "xinhuanet.com": true, "news.cn": true, "cctv.com": true, "cctv.cn": true,
	"cntv.cn": true, "chinadaily.com.cn": true, "gmw.cn": true, "qstheory.cn": true, "china.com.cn": true,
	"youth.cn": true, "ce.cn": true, "cnr.cn": true, "chinanews.com.cn": true, "chinanews.com": true,
	"xuexi.cn": true, "81.cn": true, "cac.gov.cn": true, "chsi.com.cn": true, "cpad.gov.cn": true,
	"workercn.cn": true, "cyol.com": true, "legaldaily.com.cn": true, "chinacourt.org": true,
	"court.gov.cn": true, "spp.gov.cn": true, "piyao.org.cn": true, "wenming.cn": true, "cnki.net": true,
}
