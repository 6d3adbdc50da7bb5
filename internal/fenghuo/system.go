package fenghuo

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// KeyKind is one of the six kinds of important system named by seed 000 §2.
type KeyKind string

const (
	KindKeyTarget     KeyKind = "key_target"     // 1. 重点保卫目标
	KindCII           KeyKind = "cii"            // 2. 关键信息基础设施
	KindCityOperation KeyKind = "city_operation" // 3. 城市运行和公众服务支撑
	KindImportantData KeyKind = "important_data" // 4. 含重要数据、公民个人信息
	KindPublicInfo    KeyKind = "public_info"    // 5. 公共信息发布（门户网站、APP、情报板、显示屏）
	KindLevel3Plus    KeyKind = "level3_plus"    // 6. 等保3级及以上
)

// KeyKinds lists the six kinds in the seed's order.
var KeyKinds = []KeyKind{KindKeyTarget, KindCII, KindCityOperation, KindImportantData, KindPublicInfo, KindLevel3Plus}

// Valid reports whether k is one of the six kinds.
func (k KeyKind) Valid() bool {
	for _, v := range KeyKinds {
		if v == k {
			return true
		}
	}
	return false
}

// NameZH is the kind's name in the seed's words.
func (k KeyKind) NameZH() string {
	switch k {
	case KindKeyTarget:
		return "重点保卫目标"
	case KindCII:
		return "关键信息基础设施"
	case KindCityOperation:
		return "城市运行和公众服务支撑系统"
	case KindImportantData:
		return "含重要数据、公民个人信息的系统"
	case KindPublicInfo:
		return "公共信息发布系统"
	case KindLevel3Plus:
		return "等保三级及以上系统"
	}
	return string(k)
}

// Exposure kinds: what a system shows to the network.
const (
	ExposureDomain = "domain"
	ExposureURL    = "url"
	ExposureIP     = "ip"
	ExposurePort   = "port"
)

// Exposure is one address at which a system can be reached.
type Exposure struct {
	Kind string
	// Value is a host name, an absolute http(s) URL, an IP address or CIDR,
	// or a port ("443" or "443/tcp").
	Value string
	Note  string
}

// Component is a piece of software a system runs (Struts2, OpenSSL,
// WebLogic …), matched against risk notices (seed 004).
type Component struct {
	Name    string
	Version string
	Vendor  string
}

// System statuses.
const (
	SystemActive  = "active"
	SystemRetired = "retired"
)

// System is an important network and information system (重要网络和信息系统).
type System struct {
	ID    int64
	OrgID int64
	Name  string
	// Department and ResponsiblePerson are who answers for it (seed 002 (一)).
	Department        string
	ResponsiblePerson string
	ResponsiblePhone  string
	// ProtectionLevel is the 等级保护 level, 1–5; 0 when not yet graded.
	ProtectionLevel int
	CII             bool
	KeyKinds        []KeyKind
	Exposure        []Exposure
	Components      []Component
	Description     string
	Status          string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

// Validate checks s before it is stored and fills in defaults (status active).
func (s *System) Validate() error {
	if s.OrgID <= 0 {
		return FieldErrorf("org_id", "Choose the unit that owns the system. / 请选择系统所属单位。")
	}
	if err := checkText("name", s.Name, 200, true); err != nil {
		return err
	}
	if err := checkText("department", s.Department, 100, false); err != nil {
		return err
	}
	if err := checkText("responsible_person", s.ResponsiblePerson, 50, false); err != nil {
		return err
	}
	if s.ResponsiblePhone != "" && !IsPhone(s.ResponsiblePhone) {
		return FieldErrorf("responsible_phone", "%q is not a phone number. / 电话号码格式不正确。", s.ResponsiblePhone)
	}
	if s.ProtectionLevel < 0 || s.ProtectionLevel > 5 {
		return FieldErrorf("protection_level", "Protection level %d is out of range: use 1 to 5, or 0 when not graded. / 等保级别应为1至5级。", s.ProtectionLevel)
	}
	seen := map[KeyKind]bool{}
	for _, k := range s.KeyKinds {
		if !k.Valid() {
			return FieldErrorf("key_kinds", "Key-system kind %q is unknown: use key_target, cii, city_operation, important_data, public_info or level3_plus. / 未知重要系统类别。", k)
		}
		if seen[k] {
			return FieldErrorf("key_kinds", "Kind %q is listed twice. / 类别重复。", k)
		}
		seen[k] = true
	}
	for i := range s.Exposure {
		if err := s.Exposure[i].Validate(); err != nil {
			return err
		}
	}
	for _, c := range s.Components {
		if err := checkText("components.name", c.Name, 100, true); err != nil {
			return err
		}
		if err := checkText("components.version", c.Version, 100, false); err != nil {
			return err
		}
		if err := checkText("components.vendor", c.Vendor, 100, false); err != nil {
			return err
		}
	}
	if err := checkText("description", s.Description, 4000, false); err != nil {
		return err
	}
	if s.Status == "" {
		s.Status = SystemActive
	}
	if s.Status != SystemActive && s.Status != SystemRetired {
		return FieldErrorf("status", "Status %q is unknown: use active or retired. / 状态应为在用或下线。", s.Status)
	}
	return nil
}

// Validate checks one exposure entry and trims its value.
func (e *Exposure) Validate() error {
	e.Value = strings.TrimSpace(e.Value)
	if err := checkText("exposure.note", e.Note, 200, false); err != nil {
		return err
	}
	switch e.Kind {
	case ExposureDomain:
		if !IsHostname(e.Value) {
			return FieldErrorf("exposure.value", "%q is not a domain name such as www.example.gov.cn. / 域名格式不正确。", e.Value)
		}
	case ExposureURL:
		u, err := url.Parse(e.Value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return FieldErrorf("exposure.value", "%q is not an absolute http or https URL. / URL格式不正确。", e.Value)
		}
	case ExposureIP:
		if net.ParseIP(e.Value) == nil {
			if _, _, err := net.ParseCIDR(e.Value); err != nil {
				return FieldErrorf("exposure.value", "%q is not an IP address or CIDR block such as 203.0.113.10 or 203.0.113.0/24. / IP地址格式不正确。", e.Value)
			}
		}
	case ExposurePort:
		num, proto, _ := strings.Cut(e.Value, "/")
		p, err := strconv.Atoi(num)
		if err != nil || p < 1 || p > 65535 || (proto != "" && proto != "tcp" && proto != "udp") {
			return FieldErrorf("exposure.value", "%q is not a port: use 1 to 65535, optionally followed by /tcp or /udp. / 端口应为1至65535。", e.Value)
		}
	default:
		return FieldErrorf("exposure.kind", "Exposure kind %q is unknown: use domain, url, ip or port. / 未知暴露面类型。", e.Kind)
	}
	return nil
}

// IsHostname reports whether s is a DNS name of letters, digits and hyphens
// (internationalised names in their xn-- form), with at least two labels.
func IsHostname(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if len(s) == 0 || len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
