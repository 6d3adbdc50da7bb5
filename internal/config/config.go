// Package config reads the server's configuration once, from defaults, an
// optional YAML file, FENGHUO_* environment variables and command-line
// flags (each overriding the one before), into one struct that is passed
// down. Nothing else reads the environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"fenghuo/internal/fenghuo"
)

// Config is everything `fenghuo serve` is told.
type Config struct {
	// Listen is the address of the console and API.
	Listen string `yaml:"listen" env:"LISTEN" usage:"address to listen on"`
	// MetricsListen is a second address serving only the Prometheus
	// endpoint /metrics, to anyone who reaches it. The console's listener
	// serves /metrics only to an API token of the metrics scope.
	MetricsListen string `yaml:"metrics_listen" env:"METRICS_LISTEN" usage:"address serving only Prometheus /metrics, e.g. 127.0.0.1:9090 (empty: none; the console's address serves it only to metrics-scope API tokens)"`
	// PprofListen is a third address serving only Go's profiler
	// (/debug/pprof/), to an admin-scope API token of a system
	// administrator on every request. Empty (the default) serves none.
	PprofListen string `yaml:"pprof_listen" env:"PPROF_LISTEN" usage:"address serving only Go's profiler /debug/pprof/ to a system administrator's admin-scope API token, e.g. 127.0.0.1:6060 (empty: off)"`
	// SlowQuery logs (at warn, with the SQL text and never its arguments)
	// and counts every database statement that takes longer; 0 turns it off.
	SlowQuery time.Duration `yaml:"slow_query" env:"SLOW_QUERY" usage:"log and count database statements slower than this, with their SQL text but not their arguments (0: off)"`
	// EvidenceDir holds uploaded evidence files; several replicas on one
	// PostgreSQL point it at one shared mount (docs/storage.md).
	EvidenceDir string `yaml:"evidence_dir" env:"EVIDENCE_DIR" usage:"directory of uploaded evidence files (default DATA_DIR/evidence; shared storage for several replicas)"`
	// WorkLease is how long a replica's claim on background work (a batch
	// of notification jobs, the scheduler's keeping passes) lasts without
	// renewal: with several replicas on one PostgreSQL, the work of one
	// that dies moves to the others within it (docs/storage.md).
	WorkLease time.Duration `yaml:"work_lease" env:"WORK_LEASE" usage:"how long a replica's claim on background work lasts unrenewed; a dead replica's work moves to the others after it (at least 10s)"`
	// DataDir holds the SQLite database, key files, evidence, extra plans
	// and holiday notices.
	DataDir string `yaml:"data_dir" env:"DATA_DIR" usage:"data directory (database, keys, evidence, plans/, holidays/)"`
	// DB is an SQLite file path or a postgres:// URL; empty means
	// DataDir/fenghuo.db.
	DB string `yaml:"db" env:"DB" usage:"database: an SQLite file or postgres://user@host/db (default DATA_DIR/fenghuo.db)"`
	// BaseURL is how users reach the console, for links in messages.
	BaseURL string `yaml:"base_url" env:"BASE_URL" usage:"public URL of the console, e.g. https://fenghuo.example.gov.cn"`
	// TrustedOrigins may post cross-origin (another front end on the same site).
	TrustedOrigins []string `yaml:"trusted_origins" env:"TRUSTED_ORIGINS" usage:"comma-separated origins allowed to post cross-origin"`
	TLSCert        string   `yaml:"tls_cert" env:"TLS_CERT" usage:"TLS certificate file (PEM)"`
	TLSKey         string   `yaml:"tls_key" env:"TLS_KEY" usage:"TLS key file (PEM)"`
	// SecureCookies marks cookies Secure; on by default with TLS or an
	// https base URL.
	SecureCookies   bool          `yaml:"secure_cookies" env:"SECURE_COOKIES" usage:"mark cookies Secure (automatic with TLS or an https base URL)"`
	SessionIdle     time.Duration `yaml:"session_idle" env:"SESSION_IDLE" usage:"end sessions idle this long"`
	SessionAbsolute time.Duration `yaml:"session_absolute" env:"SESSION_ABSOLUTE" usage:"end sessions this long after log-in"`
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client (for the audit log, admin networks and the log-in
	// throttle per address); from anyone else the header is ignored.
	TrustedProxies []string `yaml:"trusted_proxies" env:"TRUSTED_PROXIES" usage:"comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (empty: none)"`
	// AdminNetworks limits where administrators may log in from (C12:
	// access whitelisting for the admin side). Empty allows any address.
	AdminNetworks []string `yaml:"admin_networks" env:"ADMIN_NETWORKS" usage:"comma-separated CIDRs administrators may log in from (empty: any)"`
	// AuditReads says which reads the audit log records: none, sensitive
	// (one incident, its reports, an org's contacts; the default) or all
	// (list pages too). Exports are audited whatever it says.
	AuditReads string `yaml:"audit_reads" env:"AUDIT_READS" usage:"reads to audit: none, sensitive (an incident, its reports, contacts' phone numbers) or all (list pages too); exports are always audited"`
	// AuditRetentionDays is how long audit entries stay in the database;
	// older ones are archived to signed files (AuditArchiveDir) and only
	// then removed. The Cybersecurity Law (art. 21) asks that network logs
	// be kept at least six months, so less than MinAuditRetentionDays is
	// refused.
	AuditRetentionDays int `yaml:"audit_retention_days" env:"AUDIT_RETENTION_DAYS" usage:"days audit entries stay in the database before they are archived (at least 183: the Cybersecurity Law's six months)"`
	// AuditArchiveDir holds the signed archive files of old audit entries;
	// empty means DATA_DIR/audit-archive.
	AuditArchiveDir string `yaml:"audit_archive_dir" env:"AUDIT_ARCHIVE_DIR" usage:"directory of the signed audit archives (default DATA_DIR/audit-archive)"`
	// AuditAnchorFile is the append-only file the chain's head is written
	// to; empty means DATA_DIR/audit-anchors.log. Put it on another disk or
	// host (a mounted share), out of the database administrator's reach.
	AuditAnchorFile string `yaml:"audit_anchor_file" env:"AUDIT_ANCHOR_FILE" usage:"append-only file the audit chain's head is written to (default DATA_DIR/audit-anchors.log; put it on other storage)"`
	// AuditAnchorSyslog also sends each anchor to syslog: udp://host:port,
	// tcp://host:port, or local (/dev/log). Empty sends none.
	AuditAnchorSyslog string `yaml:"audit_anchor_syslog" env:"AUDIT_ANCHOR_SYSLOG" usage:"syslog destination of audit anchors: udp://host:port, tcp://host:port or local (empty: none)"`
	// AuditAnchorInterval is how often the head is anchored (and at
	// shutdown).
	AuditAnchorInterval time.Duration `yaml:"audit_anchor_interval" env:"AUDIT_ANCHOR_INTERVAL" usage:"how often the audit chain's head is anchored (and at shutdown)"`
	LogLevel            string        `yaml:"log_level" env:"LOG_LEVEL" usage:"debug, info, warn or error"`
	LogFormat           string        `yaml:"log_format" env:"LOG_FORMAT" usage:"text or json"`
	// SMTP is the outgoing mail relay for e-mail notifications; empty
	// SMTPHost sends no e-mail (in-app and webhooks still work).
	SMTPHost     string `yaml:"smtp_host" env:"SMTP_HOST" usage:"SMTP relay for e-mail notifications (empty: no e-mail)"`
	SMTPPort     int    `yaml:"smtp_port" env:"SMTP_PORT" usage:"SMTP port (default 587 for starttls, 465 for tls)"`
	SMTPTLS      string `yaml:"smtp_tls" env:"SMTP_TLS" usage:"starttls, tls (implicit) or none (loopback relay only)"`
	SMTPUsername string `yaml:"smtp_username" env:"SMTP_USERNAME" usage:"SMTP user name (optional)"`
	SMTPPassword string `yaml:"smtp_password" env:"SMTP_PASSWORD" usage:"SMTP password (prefer the environment variable)"`
	SMTPFrom     string `yaml:"smtp_from" env:"SMTP_FROM" usage:"sender address, e.g. 烽火平台 <fenghuo@example.gov.cn>"`
	// NotifyAllowLoopback lets webhooks reach this host's own addresses (a
	// receiver on the same machine); off, they are refused as SSRF.
	NotifyAllowLoopback bool `yaml:"notify_allow_loopback" env:"NOTIFY_ALLOW_LOOPBACK" usage:"let notification webhooks reach this host's own addresses"`
	// MonitorAllowLoopback lets website monitors reach this host's own
	// addresses; off, such a check fails as blocked (SSRF). Link-local,
	// unspecified and multicast addresses are refused either way.
	MonitorAllowLoopback bool `yaml:"monitor_allow_loopback" env:"MONITOR_ALLOW_LOOPBACK" usage:"let website monitors reach this host's own addresses"`
	// Demo seeds a believable region at the first start of an empty database.
	Demo bool `yaml:"demo" env:"DEMO" usage:"seed demo data into an empty database and print the demo accounts once"`
	// DemoSize adds that many historical incidents over the past year to
	// the demo region (with --demo, into a database without incidents).
	DemoSize int `yaml:"demo_size" env:"DEMO_SIZE" usage:"with --demo, seed this many historical incidents over the past twelve months (0: the default, 480; 1000000 for the province shape)"`
	// DemoShape is what --demo seeds: the city region (city, the default)
	// or a province around it (province: about 1,000 offices, 10,000 units
	// and 50,000 systems), for measuring the platform at a province's scale.
	DemoShape string `yaml:"demo_shape" env:"DEMO_SHAPE" usage:"with --demo, city (the default: the 云州市 region) or province (about 1,000 offices, 10,000 units, 50,000 systems around it and a million incidents)"`
}

// Defaults are the settings before any file, environment or flag.
func Defaults() Config {
	return Config{
		Listen:          "127.0.0.1:8080",
		DataDir:         "fenghuo-data",
		SMTPTLS:         "starttls",
		SessionIdle:     30 * time.Minute,
		SessionAbsolute: 12 * time.Hour,
		LogLevel:        "info",
		AuditReads:      "sensitive",
		LogFormat:       "text",
		SlowQuery:       500 * time.Millisecond,

		AuditRetentionDays:  DefaultAuditRetentionDays,
		AuditAnchorInterval: 5 * time.Minute,
		WorkLease:           30 * time.Second,
	}
}

// MinAuditRetentionDays is the shortest retention accepted: six months
// (183 days), which the Cybersecurity Law (网络安全法 art. 21) and 等保 2.0
// ask network logs and audit records to be kept.
const MinAuditRetentionDays = 183

// DefaultAuditRetentionDays keeps a year in the database.
const DefaultAuditRetentionDays = 365

// AuditArchivePath is the archive directory, DATA_DIR/audit-archive unless set.
func (c *Config) AuditArchivePath() string {
	if c.AuditArchiveDir != "" {
		return c.AuditArchiveDir
	}
	return c.Path("audit-archive")
}

// EvidencePath is the evidence directory, DATA_DIR/evidence unless set.
func (c *Config) EvidencePath() string {
	if c.EvidenceDir != "" {
		return c.EvidenceDir
	}
	return c.Path("evidence")
}

// AuditAnchorPath is the anchor file, DATA_DIR/audit-anchors.log unless set.
func (c *Config) AuditAnchorPath() string {
	if c.AuditAnchorFile != "" {
		return c.AuditAnchorFile
	}
	return c.Path("audit-anchors.log")
}

// DBURL is the database to open.
func (c *Config) DBURL() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "fenghuo.db")
}

