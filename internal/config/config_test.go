package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMetricsListen: the metrics address is set like every other setting
// (YAML, then FENGHUO_METRICS_LISTEN, then --metrics-listen), is off by
// default, and a bad value is refused with what to write instead.
func TestMetricsListen(t *testing.T) {
	load := func(yaml string, env map[string]string, args ...string) (Config, error) {
		t.Helper()
		return loadWith(t, yaml, env, args...)
	}
	c, err := load("", nil)
	if err != nil || c.MetricsListen != "" {
		t.Fatalf("default: %q %v", c.MetricsListen, err)
	}
	c, err = load("metrics_listen: 127.0.0.1:9090\n", nil)
	if err != nil || c.MetricsListen != "127.0.0.1:9090" {
		t.Fatalf("YAML: %q %v", c.MetricsListen, err)
	}
	c, err = load("metrics_listen: 127.0.0.1:9090\n", map[string]string{"FENGHUO_METRICS_LISTEN": "127.0.0.1:9091"})
	if err != nil || c.MetricsListen != "127.0.0.1:9091" {
		t.Fatalf("environment: %q %v", c.MetricsListen, err)
	}
	c, err = load("", map[string]string{"FENGHUO_METRICS_LISTEN": "127.0.0.1:9091"}, "--metrics-listen", "10.0.0.5:9100")
	if err != nil || c.MetricsListen != "10.0.0.5:9100" {
		t.Fatalf("flag: %q %v", c.MetricsListen, err)
	}
	for value, want := range map[string]string{
		"9090":           "is not host:port",
		"127.0.0.1:8080": "must differ from listen",
	} {
		if _, err := load("", nil, "--metrics-listen", value); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--metrics-listen %s: %v, want %q", value, err, want)
		}
	}
}

