// Package ioc holds indicators of compromise — file hashes, IP addresses and
// networks, domains, URLs, e-mail addresses and CVE ids — in one normalised
// form, the Matcher that finds them in ingested events (an ingest.Detector),
// and their exchange formats: STIX 2.1 bundles (indicators with patterns,
// vulnerabilities, TLP markings) and MISP events. Seed 002 (三) asks for
// libraries of malware hashes, vulnerabilities and malicious URLs shared in
// standard formats; the library itself (owners, sharing down the tree)
// lives in internal/app/intel.
package ioc

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"fenghuo/internal/fenghuo"
)

// Type is what an indicator's value is.
type Type string

// Indicator types.
const (
	TypeMD5    Type = "md5"
	TypeSHA1   Type = "sha1"
	TypeSHA256 Type = "sha256"
	TypeIPv4   Type = "ipv4"   // an address or a network (CIDR)
	TypeIPv6   Type = "ipv6"   // an address or a network (CIDR)
	TypeDomain Type = "domain" // matches the domain and its subdomains
	TypeURL    Type = "url"
	TypeEmail  Type = "email" // an e-mail address
	TypeCVE    Type = "cve"
)

// Types lists the indicator types in display order.
var Types = []Type{TypeMD5, TypeSHA1, TypeSHA256, TypeIPv4, TypeIPv6, TypeDomain, TypeURL, TypeEmail, TypeCVE}

// ValidType reports whether t is one of Types.
func ValidType(t Type) bool {
	for _, u := range Types {
		if u == t {
			return true
		}
	}
	return false
}

// TLP is a Traffic Light Protocol 2.0 label: how far an indicator may be
// shared (internal/app/intel applies it to the org tree).
type TLP string

// TLP 2.0 labels, from the widest to the narrowest audience.
const (
	TLPClear       TLP = "CLEAR"
	TLPGreen       TLP = "GREEN"
	TLPAmber       TLP = "AMBER"
	TLPAmberStrict TLP = "AMBER+STRICT"
	TLPRed         TLP = "RED"
)

// TLPs lists the labels from the widest audience to the narrowest.
var TLPs = []TLP{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// ParseTLP reads a label as written in TLP 2.0 or 1.0 ("TLP:AMBER",
// "amber+strict", "white" = CLEAR); ok is false for anything else.
func ParseTLP(s string) (TLP, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "TLP:")
	s = strings.TrimSpace(s)
	switch s {
	case "CLEAR", "WHITE":
		return TLPClear, true
	case "GREEN":
		return TLPGreen, true
	case "AMBER":
		return TLPAmber, true
	case "AMBER+STRICT", "AMBER STRICT":
		return TLPAmberStrict, true
	case "RED":
		return TLPRed, true
	}
	return "", false
}

// Indicator is one indicator of compromise in normalised form.
type Indicator struct {
	// ID is the IOC library row (0 outside the library).
	ID     int64
	STIXID string // "indicator--<uuid>" or "vulnerability--<uuid>"; "" when it came from elsewhere
	Type   Type
	Value  string // normalised (Normalize)
	// Name and Description are free text carried from the source.
	Name        string
	Description string
	Source      string // who reported it (a feed, an office, a MISP instance)
	Confidence  int    // 0–100
	TLP         TLP
	ValidFrom   time.Time // zero: valid since always
	ValidUntil  time.Time // zero: never expires
	// OwnerOrg is the org that owns the indicator in the library; its TLP
	// sharing starts there.
	OwnerOrg int64
}

// ValidAt reports whether the indicator is in force at t.
func (in *Indicator) ValidAt(t time.Time) bool {
	if !in.ValidFrom.IsZero() && t.Before(in.ValidFrom) {
		return false
	}
	return in.ValidUntil.IsZero() || t.Before(in.ValidUntil)
}

// Ref is what a match names the indicator by: its STIX id, else
// "ioc:<library id>", else "ioc:<type>:<value>".
func (in *Indicator) Ref() string {
	switch {
	case in.STIXID != "":
		return in.STIXID
	case in.ID != 0:
		return "ioc:" + strconv.FormatInt(in.ID, 10)
	}
	return "ioc:" + string(in.Type) + ":" + in.Value
}

