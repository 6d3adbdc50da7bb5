package sheets

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"fenghuo/internal/fenghuo"
)

const (
	// maxOrgRef bounds the owner-unit cell; unit names are far shorter.
	maxOrgRef = 200
	// maxListItems bounds the entries of one list cell (domains, ports …).
	maxListItems = 200
	// maxExposure bounds one domain, URL, IP or port; URLs beyond 2000
	// characters do not work in browsers anyway.
	maxExposure = 2000
)

// rowBuilder turns the cells of one data row into a SystemRow, collecting
// every problem rather than stopping at the first.
type rowBuilder struct {
	h   *header
	row SystemRow
}

func (b *rowBuilder) cell(cells []string, c column) string {
	if i := b.h.index[c]; i >= 0 && i < len(cells) {
		return cleanCell(cells[i])
	}
	return ""
}

func (b *rowBuilder) fail(c column, format string, args ...any) {
	b.row.Errors = append(b.row.Errors, RowError{Row: b.row.Row, Column: b.h.name(c), Message: fmt.Sprintf(format, args...)})
}

// buildRow reads the data row numbered n (as the spreadsheet numbers it).
func buildRow(h *header, n int, cells []string) SystemRow {
	b := &rowBuilder{h: h, row: SystemRow{Row: n}}
	s := &b.row.System
	get := func(c column) string { return b.cell(cells, c) }

	b.row.OrgRef = get(colOrg)
	switch n := utf8.RuneCountInString(b.row.OrgRef); {
	case n == 0:
		b.fail(colOrg, "%s is empty: write the owner unit's full name or ID as registered in Fenghuo. / 所属单位为空：请填写已登记的单位全称或编号。", h.name(colOrg))
	case n > maxOrgRef:
		b.fail(colOrg, "%s is %d characters long; a unit name has at most %d. / 所属单位超过%d个字符。", h.name(colOrg), n, maxOrgRef, maxOrgRef)
	}
	s.Name = get(colName)
	if s.Name == "" {
		b.fail(colName, "%s is empty: write the system's name. / 系统名称为空：请填写系统名称。", h.name(colName))
	}
	s.Department = get(colDepartment)
	s.ResponsiblePerson = get(colPerson)
	s.ResponsiblePhone = get(colPhone)

	var ok bool
	if v := get(colLevel); v != "" {
		if s.ProtectionLevel, ok = parseLevel(v); !ok {
			b.fail(colLevel, "%s %q is not a protection level: write 1, 2, 3, 4 or 5 (or 一级 to 五级), or leave it blank when the system is not graded. / 等保级别“%s”无效：请填写1至5或一级至五级，未定级请留空。", h.name(colLevel), clip(v), clip(v))
		}
	}
	if v := get(colCII); v != "" {
		if s.CII, ok = parseBool(v); !ok {
			b.fail(colCII, "%s %q is not yes or no: write 是 or 否 (yes/no, 1/0, Y/N). / “%s”无效：是否关键信息基础设施请填写“是”或“否”。", h.name(colCII), clip(v), clip(v))
		}
	}
	kinds, unknown := parseKeyKinds(get(colKinds))
	s.KeyKinds = kinds
	if len(unknown) > 0 {
		list := clip(strings.Join(unknown, "、"))
		b.fail(colKinds, "%s: %q is not a key-system kind: use 重点保卫目标, 关键信息基础设施, 城市运行和公众服务支撑, 含重要数据/个人信息, 公共信息发布 or 等保三级及以上, separated by 、. / 重点系统类别“%s”无法识别：请填写重点保卫目标、关键信息基础设施、城市运行和公众服务支撑、含重要数据/个人信息、公共信息发布、等保三级及以上，多个用顿号分隔。", h.name(colKinds), list, list)
	}
	for _, e := range []struct {
		c    column
		kind string
	}{{colDomains, fenghuo.ExposureDomain}, {colURLs, fenghuo.ExposureURL}, {colIPs, fenghuo.ExposureIP}, {colPorts, fenghuo.ExposurePort}} {
		list := parseExposures(e.kind, get(e.c))
		b.checkCount(e.c, len(list))
		s.Exposure = append(s.Exposure, list...)
	}
	s.Components = parseComponents(get(colComponents))
	b.checkCount(colComponents, len(s.Components))
	s.Description = get(colDescription)
	status := get(colStatus) // blank is active
	if s.Status, ok = parseStatus(status); !ok {
		b.fail(colStatus, "%s %q is unknown: write 在用 (active) or 下线 (retired), or leave it blank for active. / 状态“%s”无效：请填写“在用”或“下线”，留空视为在用。", h.name(colStatus), clip(status), clip(status))
	}
	b.extraCells(cells)
	b.validate()
	return b.row
}

