package fenghuo

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// OrgType says what an organisation does in incident response.
type OrgType string

const (
	OrgRegulator      OrgType = "regulator"       // cyberspace-affairs office (网信部门)
	OrgMonitoring     OrgType = "monitoring"      // monitoring / CERT centre
	OrgOperator       OrgType = "operator"        // a unit running systems (运营单位)
	OrgSupport        OrgType = "support"         // technical support team (技术支撑队伍)
	OrgExpert         OrgType = "expert"          // expert group (专家组)
	OrgPublicSecurity OrgType = "public_security" // public-security organ (公安机关)
)

// OrgTypes lists the organisation types.
var OrgTypes = []OrgType{OrgRegulator, OrgMonitoring, OrgOperator, OrgSupport, OrgExpert, OrgPublicSecurity}

// Valid reports whether t is a known type.
func (t OrgType) Valid() bool {
	for _, v := range OrgTypes {
		if v == t {
			return true
		}
	}
	return false
}

// OperatorType classifies the operator for the national reporting rule, which
// treats CII operators and central organs differently from everyone else.
type OperatorType string

const (
	OperatorCII          OperatorType = "cii"
	OperatorCentralOrgan OperatorType = "central_organ"
	OperatorOther        OperatorType = "other"
)

// Valid reports whether t is a known operator type.
func (t OperatorType) Valid() bool {
	return t == OperatorCII || t == OperatorCentralOrgan || t == OperatorOther
}

// Sectors lists the sector names the console offers. Other values are
// accepted: a province may add its own.
var Sectors = []string{
	"government", "education", "health", "water", "transport", "broadcast", "energy",
	"finance", "telecom", "public_security", "culture", "emergency", "other",
}

// Liaison is the person a regulator calls about an incident (联络员).
type Liaison struct {
	Name   string
	Title  string
	Mobile string
}

// Org is one node of the organisation tree, the tenancy model: a user's
// rights reach the subtree of the user's org.
type Org struct {
	ID int64
	// ParentID is 0 for a root.
	ParentID int64
	// Path is the materialised path of IDs from the root, "/1/4/9/"; the store
	// maintains it. A subtree is every org whose Path starts with this one's.
	Path         string
	Name         string
	ShortName    string
	Level        OrgLevel
	Type         OrgType
	Sector       string
	OperatorType OperatorType
	// RegionCode is the administrative division code (行政区划代码), optional.
	RegionCode string
	Liaison    Liaison
	// DutyPhone is answered 24 hours a day (seed 001 §3.2).
	DutyPhone   string
	Fax         string
	ReportEmail string
	Address     string
	// PlanIDs are the plans that govern this org. Empty means the org
	// inherits its parent's (see EffectivePlans in the store).
	PlanIDs []string
	// PlanRoles are the roles the org plays in plans ("cyberspace_office",
	// "operator", "public_security" …; the plan package has the vocabulary):
	// reporting routes and issuer rules name roles, not orgs.
	PlanRoles []string
	// SupervisorID is the unit's declared supervising department (主管部门,
	// an org playing competent_department), 0 when none is declared: the
	// plans' "competent department" is then the department of the unit's
	// sector, or asked of the reporter when that is ambiguous.
	SupervisorID int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Version is incremented by every update; an update naming an older
	// version fails with ECONFLICT.
	Version int
}