// Validate normalises the value and checks every field, reporting all the
// wrong ones at once.
func (in *Indicator) Validate() error {
	var v fenghuo.Invalid
	in.Source, in.Name, in.Description = strings.TrimSpace(in.Source), strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	if !ValidType(in.Type) {
		v.Add(fenghuo.FieldErrorf("type", "Choose a type: md5, sha1, sha256, ipv4, ipv6, domain, url, email or cve. / 请选择指标类型。"))
	} else if val, err := Normalize(in.Type, in.Value); err != nil {
		v.Add(fenghuo.FieldErrorf("value", "%s", err.Error()))
	} else {
		in.Value = val
	}
	if in.Confidence < 0 || in.Confidence > 100 {
		v.Add(fenghuo.FieldErrorf("confidence", "Confidence is a number from 0 to 100. / 可信度为0到100之间的数。"))
	}
	if _, ok := ParseTLP(string(in.TLP)); !ok {
		v.Add(fenghuo.FieldErrorf("tlp", "Choose a TLP label: CLEAR, GREEN, AMBER, AMBER+STRICT or RED. / 请选择TLP等级。"))
	} else {
		in.TLP, _ = ParseTLP(string(in.TLP))
	}
	if len(in.Source) > 200 {
		v.Add(fenghuo.FieldErrorf("source", "The source is at most 200 characters. / 来源最多200字。"))
	}
	if len(in.Name) > 300 {
		in.Name = in.Name[:300]
	}
	if len(in.Description) > 4000 {
		v.Add(fenghuo.FieldErrorf("description", "The description is at most 4000 characters. / 说明最多4000字。"))
	}
	if !in.ValidUntil.IsZero() && !in.ValidFrom.IsZero() && !in.ValidUntil.After(in.ValidFrom) {
		v.Add(fenghuo.FieldErrorf("valid_until", "The expiry must be after the start of validity. / 失效时间须晚于生效时间。"))
	}
	if in.STIXID != "" && !stixIDPattern.MatchString(in.STIXID) {
		v.Add(fenghuo.FieldErrorf("stix_id", "%q is not a STIX id such as indicator--<uuid>. / STIX标识格式不正确。", in.STIXID))
	}
	return v.Err()
}

var (
	stixIDPattern = regexp.MustCompile(`^[a-z][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	cvePattern    = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,7}$`)
	emailPattern  = regexp.MustCompile(`^[^@\s]{1,64}@[^@\s]+$`)
)

// Normalize returns value in the one form the matcher compares: hashes and
// domains lower-case, internationalised domains in punycode, addresses and
// networks parsed (a network masked, a /32 or /128 written as an address),
// URLs in canonical form, CVE ids upper-case.
func Normalize(t Type, value string) (string, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return "", fmt.Errorf("The value is empty. / 请填写指标值。")
	}
	switch t {
	case TypeMD5, TypeSHA1, TypeSHA256:
		n := map[Type]int{TypeMD5: 32, TypeSHA1: 40, TypeSHA256: 64}[t]
		h := strings.ToLower(value)
		if len(h) != n || strings.Trim(h, "0123456789abcdef") != "" {
			return "", fmt.Errorf("A %s hash is %d hexadecimal digits. / %s 哈希应为%d位十六进制数。", t, n, strings.ToUpper(string(t)), n)
		}
		return h, nil
	case TypeIPv4, TypeIPv6:
		return normalizeIP(t, value)
	case TypeDomain:
		return NormalizeDomain(value)
	case TypeURL:
		return NormalizeURL(value)
	case TypeEmail:
		return normalizeEmail(value)
	case TypeCVE:
		c := strings.ToUpper(value)
		if !cvePattern.MatchString(c) {
			return "", fmt.Errorf("%q is not a CVE id such as CVE-2021-44228. / 漏洞编号格式不正确。", value)
		}
		return c, nil
	}
	return "", fmt.Errorf("Unknown indicator type %q. / 未知的指标类型。", t)
}

