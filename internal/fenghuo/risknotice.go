package fenghuo

import (
	"regexp"
	"strings"
	"time"
)

// Risk notice (网络安全风险通报) states: active while units answer and
// rectify; closed by the issuer when it is done with it.
const (
	RiskNoticeActive = "active"
	RiskNoticeClosed = "closed"
)

// Answers a targeted unit gives a risk notice.
const (
	RiskAnswerAffected    = "affected"
	RiskAnswerNotAffected = "not_affected"
)

// DefaultRectifyDays is the rectification deadline of a risk notice:
// seed 001 附件4 五(3) — report the rectification within 7 days of the notice.
const DefaultRectifyDays = 7

// RiskNotice is an office's notice about a component with affected version
// ranges, sent to the units of its subtree whose registered systems run an
// affected version.
type RiskNotice struct {
	ID    int64
	OrgID int64 // the issuing office
	Title string
	// Vendor and Product are as the office wrote them; ProductKey is the
	// normalised product (internal/version), "oracle/weblogic_server".
	Vendor     string
	Product    string
	ProductKey string
	// Ranges are the affected versions, one range a line, in the form
	// internal/version reads ("12.2.1.3 - 12.2.1.4").
	Ranges      string
	RefIDs      []string // CVE and CNVD ids, optional
	Description string
	Measures    string
	// Severity is the severity of the findings an "affected" answer raises.
	Severity    string
	RectifyDays int
	DueAt       time.Time
	Status      string
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RiskNoticeMatch is one system of a targeted unit that runs an affected
// version: why the unit was chosen.
type RiskNoticeMatch struct {
	SystemID   int64  `json:"system_id"`
	SystemName string `json:"system_name"`
	Component  string `json:"component"`
	Version    string `json:"version"`
}

// RiskNoticeTarget is a unit a notice reached and its answer.
type RiskNoticeTarget struct {
	ID           int64
	NoticeID     int64
	OrgID        int64
	OrgName      string
	Matches      []RiskNoticeMatch
	Answer       string // "", affected or not_affected
	AnswerNote   string
	AnsweredBy   string
	AnsweredAt   time.Time
	FindingIDs   []int64
	ObligationID int64
}

// Reason is the matches in words: "HIS系统:Oracle WebLogic Server 12.2.1.3".
func (t *RiskNoticeTarget) Reason() string {
	parts := make([]string, len(t.Matches))
	for i, m := range t.Matches {
		parts[i] = m.SystemName + "：" + strings.TrimSpace(m.Component+" "+m.Version)
	}
	return strings.Join(parts, "；")
}

var refIDPattern = regexp.MustCompile(`^(CVE|CNVD|CNNVD|CNVD-C)-\d{4}-\d{3,7}$`)

// Validate checks a notice's own fields (the version ranges are checked by
// the caller, which parses them) and fills in defaults.
func (n *RiskNotice) Validate() error {
	n.Title, n.Vendor, n.Product = strings.TrimSpace(n.Title), strings.TrimSpace(n.Vendor), strings.TrimSpace(n.Product)
	if err := checkText("title", n.Title, 200, true); err != nil {
		return err
	}
	if err := checkText("vendor", n.Vendor, 100, false); err != nil {
		return err
	}
	if err := checkText("product", n.Product, 100, true); err != nil {
		return err
	}
	if err := checkText("ranges", n.Ranges, 2000, true); err != nil {
		return err
	}
	if len(n.RefIDs) > 20 {
		return FieldErrorf("ref_ids", "List at most 20 CVE or CNVD ids. / 漏洞编号最多20个。")
	}
	for i, id := range n.RefIDs {
		id = strings.ToUpper(strings.TrimSpace(id))
		if !refIDPattern.MatchString(id) {
			return FieldErrorf("ref_ids", "%q is not a CVE or CNVD id such as CVE-2020-14882 or CNVD-2020-12345. / 漏洞编号格式不正确。", id)
		}
		n.RefIDs[i] = id
	}
	if err := checkText("description", n.Description, 4000, true); err != nil {
		return err
	}
	if err := checkText("measures", n.Measures, 4000, true); err != nil {
		return err
	}
	if n.Severity == "" {
		n.Severity = SeverityHigh
	}
	if SeverityRank(n.Severity) < 0 {
		return FieldErrorf("severity", "Severity %q is unknown: use critical, high, medium or low. / 严重程度应为严重、高、中或低。", n.Severity)
	}
	if n.RectifyDays == 0 {
		n.RectifyDays = DefaultRectifyDays
	}
	if n.RectifyDays < 1 || n.RectifyDays > 90 {
		return FieldErrorf("rectify_days", "Give 1 to 90 days for rectification. / 整改时限应为1至90天。")
	}
	if n.Status == "" {
		n.Status = RiskNoticeActive
	}
	if n.Status != RiskNoticeActive && n.Status != RiskNoticeClosed {
		return FieldErrorf("status", "Status %q is unknown. / 状态不正确。", n.Status)
	}
	return nil
}
