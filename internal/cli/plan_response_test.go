package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fenghuo/internal/plan"
)

// TestPlanShowResponse: plan show states who proposes, activates and ends
// each level, its switches and their parameters, and each playbook's
// trigger, steps, owners and due offsets.
func TestPlanShowResponse(t *testing.T) {
	_, out, _ := runCLI(t, "", "plan", "show", "wushen-county")
	for _, want := range []string{
		"Ⅱ级响应  [4.2.2]",
		"启动：旗委网信办，经旗委网信委批准",
		"结束：旗委网信办，经乌审旗网安应急指挥部批准  [4.3.2]",
		"事态报告：事件发生地区或部门 → 旗委网信办，每24小时",
		"结束通知：旗委网信办 → 启动时通报的各方及市委网信办",
		"== 处置手册：勒索病毒事件 ==",
		"适用：报告事件时；事件类别 OMI  [004 三（三）]",
		"取代：OMI 类事件只用本手册，不再用 mass-virus（类别越具体越优先）",
		"5. 修复超过2小时启用备用系统 · 事发单位 · 发现事件后2小时内 · 必须",
		"逾期告知：旗委网信办",
		"适用：启动应急响应时 II  [4.2.2]",
		"1. 成立乌审旗网安应急指挥部 · 启动响应的单位 · 必须",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan show lacks %q", want)
		}
	}
	_, out, _ = runCLI(t, "", "plan", "show", "wushen-county", "--lang", "en")
	for _, want := range []string{
		"Level II response  [4.2.2]",
		"activated by: Banner cyberspace office, approved by Banner cyberspace committee",
		"duty: Banner cyberspace office, 24 hours a day",
		"standby: county technical support team",
		"5. Switch to the standby system if repair takes over 2 hours · the affected unit · due 2 hours after discovery · mandatory",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("English plan show lacks %q", want)
		}
	}
}

func TestPlanDiffResponse(t *testing.T) {
	p, err := plan.Builtin().Get("wushen-county")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(p.Raw()), "every: 24h", "every: 12h", 1)
	doc = strings.Replace(doc, "id: wushen-county", "id: wushen-copy", 1)
	file := filepath.Join(t.TempDir(), "copy.yaml")
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "plan", "diff", "wushen-county", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "~ response_level[I].situation_interval: 24h → 12h") || !strings.Contains(out, "1 differences") {
		t.Errorf("diff:\n%s", out)
	}
	code, out, _ = runCLI(t, "", "plan", "check", file)
	if code != 0 || !strings.Contains(out, "4 response levels, 7 playbooks") {
		t.Errorf("check: %d %s", code, out)
	}
}
