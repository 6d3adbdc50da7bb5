package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSigmaCheck(t *testing.T) {
	code, out, errOut := runCLI(t, "", "sigma", "check", "testdata/sigma/rules", "testdata/sigma/events.jsonl")
	want := `{"event":7,"rule_id":"0f3c1d8e-5a2b-4c6d-8e9f-1a2b3c4d5e01","title":"SSH log-in as root","level":"high"}
{"event":8,"rule_id":"0f3c1d8e-5a2b-4c6d-8e9f-1a2b3c4d5e02","title":"Five failed SSH log-ins from one address in a minute","level":"medium"}
`
	if code != 0 || out != want {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
}

func TestSigmaCheckBadRules(t *testing.T) {
	code, out, errOut := runCLI(t, "", "sigma", "check", "testdata/sigma/badrules", "testdata/sigma/events.jsonl")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{
		"testdata/sigma/badrules/broken.yml:5: message: unknown modifier containz",
		"testdata/sigma/badrules/broken.yml:13: condition names \"filter\", which is not a search of this rule",
		"testdata/sigma/badrules/broken.yml:14: level \"severe\" is not one of",
		"testdata/sigma/badrules/yaml.yml:4: not valid YAML",
		"not valid YAML",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestSigmaCheckBadEventsAndUsage(t *testing.T) {
	dir := t.TempDir()
	events := filepath.Join(dir, "events.jsonl")
	if err := os.WriteFile(events, []byte("{\"a\":1}\n[1,2]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "", "sigma", "check", "testdata/sigma/rules", events)
	if code != 2 || !strings.Contains(errOut, "line 2: not a JSON object") {
		t.Errorf("bad event: exit %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "sigma", "check", "testdata/sigma/rules"); code != 2 {
		t.Errorf("one argument: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "sigma", "check", "testdata/sigma/rules", filepath.Join(dir, "missing.jsonl")); code != 1 {
		t.Errorf("missing events file: exit %d", code)
	}
	code, out, _ := runCLI(t, "", "sigma", "list")
	if code != 0 || !strings.Contains(out, "mail") || !strings.Contains(out, "ids") {
		t.Errorf("list: exit %d %s", code, out)
	}
}
