package sheets

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// column is one field of the register, in the order the template lists them.
type column int

const (
	colOrg column = iota
	colName
	colDepartment
	colPerson
	colPhone
	colLevel
	colCII
	colKinds
	colDomains
	colURLs
	colIPs
	colPorts
	colComponents
	colDescription
	colStatus
	numColumns
)

// columnDef describes one column: its headers in both languages, the other
// headers units are known to write, and how it is shown in exported files.
type columnDef struct {
	zh, en   string
	aliases  []string
	required bool
	width    float64
	// example is the value of the template's example row.
	example string
	// hintEN and hintZH explain what to write, on the instructions sheet.
	hintEN, hintZH string
}

var columns = [numColumns]columnDef{
	colOrg: {zh: "所属单位", en: "owner unit", required: true, width: 28,
		aliases: []string{"单位", "单位名称", "所属单位名称", "unit", "owner", "organisation", "organization", "org"},
		example: "示例市大数据中心",
		hintEN:  "Required. The unit's full name or short name as registered in Fenghuo, or its ID.",
		hintZH:  "必填。已在系统中登记的单位全称、简称或单位编号。"},
	colName: {zh: "系统名称", en: "name", required: true, width: 28,
		aliases: []string{"名称", "系统", "system", "system name"},
		example: "政务服务网",
		hintEN:  "Required. At most 200 characters.", hintZH: "必填，不超过200字。"},
	colDepartment: {zh: "责任部门", en: "department", width: 16,
		aliases: []string{"部门", "主管部门", "responsible department"},
		example: "信息中心", hintEN: "At most 100 characters.", hintZH: "不超过100字。"},
	colPerson: {zh: "责任人", en: "responsible person", width: 12,
		aliases: []string{"负责人", "联系人", "person", "person in charge", "contact"},
		example: "张伟", hintEN: "At most 50 characters.", hintZH: "不超过50字。"},
	colPhone: {zh: "联系电话", en: "responsible phone", width: 16,
		aliases: []string{"电话", "手机", "手机号", "联系方式", "责任人电话", "phone", "telephone", "mobile", "contact phone"},
		example: "13800138000",
		hintEN:  "Digits with optional + - ( ) spaces, 5 to 20 digits.", hintZH: "5至20位数字，可含+、-、括号和空格。"},
	colLevel: {zh: "等保级别", en: "protection level", width: 12,
		aliases: []string{"等级保护级别", "等保等级", "安全保护等级", "定级", "level", "mlps level"},
		example: "三级",
		hintEN:  "1 to 5 (also 一级…五级, 第三级, 3级); blank or 未定级 when not graded.",
		hintZH:  "1至5（也可写一级至五级、第三级、3级）；未定级留空或填“未定级”。"},
	colCII: {zh: "关键信息基础设施", en: "cii", width: 10,
		aliases: []string{"是否关键信息基础设施", "关基", "是否关基", "critical information infrastructure"},
		example: "否",
		hintEN:  "yes/no, 是/否, true/false, 1/0, Y/N or √; blank means no.",
		hintZH:  "是/否、yes/no、true/false、1/0、Y/N或√；留空视为否。"},
	colKinds: {zh: "重点系统类别", en: "key kinds", width: 30,
		aliases: []string{"重要系统类别", "系统类别", "类别", "重点系统类型", "key kind", "kinds", "category", "categories"},
		example: "城市运行和公众服务支撑、含重要数据/个人信息、公共信息发布、等保三级及以上",
		hintEN:  "Any of 重点保卫目标, 关键信息基础设施, 城市运行和公众服务支撑, 含重要数据/个人信息, 公共信息发布, 等保三级及以上 (or key_target, cii, city_operation, important_data, public_info, level3_plus), separated by 、 , ; / or new lines.",
		hintZH:  "可填重点保卫目标、关键信息基础设施、城市运行和公众服务支撑、含重要数据/个人信息、公共信息发布、等保三级及以上，多个用、，；/或换行分隔。"},
	colDomains: {zh: "域名", en: "domains", width: 24,
		aliases: []string{"domain", "domain names"},
		example: "www.example.gov.cn, zwfw.example.gov.cn",
		hintEN:  "Host names such as www.example.gov.cn, separated by commas, 、 or new lines.",
		hintZH:  "如www.example.gov.cn，多个用逗号、顿号或换行分隔。"},
	colURLs: {zh: "网址", en: "urls", width: 32,
		aliases: []string{"url", "访问地址", "系统网址", "链接"},
		example: "https://zwfw.example.gov.cn/portal",
		hintEN:  "Absolute http:// or https:// addresses, separated by new lines, spaces or 、.",
		hintZH:  "以http://或https://开头的完整地址，多个用换行、空格或顿号分隔。"},
	colIPs: {zh: "IP地址", en: "ips", width: 20,
		aliases: []string{"ip", "公网ip", "ip addresses", "ip address"},
		example: "203.0.113.10, 203.0.113.0/28",
		hintEN:  "IPv4/IPv6 addresses or CIDR blocks, separated by commas, 、 or new lines.",
		hintZH:  "IPv4/IPv6地址或网段，多个用逗号、顿号或换行分隔。"},
	colPorts: {zh: "端口", en: "ports", width: 14,
		aliases: []string{"开放端口", "port", "open ports"},
		example: "80,443,8080/tcp",
		hintEN:  "1 to 65535, optionally /tcp or /udp, separated by commas: 80,443,8080/tcp.",
		hintZH:  "1至65535，可加/tcp或/udp，多个用逗号分隔，如80,443,8080/tcp。"},
	colComponents: {zh: "组件", en: "components", width: 36,
		aliases: []string{"软件组件", "中间件", "组件及版本", "component", "software"},
		example: "Apache Struts2 2.5.10; OpenSSL 1.0.2k; WebLogic 12.1.3",
		hintEN:  "Software and version, separated by ; or new lines: Apache Struts2 2.5.10; OpenSSL 1.0.2k. The version is the last word when it starts with a digit or v+digit.",
		hintZH:  "软件名称和版本，多个用分号或换行分隔，如Apache Struts2 2.5.10; OpenSSL 1.0.2k。以数字或v加数字开头的最后一个词视为版本号。"},
	colDescription: {zh: "描述", en: "description", width: 30,
		aliases: []string{"说明", "备注", "系统描述", "系统简介", "notes", "remarks"},
		example: "面向公众的政务服务门户", hintEN: "At most 4000 characters.", hintZH: "不超过4000字。"},
	colStatus: {zh: "状态", en: "status", width: 10,
		aliases: []string{"系统状态", "运行状态"},
		example: "在用",
		hintEN:  "在用/active or 下线/retired; blank means active.", hintZH: "在用或下线；留空视为在用。"},
}