// TestProfilingSettings: pprof_listen and slow_query are set like every
// other setting; the profiler is off and the slow-query threshold is 500ms
// by default; bad values are refused with what to write instead.
func TestProfilingSettings(t *testing.T) {
	c, err := loadWith(t, "", nil)
	if err != nil || c.PprofListen != "" || c.SlowQuery != 500*time.Millisecond {
		t.Fatalf("default: %q %s %v", c.PprofListen, c.SlowQuery, err)
	}
	c, err = loadWith(t, "pprof_listen: 127.0.0.1:6060\nslow_query: 2s\n", nil)
	if err != nil || c.PprofListen != "127.0.0.1:6060" || c.SlowQuery != 2*time.Second {
		t.Fatalf("YAML: %q %s %v", c.PprofListen, c.SlowQuery, err)
	}
	c, err = loadWith(t, "pprof_listen: 127.0.0.1:6060\n", map[string]string{"FENGHUO_PPROF_LISTEN": "127.0.0.1:6061", "FENGHUO_SLOW_QUERY": "0"})
	if err != nil || c.PprofListen != "127.0.0.1:6061" || c.SlowQuery != 0 {
		t.Fatalf("environment: %q %s %v", c.PprofListen, c.SlowQuery, err)
	}
	c, err = loadWith(t, "", map[string]string{"FENGHUO_PPROF_LISTEN": "127.0.0.1:6061"}, "--pprof-listen", "127.0.0.1:6062", "--slow-query", "100ms")
	if err != nil || c.PprofListen != "127.0.0.1:6062" || c.SlowQuery != 100*time.Millisecond {
		t.Fatalf("flag: %q %s %v", c.PprofListen, c.SlowQuery, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--pprof-listen", "6060"}, "is not host:port"},
		{[]string{"--pprof-listen", "127.0.0.1:8080"}, "must differ from listen"},
		{[]string{"--metrics-listen", "127.0.0.1:9090", "--pprof-listen", "127.0.0.1:9090"}, "must differ from listen and metrics_listen"},
		{[]string{"--slow-query", "-1s"}, "or 0 to turn it off"},
	} {
		if _, err := loadWith(t, "", nil, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	c := Defaults()
	c.TrustedProxies = []string{"127.0.0.1", "10.0.0.0/8", "::1"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.TrustedProxies = []string{"10.0.0.0/8", "proxy.example"}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), `"proxy.example" is not an address or a CIDR`) {
		t.Fatalf("a host name as trusted proxy: %v", err)
	}
}

// loadWith loads the configuration as serve does, from a YAML text (none
// if empty), an environment and the arguments.
func loadWith(t *testing.T, yaml string, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c Config
	file := Bind(fs, &c)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	if yaml != "" {
		*file = filepath.Join(t.TempDir(), "fenghuo.yaml")
		if err := os.WriteFile(*file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return Load(fs, *file, func(k string) string { return env[k] })
}

func TestAuditReads(t *testing.T) {
	load := func(yaml string, env map[string]string, args ...string) (Config, error) {
		t.Helper()
		return loadWith(t, yaml, env, args...)
	}
	c, err := load("", nil)
	if err != nil || c.AuditReads != "sensitive" {
		t.Fatalf("default audit_reads: %q %v, want sensitive", c.AuditReads, err)
	}
	for _, v := range []string{"none", "all"} {
		if c, err := load("", nil, "--audit-reads", v); err != nil || c.AuditReads != v {
			t.Errorf("--audit-reads %s: %q %v", v, c.AuditReads, err)
		}
	}
	if c, err := load("audit_reads: none\n", map[string]string{"FENGHUO_AUDIT_READS": "all"}); err != nil || c.AuditReads != "all" {
		t.Errorf("FENGHUO_AUDIT_READS over the file: %q %v", c.AuditReads, err)
	}
	if _, err := load("", nil, "--audit-reads", "some"); err == nil || !strings.Contains(err.Error(), `audit_reads: "some" is not none, sensitive or all`) {
		t.Errorf("--audit-reads some: %v", err)
	}
}

func TestAuditKeepingSettings(t *testing.T) {
	c, err := loadWith(t, "", nil)
	if err != nil || c.AuditRetentionDays != 365 || c.AuditAnchorInterval != 5*time.Minute || c.AuditAnchorSyslog != "" {
		t.Fatalf("defaults: %d %s %q %v", c.AuditRetentionDays, c.AuditAnchorInterval, c.AuditAnchorSyslog, err)
	}
	if c.AuditArchivePath() != filepath.Join(c.DataDir, "audit-archive") || c.AuditAnchorPath() != filepath.Join(c.DataDir, "audit-anchors.log") {
		t.Errorf("default paths: %s %s", c.AuditArchivePath(), c.AuditAnchorPath())
	}
	c, err = loadWith(t, "audit_retention_days: 200\naudit_anchor_file: /mnt/other/anchors.log\n",
		map[string]string{"FENGHUO_AUDIT_ANCHOR_SYSLOG": "udp://127.0.0.1:514"}, "--audit-anchor-interval", "1m")
	if err != nil || c.AuditRetentionDays != 200 || c.AuditAnchorPath() != "/mnt/other/anchors.log" || c.AuditAnchorSyslog != "udp://127.0.0.1:514" || c.AuditAnchorInterval != time.Minute {
		t.Fatalf("set: %+v %v", c, err)
	}
	// Six months is the floor, with the law named in both languages.
	for _, days := range []string{"182", "30", "0"} {
		_, err := loadWith(t, "", nil, "--audit-retention-days", days)
		if err == nil || !strings.Contains(err.Error(), "Cybersecurity Law (art. 21)") || !strings.Contains(err.Error(), "《网络安全法》第二十一条") {
			t.Errorf("--audit-retention-days %s: %v", days, err)
		}
	}
	if _, err := loadWith(t, "", nil, "--audit-retention-days", "183"); err != nil {
		t.Errorf("183 days: %v", err)
	}
	for _, dest := range []string{"local", "tcp://[::1]:6514", "udp://syslog.example:514"} {
		if _, err := loadWith(t, "", nil, "--audit-anchor-syslog", dest); err != nil {
			t.Errorf("syslog %s: %v", dest, err)
		}
	}
	for _, dest := range []string{"syslog.example:514", "http://x:1", "udp://x", "/dev/log"} {
		if _, err := loadWith(t, "", nil, "--audit-anchor-syslog", dest); err == nil {
			t.Errorf("syslog %s accepted", dest)
		}
	}
}

// TestDemoShape: demo_shape is city (the default) or province, set like
// every other setting, and needs --demo; anything else is refused with
// the choices.
func TestDemoShape(t *testing.T) {
	c, err := loadWith(t, "", nil, "--demo")
	if err != nil || c.DemoShape != "" {
		t.Fatalf("default: %q %v", c.DemoShape, err)
	}
	c, err = loadWith(t, "demo: true\ndemo_shape: province\n", nil)
	if err != nil || c.DemoShape != "province" {
		t.Fatalf("YAML: %q %v", c.DemoShape, err)
	}
	c, err = loadWith(t, "", map[string]string{"FENGHUO_DEMO_SHAPE": "city"}, "--demo")
	if err != nil || c.DemoShape != "city" {
		t.Fatalf("environment: %q %v", c.DemoShape, err)
	}
	c, err = loadWith(t, "", nil, "--demo", "--demo-shape", "province", "--demo-size", "2000")
	if err != nil || c.DemoShape != "province" || c.DemoSize != 2000 {
		t.Fatalf("flags: %q %d %v", c.DemoShape, c.DemoSize, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--demo", "--demo-shape", "country"}, `demo_shape "country": use city (the default) or province`},
		{[]string{"--demo-shape", "province"}, "demo_shape needs --demo"},
	} {
		if _, err := loadWith(t, "", nil, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
}
