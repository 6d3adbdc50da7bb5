package intake

import "strings"

// LevelWords are the alert levels in words, Chinese then English: the
// console's and a promoted incident's.
var LevelWords = map[string][2]string{
	"informational": {"信息", "informational"},
	"low":           {"低", "low"},
	"medium":        {"中", "medium"},
	"high":          {"高", "high"},
	"critical":      {"严重", "critical"},
}

// TacticWords are the ATT&CK tactics (Sigma tags attack.<tactic>) by the
// names of the Chinese translation of the ATT&CK matrix, then English.
var TacticWords = map[string][2]string{
	"reconnaissance":       {"侦察", "Reconnaissance"},
	"resource_development": {"资源开发", "Resource development"},
	"initial_access":       {"初始访问", "Initial access"},
	"execution":            {"执行", "Execution"},
	"persistence":          {"持久化", "Persistence"},
	"privilege_escalation": {"权限提升", "Privilege escalation"},
	"defense_evasion":      {"防御规避", "Defence evasion"},
	"credential_access":    {"凭据访问", "Credential access"},
	"discovery":            {"发现", "Discovery"},
	"lateral_movement":     {"横向移动", "Lateral movement"},
	"collection":           {"收集", "Collection"},
	"command_and_control":  {"命令与控制", "Command and control"},
	"exfiltration":         {"数据渗出", "Exfiltration"},
	"impact":               {"破坏影响", "Impact"},
}

// tagsInWords writes Sigma tags for a Chinese text: tactics in words,
// techniques as their ATT&CK ids (T1110), other tags as they are.
func tagsInWords(tags []string) string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		name, ok := strings.CutPrefix(strings.ToLower(t), "attack.")
		switch {
		case !ok:
			out = append(out, t)
		case TacticWords[strings.ReplaceAll(name, "-", "_")][0] != "":
			out = append(out, TacticWords[strings.ReplaceAll(name, "-", "_")][0])
		case len(name) > 1 && name[0] == 't' && name[1] >= '0' && name[1] <= '9':
			out = append(out, "ATT&CK "+strings.ToUpper(name))
		default:
			out = append(out, t)
		}
	}
	return strings.Join(out, "、")
}

// levelInWords is a level's Chinese word (the level itself if unknown).
func levelInWords(level string) string {
	if w, ok := LevelWords[level]; ok {
		return w[0]
	}
	return level
}