// headerIndex maps every normalised header and alias to its column.
var headerIndex = func() map[string]column {
	m := map[string]column{}
	for c, d := range columns {
		for _, h := range append([]string{d.zh, d.en}, d.aliases...) {
			m[normalizeHeader(h)] = column(c)
		}
	}
	return m
}()

// header tells where each column is in a file and how the file spells it.
type header struct {
	index [numColumns]int    // position of each column, -1 when absent
	label [numColumns]string // the header as written in the file
	named map[int]bool       // positions whose header cell is not blank
}

// label returns how the file names column c, or the Chinese header when the
// file lacks the column.
func (h *header) name(c column) string {
	if h.label[c] != "" {
		return h.label[c]
	}
	return columns[c].zh
}

// ignoredHeaders are columns registers often carry that hold no data of
// the system (a running number); they are read past rather than refused.
// maxHeaderProblems bounds how many unknown headers are described.
const maxHeaderProblems = 20

var ignoredHeaders = map[string]bool{"序号": true, "no": true, "no.": true, "#": true}

// matchHeader reads a header row. It returns how many cells are known
// headers, and the problems of the row (unknown, duplicate, missing).
func matchHeader(cells []string) (*header, int, []string) {
	h := &header{named: map[int]bool{}}
	for i := range h.index {
		h.index[i] = -1
	}
	var problems []string
	known, unknown, unsuggested := 0, 0, false
	for i, cell := range cells {
		cell = cleanCell(cell)
		if cell == "" {
			continue
		}
		h.named[i] = true
		n := normalizeHeader(cell)
		if ignoredHeaders[n] {
			continue
		}
		c, ok := headerIndex[n]
		if !ok {
			// A row of hundreds of unknown cells is not a header; report
			// the first few rather than all of them.
			if unknown++; unknown <= maxHeaderProblems {
				msg, suggested := unknownHeader(i, cell)
				problems = append(problems, msg)
				unsuggested = unsuggested || !suggested
			}
			continue
		}
		known++
		if h.index[c] >= 0 {
			problems = append(problems, fmt.Sprintf(
				"Columns %s and %s are both %q: keep one of them. / %s列和%s列都是“%s”，请只保留一列。",
				colLetter(h.index[c]), colLetter(i), columns[c].zh, colLetter(h.index[c]), colLetter(i), columns[c].zh))
			continue
		}
		h.index[c], h.label[c] = i, cell
	}
	for c, d := range columns {
		if d.required && h.index[c] < 0 {
			problems = append(problems, fmt.Sprintf(
				"The required column %s (%s) is missing: add it to the header row. / 缺少必填列“%s”，请在表头中添加。",
				d.zh, d.en, d.zh))
		}
	}
	if unknown > maxHeaderProblems {
		more := unknown - maxHeaderProblems
		problems = append(problems, fmt.Sprintf("…and %d more unknown columns. / ……另有%d列表头无法识别。", more, more))
	}
	if unsuggested {
		var zh, en []string
		for _, d := range columns {
			zh, en = append(zh, d.zh), append(en, d.en)
		}
		problems = append(problems, fmt.Sprintf("Known columns: %s. / 可用的列名：%s。",
			strings.Join(en, ", "), strings.Join(zh, "、")))
	}
	return h, known, problems
}

