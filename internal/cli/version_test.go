package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeVersion(t *testing.T) {
	withVCS := &debug.BuildInfo{Main: debug.Module{Path: "fenghuo", Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0dbe5bd1a2b3c4d5e6f708192a3b4c5d6e7f8091"},
		{Key: "vcs.time", Value: "2026-12-06T22:53:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	for _, tc := range []struct {
		name, ldflags string
		info          *debug.BuildInfo
		want          string
	}{
		{"ldflags win", "v1.2.0", withVCS, "v1.2.0"},
		{"commit", "", withVCS, "0.0.0-20261206225300-0dbe5bd1a2b3+dirty"},
		{"module version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.3.0"}}, "v1.3.0"},
		{"nothing known", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{"no build info", "", nil, "dev"},
	} {
		if got := describeVersion(tc.ldflags, tc.info); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	old := Version
	Version = "v9.9.9-test"
	defer func() { Version = old }()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if code, out, _ := runCLI(t, "", args...); code != 0 || out != "fenghuo v9.9.9-test\n" {
			t.Errorf("%v: %d %q", args, code, out)
		}
	}
}

// Each command lists its own options: the data commands do not offer the
// server's SMTP, TLS or listen settings; serve does.
func TestHelpListsOwnFlags(t *testing.T) {
	for _, args := range [][]string{
		{"backup", "--help"}, {"restore", "--help"}, {"audit", "verify", "--help"},
		{"user", "create", "--help"}, {"probe", "register", "--help"},
	} {
		code, out, _ := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(out, "-data-dir") || strings.Count(out, "Usage:") != 1 {
			t.Errorf("%v: exit %d, want the usage once with --data-dir:\n%s", args, code, out)
		}
		for _, foreign := range []string{"smtp", "tls", "-listen", "config-dump", "-demo"} {
			if strings.Contains(out, foreign) {
				t.Errorf("%v lists %q:\n%s", args, foreign, out)
			}
		}
	}
	_, out, _ := runCLI(t, "", "serve", "--help")
	for _, want := range []string{"-smtp-host", "-tls-cert", "-listen", "-data-dir"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help lacks %s", want)
		}
	}
}