// checkCount refuses list cells longer than any real system needs, which
// also bounds the work and the report for one row.
func (b *rowBuilder) checkCount(c column, n int) {
	if n > maxListItems {
		b.fail(c, "%s lists %d entries; at most %d are accepted: keep the ones reachable from outside, or split the system. / %s共%d项，超过上限%d项，请只保留对外暴露的条目或拆分系统。",
			b.h.name(c), n, maxListItems, b.h.name(c), n, maxListItems)
	}
}

// extraCells reports values in columns that have no header: they would
// otherwise be dropped without anyone noticing.
func (b *rowBuilder) extraCells(cells []string) {
	for i, v := range cells {
		// Columns with any header are either read or refused for the
		// whole file; only those without one are this row's problem.
		if b.h.named[i] || cleanCell(v) == "" {
			continue
		}
		l := colLetter(i)
		b.row.Errors = append(b.row.Errors, RowError{Row: b.row.Row, Column: l, Message: fmt.Sprintf(
			"Column %s has a value but no header: add a header from the template or delete the value. / %s列有内容但没有表头：请补充模板中的表头或删除该内容。", l, l)})
	}
}

// validate runs System.Validate on the row. Validate stops at the first
// problem, so each field is first checked alone on an otherwise valid
// system; the whole system is then checked once more as a safety net.
func (b *rowBuilder) validate() {
	s := b.row.System
	alone := func(c column, set func(*fenghuo.System)) {
		probe := fenghuo.System{OrgID: 1, Name: "x"}
		set(&probe)
		if err := probe.Validate(); err != nil {
			b.fail(c, "%s: %s", b.h.name(c), message(err))
		}
	}
	before := len(b.row.Errors)
	if s.Name != "" {
		alone(colName, func(p *fenghuo.System) { p.Name = s.Name })
	}
	alone(colDepartment, func(p *fenghuo.System) { p.Department = s.Department })
	alone(colPerson, func(p *fenghuo.System) { p.ResponsiblePerson = s.ResponsiblePerson })
	if !fenghuo.IsPhone(s.ResponsiblePhone) && s.ResponsiblePhone != "" {
		b.fail(colPhone, "%s: %q is not a phone number: write 5 to 20 digits, optionally with + - ( ) and spaces, such as 0731-88886666. / 电话号码“%s”格式不正确：%s", b.h.name(colPhone), clip(s.ResponsiblePhone), clip(s.ResponsiblePhone), columns[colPhone].hintZH)
	}
	alone(colDescription, func(p *fenghuo.System) { p.Description = s.Description })
	for _, e := range s.Exposure {
		if n := utf8.RuneCountInString(e.Value); n > maxExposure {
			c := exposureColumn[e.Kind]
			b.fail(c, "%s: %q is %d characters long; the limit is %d. / “%s”长度超过%d个字符。", b.h.name(c), clip(e.Value), n, maxExposure, clip(e.Value), maxExposure)
			continue
		}
		if err := e.Validate(); err != nil {
			c := exposureColumn[e.Kind]
			b.fail(c, "%s：%s填写要求：%s", b.h.name(c), message(err), columns[c].hintZH)
		}
	}
	for _, c := range s.Components {
		alone(colComponents, func(p *fenghuo.System) { p.Components = []fenghuo.Component{c} })
	}
	if len(b.row.Errors) > before || b.row.OrgRef == "" || s.Name == "" {
		return
	}
	probe := s
	probe.OrgID = 1 // resolved from OrgRef by the caller
	if err := probe.Validate(); err != nil {
		var fe *fenghuo.Error
		c := colName
		if errors.As(err, &fe) {
			if fc, ok := fieldColumn[fe.Field]; ok {
				c = fc
			}
		}
		b.fail(c, "%s: %s", b.h.name(c), message(err))
		return
	}
	b.row.System.Status = probe.Status
}

// message is the client-safe text of a validation error, without the
// field key that Error() puts in front.
func message(err error) string {
	var fe *fenghuo.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return fenghuo.ErrorMessage(err)
}

var exposureColumn = map[string]column{
	fenghuo.ExposureDomain: colDomains,
	fenghuo.ExposureURL:    colURLs,
	fenghuo.ExposureIP:     colIPs,
	fenghuo.ExposurePort:   colPorts,
}

// fieldColumn maps the Field of a validation error to its column.
var fieldColumn = map[string]column{
	"name":               colName,
	"department":         colDepartment,
	"responsible_person": colPerson,
	"responsible_phone":  colPhone,
	"protection_level":   colLevel,
	"key_kinds":          colKinds,
	"components.name":    colComponents,
	"components.version": colComponents,
	"components.vendor":  colComponents,
	"description":        colDescription,
	"status":             colStatus,
}
