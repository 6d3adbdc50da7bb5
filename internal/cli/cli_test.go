package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runCLI runs the command line as the binary would and returns the exit
// status and what it printed.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code := run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestGradeAcceptance(t *testing.T) {
	code, out, errOut := runCLI(t, "", "grade", "--plan", "wushen-county", "--facts",
		`{"important_system":true,"outage_minutes":90,"people_affected":150000}`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Grade        string `json:"grade"`
		WarningColor string `json:"warning_color"`
		Clauses      []struct{ ID, Text string }
		Reporting    []struct {
			To            string `json:"to"`
			WithinMinutes int    `json:"within_minutes"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Grade != "II" || res.WarningColor != "orange" {
		t.Errorf("grade %s colour %s", res.Grade, res.WarningColor)
	}
	if len(res.Clauses) == 0 || res.Clauses[0].ID != "1.4(2)①" || !strings.Contains(res.Clauses[0].Text, "中断运行1小时以上") {
		t.Errorf("clauses %+v", res.Clauses)
	}
	if len(res.Reporting) == 0 || res.Reporting[0].WithinMinutes != 120 {
		t.Errorf("reporting %+v", res.Reporting)
	}

	code, out, _ = runCLI(t, "", "grade", "--plan", "cac-2025", "--facts", `{"operator_type":"other","economic_loss_cny":6000000}`)
	if code != 0 || !strings.Contains(out, `"grade": "III"`) || !strings.Contains(out, `"within_minutes": 240`) || !strings.Contains(out, "属地省级网信部门") {
		t.Errorf("cac-2025: exit %d\n%s", code, out)
	}
}

func TestGradeErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"grade", "--plan", "cac-2025", "--facts", `{"outage_minuts":1}`}, `outage_minuts`},
		{[]string{"grade", "--plan", "cac-2025", "--facts", `{"outage_minutes":"90"}`}, `outage_minutes`},
		{[]string{"grade", "--plan", "no-such-plan", "--facts", `{}`}, `unknown plan`},
		{[]string{"grade", "--facts", `{}`}, `--plan is required`},
		{[]string{"grade", "--plan", "cac-2025", "--bogus"}, `bogus`},
		{[]string{"grade", "--plan", "cac-2025", "--facts", `not json`}, `not a JSON object`},
	} {
		code, _, errOut := runCLI(t, "", tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestFactsFromFileAndStdin(t *testing.T) {
	file := filepath.Join(t.TempDir(), "facts.json")
	os.WriteFile(file, []byte(`{"economic_loss_cny":20000000}`), 0o644)
	code, out, _ := runCLI(t, "", "grade", "--plan", "cac-2025", "--facts", "@"+file)
	if code != 0 || !strings.Contains(out, `"grade": "II"`) {
		t.Errorf("file: %d %s", code, out)
	}
	code, out, _ = runCLI(t, `{"economic_loss_cny":100000000}`, "grade", "--plan", "cac-2025", "--facts", "@-")
	if code != 0 || !strings.Contains(out, `"grade": "I"`) {
		t.Errorf("stdin: %d %s", code, out)
	}
}

func TestPlanRoundTrip(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "wushen-local.yaml")
	if code, _, errOut := runCLI(t, "", "plan", "export", "wushen-county", "-o", file); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	data, _ := os.ReadFile(file)
	data = bytes.Replace(data, []byte("id: wushen-county"), []byte("id: wushen-county-local"), 1)
	data = bytes.Replace(data, []byte("{fact: outage_minutes, gte: 60}"), []byte("{fact: outage_minutes, gte: 45}"), 1)
	os.WriteFile(file, data, 0o644)
	if code, out, errOut := runCLI(t, "", "plan", "check", file); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("check: %d %s %s", code, out, errOut)
	}
	facts := `{"important_system":true,"system_loss":"significant","outage_minutes":50,"people_affected":150000}`
	_, out, _ := runCLI(t, "", "grade", "--plan", file, "--facts", facts)
	if !strings.Contains(out, `"grade": "II"`) {
		t.Errorf("edited plan should grade II:\n%s", out)
	}
	_, out, _ = runCLI(t, "", "grade", "--plan", "wushen-county", "--facts", facts)
	if !strings.Contains(out, `"grade": "III"`) {
		t.Errorf("built-in plan should grade III:\n%s", out)
	}
	code, out, _ := runCLI(t, "", "plan", "diff", "wushen-county", file)
	if code != 0 || !strings.Contains(out, "outage_minutes ≥ 60") || !strings.Contains(out, "outage_minutes ≥ 45") {
		t.Errorf("diff: %d\n%s", code, out)
	}
	// The copy appears in plan list when its directory is given.
	_, out, _ = runCLI(t, "", "plan", "list", "--plans-dir", dir)
	if !strings.Contains(out, "wushen-county-local") || !strings.Contains(out, "dandong-broadcast") {
		t.Errorf("list:\n%s", out)
	}
}

func TestPlanCheckReportsLineAndKey(t *testing.T) {
	_, raw, _ := runCLI(t, "", "plan", "export", "cac-2025")
	bad := strings.Replace(raw, "{fact: economic_loss_cny, gte: 5000000}", "{fact: economic_los_cny, gte: 5000000}", 1)
	file := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(file, []byte(bad), 0o644)
	code, _, errOut := runCLI(t, "", "plan", "check", file)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	line := 0
	for i, l := range strings.Split(bad, "\n") {
		if strings.Contains(l, "economic_los_cny") {
			line = i + 1
		}
	}
	want := file + ":" + strconv.Itoa(line) + ": grading.clauses["
	if !strings.Contains(errOut, want) || !strings.Contains(errOut, `unknown fact "economic_los_cny"`) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
}

func TestPlanShow(t *testing.T) {
	for _, id := range []string{"national-2017", "cac-2025", "wushen-county", "dandong-broadcast"} {
		code, out, errOut := runCLI(t, "", "plan", "show", id)
		if code != 0 || !strings.Contains(out, "== 事件分级 ==") {
			t.Errorf("%s: %d %s", id, code, errOut)
		}
	}
	_, out, _ := runCLI(t, "", "plan", "show", "wushen-county", "--lang", "en")
	for _, want := range []string{"Playbook: Web page defacement", "within 120 minutes", "20 working days"} {
		if !strings.Contains(out, want) && !strings.Contains(out, strings.Replace(want, "within 120 minutes", "+ 120 minutes", 1)) {
			t.Errorf("English summary lacks %q", want)
		}
	}
}

func TestWorkdays(t *testing.T) {
	for _, tc := range []struct {
		args []string
		out  string
		code int
	}{
		{[]string{"workdays", "add", "--from", "2024-09-27", "--days", "20"}, "2024-10-30\n", 0},
		{[]string{"workdays", "is", "2024-10-12"}, "workday\n", 0},
		{[]string{"workdays", "is", "2024-10-01"}, "offday\n", 0},
		{[]string{"workdays", "is", "2024-02-04"}, "workday\n", 0},
		{[]string{"workdays", "add", "--from", "2024-02-30", "--days", "1"}, "", 2},
		{[]string{"workdays", "add", "--days", "1"}, "", 2},
		{[]string{"workdays", "frobnicate"}, "", 2},
	} {
		code, out, _ := runCLI(t, "", tc.args...)
		if code != tc.code || (tc.out != "" && out != tc.out) {
			t.Errorf("%v: exit %d out %q; want %d %q", tc.args, code, out, tc.code, tc.out)
		}
	}
}

func TestHelpEverywhere(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"plan", "--help"}, {"plan", "list", "--help"}, {"plan", "show", "--help"},
		{"plan", "check", "--help"}, {"plan", "diff", "--help"}, {"plan", "export", "--help"},
		{"grade", "--help"}, {"workdays", "--help"}, {"workdays", "add", "--help"}, {"workdays", "is", "--help"},
	} {
		code, out, _ := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(out, "Usage") {
			t.Errorf("%v: exit %d, out %q", args, code, out)
		}
	}
	if code, _, _ := runCLI(t, "", "nonsense"); code != 2 {
		t.Errorf("unknown command exit %d", code)
	}
}