// Path returns a path inside the data directory.
func (c *Config) Path(parts ...string) string {
	return filepath.Join(append([]string{c.DataDir}, parts...)...)
}

// Bind registers a flag for every field on fs, so flags override the file
// and the environment. Call Load after fs.Parse.
func Bind(fs *flag.FlagSet, c *Config) *string {
	return BindOnly(fs, c)
}

// DataSettings are the settings of the commands that only open the data
// directory and the database (user, audit, backup, restore, probe register).
var DataSettings = []string{"data_dir", "db", "log_level", "log_format"}

// AuditSettings are the settings of the audit commands (verify, archive,
// anchor): the data settings, the retention and where the archives and the
// anchors go.
var AuditSettings = append(slices.Clip(DataSettings), "audit_retention_days", "audit_archive_dir", "audit_anchor_file", "audit_anchor_syslog")

// BindOnly is Bind for the named settings only (their YAML names, e.g.
// "data_dir"), so that a command's --help lists the flags it uses. With no
// names it binds every field. The file and the environment still supply
// the rest.
func BindOnly(fs *flag.FlagSet, c *Config, names ...string) *string {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		yamlName := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if len(names) > 0 && !slices.Contains(names, yamlName) {
			continue
		}
		fs.Var(&fieldValue{v.Field(i)}, strings.ReplaceAll(yamlName, "_", "-"), f.Tag.Get("usage"))
	}
	return fs.String("config", "", "optional YAML configuration `file`")
}