func normalizeIP(t Type, value string) (string, error) {
	wrong := fmt.Errorf("%q is not an %s address or network. / 不是有效的%s地址或网段。", value, t, t)
	if strings.Contains(value, "/") {
		p, err := netip.ParsePrefix(value)
		if err != nil {
			return "", wrong
		}
		p = p.Masked()
		if (t == TypeIPv4) != p.Addr().Is4() {
			return "", wrong
		}
		if p.IsSingleIP() {
			return p.Addr().String(), nil
		}
		return p.String(), nil
	}
	a, err := netip.ParseAddr(value)
	if err != nil {
		return "", wrong
	}
	a = a.Unmap().WithZone("")
	if (t == TypeIPv4) != a.Is4() {
		return "", wrong
	}
	return a.String(), nil
}

// NormalizeDomain returns a domain name in lower-case ASCII (punycode for
// internationalised names), without a trailing dot.
func NormalizeDomain(value string) (string, error) {
	d := strings.TrimSuffix(strings.TrimSpace(value), ".")
	a, err := idna.Lookup.ToASCII(d)
	if err != nil || a == "" || !strings.Contains(a, ".") || len(a) > 253 {
		// Underscores appear in real names (_dmarc, some malware
		// domains) that the strict profile refuses: accept them when
		// the rest is plain ASCII.
		a = strings.ToLower(d)
		if !plainHost(a) {
			return "", fmt.Errorf("%q is not a domain name. / 不是有效的域名。", value)
		}
	}
	return strings.ToLower(a), nil
}

func plainHost(s string) bool {
	if s == "" || len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// NormalizeURL returns a URL in canonical form: scheme and host lower-case
// (punycode), the default port dropped, an empty path written "/", no
// fragment. A URL without a scheme is read as http.
func NormalizeURL(value string) (string, error) {
	raw := strings.TrimSpace(value)
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%q is not a URL. / 不是有效的网址。", value)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host, port := u.Hostname(), u.Port()
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.String()
		if a.Is6() {
			host = "[" + host + "]"
		}
	} else if h, err := NormalizeDomain(host); err == nil {
		host = h
	} else {
		return "", fmt.Errorf("%q is not a URL. / 不是有效的网址。", value)
	}
	if port == "80" && u.Scheme == "http" || port == "443" && u.Scheme == "https" {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	return u.String(), nil
}

func normalizeEmail(value string) (string, error) {
	v := strings.ToLower(strings.Trim(strings.TrimSpace(value), "<>"))
	if !emailPattern.MatchString(v) {
		return "", fmt.Errorf("%q is not an e-mail address. / 不是有效的电子邮件地址。", value)
	}
	at := strings.LastIndexByte(v, '@')
	d, err := NormalizeDomain(v[at+1:])
	if err != nil {
		return "", fmt.Errorf("%q is not an e-mail address. / 不是有效的电子邮件地址。", value)
	}
	return v[:at+1] + d, nil
}

// DetectType guesses an indicator's type from its value (the CLI and the
// console's quick-add use it): an address or network, a hash by length, a
// CVE id, a URL, an e-mail address, else a domain.
func DetectType(value string) Type {
	v := strings.TrimSpace(value)
	if p, err := netip.ParsePrefix(v); err == nil {
		if p.Addr().Is4() {
			return TypeIPv4
		}
		return TypeIPv6
	}
	if a, err := netip.ParseAddr(v); err == nil {
		if a.Unmap().Is4() {
			return TypeIPv4
		}
		return TypeIPv6
	}
	if strings.Trim(strings.ToLower(v), "0123456789abcdef") == "" {
		switch len(v) {
		case 32:
			return TypeMD5
		case 40:
			return TypeSHA1
		case 64:
			return TypeSHA256
		}
	}
	switch {
	case cvePattern.MatchString(strings.ToUpper(v)):
		return TypeCVE
	case strings.Contains(v, "://") || strings.Contains(v, "/"):
		return TypeURL
	case strings.Contains(v, "@"):
		return TypeEmail
	}
	return TypeDomain
}
