package sheets

import (
	"strconv"
	"strings"
	"unicode"

	"fenghuo/internal/fenghuo"
)

// chineseDigits are the numerals units write for protection levels.
var chineseDigits = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5}

// levelNames are the exported spellings of levels 1–5, index = level.
var levelNames = []string{"", "一级", "二级", "三级", "四级", "五级"}

// parseLevel reads a protection level: 3, 三级, 第三级, 3级, 等保三级,
// level 3, L3. Blank and 未定级 mean not graded (0).
func parseLevel(s string) (int, bool) {
	n := strings.ToLower(strings.Join(strings.Fields(s), ""))
	switch n {
	case "", "0", "未定级", "未定", "无", "notgraded", "none", "n/a", "-":
		return 0, true
	}
	for _, p := range []string{"等保", "等级保护", "第", "level", "l"} {
		n = strings.TrimPrefix(n, p)
	}
	n = strings.TrimSuffix(strings.TrimSuffix(n, "级"), ".0")
	if d, ok := chineseDigits[n]; ok {
		return d, true
	}
	if d, err := strconv.Atoi(n); err == nil && d >= 1 && d <= 5 {
		return d, true
	}
	return 0, false
}

// parseBool reads a yes/no cell; blank is no.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "是", "yes", "true", "1", "y", "√", "✓", "✔", "对":
		return true, true
	case "", "否", "no", "false", "0", "n", "×", "✗", "✘", "x", "无":
		return false, true
	}
	return false, false
}

// kindNames maps every accepted spelling of a key-system kind, normalised by
// normalizeKind, to the kind.
var kindNames = func() map[string]fenghuo.KeyKind {
	m := map[string]fenghuo.KeyKind{}
	add := func(k fenghuo.KeyKind, names ...string) {
		for _, n := range names {
			m[normalizeKind(n)] = k
		}
	}
	for i, k := range fenghuo.KeyKinds {
		add(k, string(k), strconv.Itoa(i+1), k.NameZH())
	}
	add(fenghuo.KindKeyTarget, "重点保卫目标", "重点目标", "key target")
	add(fenghuo.KindCII, "关键信息基础设施", "关基", "critical information infrastructure")
	add(fenghuo.KindCityOperation, "城市运行和公众服务支撑", "城市运行", "公众服务支撑", "城市运行和公众服务", "city operation")
	add(fenghuo.KindImportantData, "含重要数据", "重要数据", "个人信息", "公民个人信息", "含重要数据和个人信息",
		"重要数据和个人信息", "含重要数据、公民个人信息", "important data", "personal information")
	add(fenghuo.KindPublicInfo, "公共信息发布", "门户网站", "网站", "app", "情报板", "显示屏", "led", "led屏", "public info")
	add(fenghuo.KindLevel3Plus, "等保三级及以上", "等保3级及以上", "三级及以上", "3级及以上", "level 3+", "level3+")
	return m
}()

// normalizeKind folds case and drops spaces, underscores and the trailing
// 系统 and 的 of the seed's long names.
func normalizeKind(s string) string {
	s = strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '_' || r == '-' {
			return -1
		}
		return r
	}, s))
	s = strings.TrimSuffix(s, "系统")
	return strings.TrimSuffix(s, "的")
}

// parseKeyKinds splits a kinds cell and maps each part to its kind, dropping
// repeats (含重要数据/个人信息 names one kind in two parts). It returns the
// parts it does not know.
func parseKeyKinds(s string) (kinds []fenghuo.KeyKind, unknown []string) {
	seen := map[fenghuo.KeyKind]bool{}
	for _, part := range splitList(s, "、,;/，；／|\n\r") {
		k, ok := kindNames[normalizeKind(part)]
		if !ok {
			unknown = append(unknown, part)
			continue
		}
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	return kinds, unknown
}

// kindLabelZH is the short Chinese name written into exported cells.
func kindLabelZH(k fenghuo.KeyKind) string {
	switch k {
	case fenghuo.KindCityOperation:
		return "城市运行和公众服务支撑"
	case fenghuo.KindImportantData:
		return "含重要数据/个人信息"
	case fenghuo.KindPublicInfo:
		return "公共信息发布"
	case fenghuo.KindLevel3Plus:
		return "等保三级及以上"
	}
	return k.NameZH()
}

// Separators of list cells. URLs, IP blocks and ports contain '/', so only
// the kinds cell splits on it; URLs may contain ',' but rarely do.
const (
	listSeparators      = "、,;，；|\n\r\t "
	componentSeparators = "、;；\n\r"
)

// splitList splits s at any of the separator runes and drops empty parts.
func splitList(s, separators string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(separators, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = cleanCell(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseExposures turns a domains, URLs, IPs or ports cell into entries.
func parseExposures(kind, s string) []fenghuo.Exposure {
	var out []fenghuo.Exposure
	for _, v := range splitList(s, listSeparators) {
		if kind == fenghuo.ExposurePort {
			v = strings.ToLower(v)
		}
		out = append(out, fenghuo.Exposure{Kind: kind, Value: v})
	}
	return out
}

// parseComponents reads "Apache Struts2 2.5.10; OpenSSL 1.0.2k": the version
// is the last word when it starts with a digit or with v and a digit.
func parseComponents(s string) []fenghuo.Component {
	var out []fenghuo.Component
	for _, part := range splitList(s, componentSeparators) {
		words := strings.Fields(part)
		c := fenghuo.Component{Name: strings.Join(words, " ")}
		if last := words[len(words)-1]; len(words) > 1 && isVersion(last) {
			c.Name, c.Version = strings.Join(words[:len(words)-1], " "), last
		}
		out = append(out, c)
	}
	return out
}

func isVersion(w string) bool {
	if w[0] == 'v' || w[0] == 'V' {
		w = w[1:]
	}
	return w != "" && w[0] >= '0' && w[0] <= '9'
}

// formatComponents is the inverse of parseComponents.
func formatComponents(cs []fenghuo.Component) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = strings.TrimSpace(c.Name + " " + c.Version)
	}
	return strings.Join(parts, "; ")
}

// parseStatus reads 在用/active or 下线/retired; blank is active.
func parseStatus(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "", "在用", "使用中", "运行", "运行中", "在线", "active":
		return fenghuo.SystemActive, true
	case "下线", "已下线", "停用", "已停用", "退役", "retired", "inactive":
		return fenghuo.SystemRetired, true
	}
	return "", false
}

// statusLabel is the status as written in an exported file.
func statusLabel(status, lang string) string {
	if !isEnglish(lang) {
		if status == fenghuo.SystemRetired {
			return "下线"
		}
		return "在用"
	}
	if status == "" {
		return fenghuo.SystemActive
	}
	return status
}

func isEnglish(lang string) bool {
	return strings.HasPrefix(strings.ToLower(lang), "en")
}