// Load builds the configuration: defaults, then file (if any), then the
// environment, then the flags that were set on fs.
func Load(fs *flag.FlagSet, file string, getenv func(string) string) (Config, error) {
	c := Defaults()
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return c, fenghuo.Errorf(fenghuo.EINVALID, "cannot read the configuration file: %v", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return c, fenghuo.Errorf(fenghuo.EINVALID, "%s: %v", file, err)
		}
	}
	v := reflect.ValueOf(&c).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		key := "FENGHUO_" + t.Field(i).Tag.Get("env")
		if s := getenv(key); s != "" {
			if err := (&fieldValue{v.Field(i)}).Set(s); err != nil {
				return c, fenghuo.Errorf(fenghuo.EINVALID, "%s: %v", key, err)
			}
		}
	}
	var ferr error
	fs.Visit(func(f *flag.Flag) {
		if fv, ok := f.Value.(*fieldValue); ok && ferr == nil {
			name := strings.ReplaceAll(f.Name, "-", "_")
			for i := 0; i < t.NumField(); i++ {
				if strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0] == name {
					ferr = (&fieldValue{v.Field(i)}).Set(fv.String())
				}
			}
		}
	})
	if ferr != nil {
		return c, ferr
	}
	return c, c.Validate()
}

// Validate checks the configuration with messages a person can act on.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fenghuo.Errorf(fenghuo.EINVALID, "listen %q is not host:port (e.g. 127.0.0.1:8080)", c.Listen)
	}
	if c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil {
			return fenghuo.Errorf(fenghuo.EINVALID, "metrics_listen %q is not host:port (e.g. 127.0.0.1:9090)", c.MetricsListen)
		}
		if c.MetricsListen == c.Listen {
			return fenghuo.Errorf(fenghuo.EINVALID, "metrics_listen must differ from listen (%s): /metrics has a listener of its own", c.Listen)
		}
	}
	if c.PprofListen != "" {
		if _, _, err := net.SplitHostPort(c.PprofListen); err != nil {
			return fenghuo.Errorf(fenghuo.EINVALID, "pprof_listen %q is not host:port (e.g. 127.0.0.1:6060)", c.PprofListen)
		}
		if c.PprofListen == c.Listen || c.PprofListen == c.MetricsListen {
			return fenghuo.Errorf(fenghuo.EINVALID, "pprof_listen must differ from listen and metrics_listen: the profiler has a listener of its own")
		}
	}
	if c.WorkLease < 10*time.Second {
		return fenghuo.Errorf(fenghuo.EINVALID, "work_lease %s: give at least 10s (default 30s). / 工作租约至少为 10 秒。", c.WorkLease)
	}
	if c.SlowQuery < 0 {
		return fenghuo.Errorf(fenghuo.EINVALID, "slow_query %s: give a duration such as 500ms, or 0 to turn it off", c.SlowQuery)
	}
	if c.DataDir == "" {
		return fenghuo.Errorf(fenghuo.EINVALID, "data_dir is required")
	}
	if c.SMTPHost != "" && c.SMTPTLS != "starttls" && c.SMTPTLS != "tls" && c.SMTPTLS != "none" {
		return fenghuo.Errorf(fenghuo.EINVALID, "smtp_tls %q: use starttls, tls or none", c.SMTPTLS)
	}
	if c.SMTPHost != "" && c.SMTPFrom == "" {
		return fenghuo.Errorf(fenghuo.EINVALID, "smtp_from is required with smtp_host")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fenghuo.Errorf(fenghuo.EINVALID, "base_url %q is not an http(s) URL", c.BaseURL)
		}
		if u.Scheme == "https" {
			c.SecureCookies = true
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fenghuo.Errorf(fenghuo.EINVALID, "give both tls_cert and tls_key, or neither")
	}
	if c.TLSCert != "" {
		c.SecureCookies = true
	}
	if c.SessionIdle < time.Minute || c.SessionAbsolute < c.SessionIdle {
		return fenghuo.Errorf(fenghuo.EINVALID, "session_idle must be at least 1m and session_absolute at least session_idle")
	}
	switch c.AuditReads {
	case "none", "sensitive", "all":
	default:
		return fenghuo.Errorf(fenghuo.EINVALID, "audit_reads: %q is not none, sensitive or all", c.AuditReads)
	}
	if c.AuditRetentionDays < MinAuditRetentionDays {
		return fenghuo.Errorf(fenghuo.EINVALID, "audit_retention_days %d is below %d days: the Cybersecurity Law (art. 21) requires network logs to be kept at least six months. / "+
			"审计记录保存期限 %d 天少于 %d 天：《网络安全法》第二十一条要求网络日志留存不少于六个月。", c.AuditRetentionDays, MinAuditRetentionDays, c.AuditRetentionDays, MinAuditRetentionDays)
	}
	if c.AuditRetentionDays > 100*366 {
		return fenghuo.Errorf(fenghuo.EINVALID, "audit_retention_days %d: give at most 36600 days. / 审计记录保存期限不应超过 36600 天。", c.AuditRetentionDays)
	}
	if c.AuditAnchorInterval < time.Second {
		return fenghuo.Errorf(fenghuo.EINVALID, "audit_anchor_interval %s: give at least 1s (default 5m). / 锚定间隔至少为 1 秒。", c.AuditAnchorInterval)
	}
	if err := CheckSyslogDestination(c.AuditAnchorSyslog); err != nil {
		return err
	}
	for _, p := range c.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				return fenghuo.Errorf(fenghuo.EINVALID, "trusted_proxies: %q is not an address or a CIDR such as 10.0.0.0/8", p)
			}
		}
	}
	for _, n := range c.AdminNetworks {
		if _, _, err := net.ParseCIDR(n); err != nil {
			return fenghuo.Errorf(fenghuo.EINVALID, "admin_networks: %q is not a CIDR such as 10.0.0.0/8", n)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fenghuo.Errorf(fenghuo.EINVALID, "log_level %q: use debug, info, warn or error", c.LogLevel)
	}
	if c.DemoSize < 0 || c.DemoSize > 10_000_000 {
		return fenghuo.Errorf(fenghuo.EINVALID, "demo_size %d: give a number of incidents from 0 to 10000000", c.DemoSize)
	}
	if c.DemoSize > 0 && !c.Demo {
		return fenghuo.Errorf(fenghuo.EINVALID, "demo_size needs --demo: historical incidents are seeded into the demo region")
	}
	switch c.DemoShape {
	case "", "city", "province":
	default:
		return fenghuo.Errorf(fenghuo.EINVALID, "demo_shape %q: use city (the default) or province. / 演示规模“%s”未知：可选 city（默认）或 province。", c.DemoShape, c.DemoShape)
	}
	if c.DemoShape != "" && !c.Demo {
		return fenghuo.Errorf(fenghuo.EINVALID, "demo_shape needs --demo: the shape is that of the demo data. / demo_shape 须与 --demo 一同使用。")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fenghuo.Errorf(fenghuo.EINVALID, "log_format %q: use text or json", c.LogFormat)
	}
	return nil
}

