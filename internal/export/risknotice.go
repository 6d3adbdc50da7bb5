package export

import (
	"strconv"
	"strings"
	"time"
)

// RiskNotice is the 网络安全风险通报 an office sends to the units whose
// systems run an affected version of a component (issue 12; seed 001
// 附件4 五: report the rectification within 7 days of the notice). It
// renders in the official layout with WriteOfficialDOCX and
// WriteOfficialPDF.
type RiskNotice struct {
	DocumentHeader
	Subject     string // what the notice is about, e.g. Oracle WebLogic Server 远程代码执行漏洞
	Product     string // vendor and product, e.g. Oracle WebLogic Server
	Ranges      []string
	RefIDs      []string // CVE / CNVD
	Description string
	Measures    string
	RectifyDays int
	DueAt       time.Time
	// Targets are the units reached and why (their systems and versions).
	Targets []RiskNoticeTarget
}

// RiskNoticeTarget is one unit a risk notice reached, with its answer.
type RiskNoticeTarget struct {
	Unit   string
	Reason string // system: component version; …
	Answer string // 受影响 / 不受影响 / 未答复, with the reason
}

func (n RiskNotice) official() officialDoc {
	d := n.base("关于" + orBlank(n.Subject, "网络安全风险") + "的风险通报")
	d.noApprovals = true
	d.para(joinNonEmpty("", "经监测发现，", orBlank(n.Product, "有关组件"), "存在安全风险",
		optional(len(n.RefIDs) > 0, "（"+strings.Join(n.RefIDs, "、")+"）"),
		"。经比对各单位登记的信息系统组件版本，你单位有系统运行受影响版本。现将有关情况通报如下："))
	d.heading(1, "风险情况")
	d.paras(n.Description)
	d.heading(1, "影响范围")
	d.para("受影响组件：" + orBlank(n.Product, notFilled))
	d.para("受影响版本：" + orBlank(strings.Join(n.Ranges, "；"), notFilled))
	if len(n.RefIDs) > 0 {
		d.para("漏洞编号：" + strings.Join(n.RefIDs, "、"))
	}
	d.section("处置措施", n.Measures)
	d.heading(1, "工作要求")
	d.para("请各单位立即联系信息系统开发商、运维机构等相关人员，按照通报要点逐项排查、修补漏洞；无维护人员或技术力量薄弱的，可邀请第三方应急技术支撑单位协助；节假日等重要时期可采取临时断网措施，待系统修复后再上线。")
	due := "收到通报后" + strconv.Itoa(n.RectifyDays) + "日内"
	if !n.DueAt.IsZero() {
		due += "（" + officialDue(n.DueAt) + "前）"
	}
	d.para("请于" + due + "在平台答复是否受影响；受影响的，将整改情况报送" + orBlank(n.IssuerOffice, "我办") + "。逾期未答复的，将予以督办。")
	if len(n.Targets) > 0 {
		d.heading(1, "通报对象及比对结果")
		t := &officialTable{header: []string{"序号", "单位", "受影响系统及版本", "答复"}, widths: []float64{0.08, 0.27, 0.40, 0.25}}
		for i, tg := range n.Targets {
			t.rows = append(t.rows, []string{strconv.Itoa(i + 1), tg.Unit, tg.Reason, tg.Answer})
		}
		d.blocks = append(d.blocks, officialBlock{table: t})
	}
	d.para("特此通报。")
	return d
}
