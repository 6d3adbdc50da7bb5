package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChecklistCommands(t *testing.T) {
	code, out, _ := runCLI(t, "", "checklist", "list")
	if code != 0 || !strings.Contains(out, "seed000-self-inspection") || !strings.Contains(out, "seed004-ransomware-hardening") {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "checklist", "show", "seed004-ransomware-hardening")
	if code != 0 || !strings.Contains(out, "Struts2") || !strings.Contains(out, "怎样核查") || !strings.Contains(out, "二(三)") {
		t.Fatalf("show: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "checklist", "show", "seed000-self-inspection", "--lang", "en")
	if code != 0 || !strings.Contains(out, "No weak passwords") || !strings.Contains(out, "verify:") {
		t.Fatalf("show en: exit %d\n%s", code, out)
	}

	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	_, raw, _ := runCLI(t, "", "checklist", "show", "seed000-self-inspection", "--json")
	if !strings.Contains(raw, `"weak-passwords"`) {
		t.Fatalf("json: %s", raw)
	}
	if err := os.WriteFile(good, []byte("id: mine\nversion: \"1\"\ntitle: {zh: 我的表}\nitems:\n  - id: a1\n    text: {zh: 检查}\n    category: host\n    severity: low\n    verify: {zh: 看}\n    evidence: {zh: 截图}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("id: mine\nversion: \"1\"\ntitle: {zh: 我的表}\nitems:\n  - id: a1\n    txt: {zh: 检查}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "", "checklist", "check", good)
	if code != 0 || !strings.Contains(out, "ok (mine 1+") {
		t.Errorf("check good: exit %d %s", code, out)
	}
	code, _, errOut := runCLI(t, "", "checklist", "check", good, bad)
	if code == 0 || !strings.Contains(errOut, "bad.yaml:6: items[0].txt: unknown key \"txt\"; did you mean \"text\"?") || !strings.Contains(errOut, "1 of 2 checklist files are invalid") {
		t.Errorf("check bad: exit %d\n%s", code, errOut)
	}
}