// Dump writes the configuration as YAML, with the database URL's and the
// SMTP passwords hidden: what the server believes, for --config-dump.
func (c Config) Dump(w io.Writer) error {
	if u, err := url.Parse(c.DB); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			c.DB = u.String()
		}
	}
	if c.SMTPPassword != "" {
		c.SMTPPassword = "xxxxx"
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	return enc.Encode(c)
}

// fieldValue adapts a Config field to flag.Value.
type fieldValue struct{ v reflect.Value }

func (f *fieldValue) String() string {
	if !f.v.IsValid() {
		return ""
	}
	switch x := f.v.Interface().(type) {
	case []string:
		return strings.Join(x, ",")
	case time.Duration:
		return x.String()
	}
	return fmt.Sprint(f.v.Interface())
}

func (f *fieldValue) Set(s string) error {
	switch f.v.Kind() {
	case reflect.String:
		f.v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%q is not true or false", s)
		}
		f.v.SetBool(b)
	case reflect.Int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", s)
		}
		f.v.SetInt(int64(n))
	case reflect.Int64:
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 30m or 12h", s)
		}
		f.v.SetInt(int64(d))
	case reflect.Slice:
		var parts []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		f.v.Set(reflect.ValueOf(parts))
	}
	return nil
}

// IsBoolFlag lets --demo stand alone.
func (f *fieldValue) IsBoolFlag() bool { return f.v.IsValid() && f.v.Kind() == reflect.Bool }

// CheckSyslogDestination checks an audit_anchor_syslog value: empty,
// "local", or udp:// or tcp:// with host:port.
func CheckSyslogDestination(dest string) error {
	if dest == "" || dest == "local" {
		return nil
	}
	u, err := url.Parse(dest)
	if err == nil && (u.Scheme == "udp" || u.Scheme == "tcp") && u.Path == "" && u.User == nil {
		if _, port, err := net.SplitHostPort(u.Host); err == nil && port != "" {
			return nil
		}
	}
	return fenghuo.Errorf(fenghuo.EINVALID, "audit_anchor_syslog %q: give udp://host:port, tcp://host:port or local. / 锚点的 syslog 目的地应为 udp://host:port、tcp://host:port 或 local。", dest)
}