// Validate checks o before it is stored. Path, ID and timestamps are the
// store's business and are not checked.
func (o *Org) Validate() error {
	if err := checkText("name", o.Name, 200, true); err != nil {
		return err
	}
	if err := checkText("short_name", o.ShortName, 50, false); err != nil {
		return err
	}
	if !o.Level.Valid() {
		return FieldErrorf("level", "Level %q is unknown: use one of national, province, city, county, department, unit. / 未知层级。", o.Level)
	}
	if !o.Type.Valid() {
		return FieldErrorf("type", "Type %q is unknown: use one of regulator, monitoring, operator, support, expert, public_security. / 未知机构类型。", o.Type)
	}
	if o.OperatorType == "" {
		o.OperatorType = OperatorOther
	}
	if !o.OperatorType.Valid() {
		return FieldErrorf("operator_type", "Operator type %q is unknown: use cii, central_organ or other. / 未知运营者类型。", o.OperatorType)
	}
	if err := checkText("sector", o.Sector, 50, false); err != nil {
		return err
	}
	if o.RegionCode != "" && !isDigits(o.RegionCode, 6, 12) {
		return FieldErrorf("region_code", "Region code %q must be 6 to 12 digits. / 行政区划代码应为6至12位数字。", o.RegionCode)
	}
	if o.ParentID < 0 {
		return FieldErrorf("parent_id", "Parent %d is not an org ID.", o.ParentID)
	}
	if o.SupervisorID < 0 || o.SupervisorID != 0 && o.SupervisorID == o.ID {
		return FieldErrorf("supervisor_id", "An org cannot supervise itself: choose its supervising department. / 主管部门不能是本单位。")
	}
	if o.ParentID != 0 && o.ParentID == o.ID {
		return FieldErrorf("parent_id", "An org cannot be its own parent. / 机构不能是自己的上级。")
	}
	if err := checkText("liaison.name", o.Liaison.Name, 50, false); err != nil {
		return err
	}
	if err := checkText("liaison.title", o.Liaison.Title, 50, false); err != nil {
		return err
	}
	for _, f := range [...]struct{ field, phone string }{
		{"liaison.mobile", o.Liaison.Mobile}, {"duty_phone", o.DutyPhone}, {"fax", o.Fax},
	} {
		if phone := f.phone; phone != "" && !IsPhone(phone) {
			return FieldErrorf(f.field, "%q is not a phone number: use digits with optional +, -, spaces or parentheses, e.g. 0415-2121234. / 电话号码格式不正确。", phone)
		}
	}
	if o.ReportEmail != "" {
		if a, err := mail.ParseAddress(o.ReportEmail); err != nil || a.Address != o.ReportEmail {
			return FieldErrorf("report_email", "%q is not a plain e-mail address such as cert@example.gov.cn. / 邮箱地址格式不正确。", o.ReportEmail)
		}
	}
	if err := checkText("address", o.Address, 300, false); err != nil {
		return err
	}
	for _, r := range o.PlanRoles {
		if !isIdentifier(r) {
			return FieldErrorf("plan_roles", "Plan role %q is not valid: use a role key such as operator or cyberspace_office. / 预案角色不正确。", r)
		}
	}
	seen := map[string]bool{}
	for _, p := range o.PlanIDs {
		if p == "" || len(p) > 100 || strings.ContainsAny(p, " \t\r\n/") {
			return FieldErrorf("plan_ids", "Plan ID %q is not valid: use the plan's key, e.g. wushen-county. / 预案标识不正确。", p)
		}
		if seen[p] {
			return FieldErrorf("plan_ids", "Plan %q is listed twice. / 预案重复。", p)
		}
		seen[p] = true
	}
	return nil
}

// PathIDs returns the IDs in o.Path from the root down to o itself.
func (o *Org) PathIDs() []int64 {
	return ParseOrgPath(o.Path)
}

// ParseOrgPath returns the IDs of a materialised path "/1/4/9/"; it ignores
// anything that is not a positive number.
func ParseOrgPath(path string) []int64 {
	var ids []int64
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// InSubtree reports whether the org with path child lies in the subtree
// rooted at the org with path root (an org is in its own subtree).
func InSubtree(root, child string) bool {
	return root != "" && strings.HasPrefix(child, root)
}

// IsPhone reports whether s is a phone number, the one grammar every phone
// field shares (org lines, system contacts, accounts, reporters, duty
// shifts): an optional leading "+", then digits with spaces, hyphens or
// brackets between them (a bracket may open the number: "(0415)1234567"),
// and optionally an extension after "转", "ext" or "#" — 5 to 20 digits in
// all. "0415-1234567转8001", "+86 138 0013 8000" and "(0415) 123 4567 ext 12"
// pass; "-12345", "++8612345", "12345ext" and letters do not.
func IsPhone(s string) bool {
	s = strings.TrimSpace(s)
	number, ext := s, ""
	for _, mark := range []string{"转", "ext", "#"} {
		if i := strings.Index(s, mark); i >= 0 {
			number, ext = s[:i], strings.TrimSpace(strings.TrimPrefix(s[i+len(mark):], "."))
			break
		}
	}
	digits := 0
	for i, r := range number {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == '(' || (digits > 0 && (r == ' ' || r == '-' || r == ')')):
		default:
			return false
		}
	}
	if digits < 5 || (number != s && ext == "") {
		return false
	}
	for _, r := range ext {
		if r < '0' || r > '9' {
			return false
		}
		digits++
	}
	return digits <= 20
}

func checkText(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return FieldErrorf(field, "Enter a %s. / 必填项。", strings.ReplaceAll(field, "_", " "))
	}
	if n := utf8.RuneCountInString(s); n > max {
		return FieldErrorf(field, "Is %d characters long; the limit is %d. / 长度超过%d个字符。", n, max, max)
	}
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return FieldErrorf(field, "Contains characters that cannot be stored. / 含有无法保存的字符。")
	}
	return nil
}

// isIdentifier reports whether s is a lower-case key like "public_security".
func isIdentifier(s string) bool {
	if s == "" || len(s) > 50 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func isDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CleanText makes text that came from outside (a monitored page, a probe's
// report, an imported file) safe to store and show: invalid UTF-8 becomes
// U+FFFD, NUL and other control characters except tab and newline become
// spaces, and it is cut to max characters (runes) with "…". Unlike the
// checks on what a person typed, it never refuses: what a machine found must
// be kept, not lost to a validation error.
func CleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' {
			return r
		}
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return ' '
		}
		return r
	}, s)
	if max > 0 && utf8.RuneCountInString(s) > max {
		runes := []rune(s)
		s = string(runes[:max-1]) + "…"
	}
	return s
}