// unknownHeader describes an unknown header, with the closest known one
// when there is a plausible one.
func unknownHeader(i int, cell string) (string, bool) {
	l := colLetter(i)
	cell = clip(cell)
	if s, ok := suggestHeader(cell); ok {
		return fmt.Sprintf("Column %s header %q is not a known column: did you mean %q (%s)? / %s列表头“%s”无法识别，是否应为“%s”？",
			l, cell, columns[s].zh, columns[s].en, l, cell, columns[s].zh), true
	}
	return fmt.Sprintf("Column %s header %q is not a known column: rename it to one of the known columns listed below, or delete the column. / %s列表头“%s”无法识别，请改为下列列名之一或删除该列。",
		l, cell, l, cell), false
}

// suggestHeader finds the known header closest to s: the nearest by edit
// distance if it is a plausible typo, else the longest known header that
// s contains or is part of ("unit name" → 所属单位).
func suggestHeader(s string) (column, bool) {
	n := normalizeHeader(s)
	if utf8.RuneCountInString(n) > 40 {
		return 0, false // not a typo of a header; and edit distance is quadratic
	}
	best, bestDist := column(0), -1
	for alias, c := range headerIndex {
		d := editDistance(n, alias)
		if bestDist < 0 || d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	if bestDist >= 0 && bestDist <= max(1, min(utf8.RuneCountInString(n), 12)/3) {
		return best, true
	}
	found, longest := column(0), 0
	for alias, c := range headerIndex {
		// Short aliases (ip, org, url) are inside too many unrelated words.
		if len(alias) < 4 || len(alias) < longest || len(alias) == longest && c > found {
			continue
		}
		if strings.Contains(n, alias) || strings.Contains(alias, n) && len(n) >= 4 {
			found, longest = c, len(alias)
		}
	}
	return found, longest > 0
}

// normalizeHeader folds case and drops spaces, underscores, hyphens,
// required-field stars and a trailing note in brackets, so that
// "Owner_Unit *", "所属单位（全称）" and "owner unit" are the same header.
func normalizeHeader(s string) string {
	s = strings.ToLower(s)
	for _, open := range []string{"(", "（", "["} {
		if i := strings.Index(s, open); i > 0 {
			s = s[:i]
		}
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("_-*＊:：", r) {
			return -1
		}
		return r
	}, s)
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// cleanCell trims spaces, including full-width and non-breaking ones, and
// the zero-width characters that copying from web pages leaves behind.
func cleanCell(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
	})
}

// clip shortens a value quoted back in a message, so that a runaway cell
// cannot make the report itself huge.
func clip(s string) string {
	const maxRunes = 60
	if utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	return string([]rune(s)[:maxRunes]) + "…"
}

// colLetter is the spreadsheet letter of the zero-based column i (0 → A).
func colLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprint(i + 1)
	}
	return name
}
