package syslogd

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestRsyslog runs a real rsyslogd in the foreground with a configuration
// of its own: it reads lines appended to a file (imfile) and forwards them
// with omfwd to the receiver over TCP (octet-counted and LF-framed) and
// TLS (gtls, x509/name, a certificate made here), in RFC 5424 and in the
// traditional RFC 3164 format. Every line must arrive, in order, with the
// facility, severity, tag and hostname rsyslog was told to give it.
func TestRsyslog(t *testing.T) {
	rsyslogd, err := exec.LookPath("rsyslogd")
	if err != nil {
		for _, p := range []string{"/usr/sbin/rsyslogd", "/sbin/rsyslogd"} {
			if _, e := os.Stat(p); e == nil {
				rsyslogd, err = p, nil
			}
		}
	}
	if err != nil {
		t.Skip("rsyslogd is not installed (Debian packages rsyslog and rsyslog-gnutls; scripts/test.sh installs them)")
	}
	gtls, _ := filepath.Glob("/usr/lib/*/rsyslog/lmnsd_gtls.so")
	more, _ := filepath.Glob("/usr/lib*/rsyslog/lmnsd_gtls.so")
	gtls = append(gtls, more...)
	for _, tt := range []struct {
		name      string
		transport string
		framing   string
		template  string
		rfc5424   bool
	}{
		{"TCP octet-counted RFC 5424", "tcp", "octet-counted", "RSYSLOG_SyslogProtocol23Format", true},
		{"TCP LF-framed RFC 3164", "tcp", "traditional", "RSYSLOG_TraditionalForwardFormat", false},
		{"TLS octet-counted RFC 5424", "tls", "octet-counted", "RSYSLOG_SyslogProtocol23Format", true},
		{"TLS LF-framed RFC 3164", "tls", "traditional", "RSYSLOG_TraditionalForwardFormat", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.transport == "tls" && len(gtls) == 0 {
				t.Skip("rsyslog's gtls driver is not installed (Debian package rsyslog-gnutls; scripts/test.sh installs it)")
			}
			t.Parallel()
			dir := t.TempDir()
			sink := &recordingSink{}
			cfg := Config{Sink: sink, BatchSize: 8, BatchWait: 50 * time.Millisecond}
			driver, caFile := "", ""
			if tt.transport == "tls" {
				cfg.TLS = "-"
				cfg.TLSCert, cfg.TLSKey = writeCertificates(t, dir)
				caFile = fmt.Sprintf("defaultNetstreamDriverCAFile=%q", filepath.Join(dir, "ca.pem"))
				driver = `StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="syslog.fenghuo.test"`
			} else {
				cfg.TCP = "-"
			}
			s := startServer(t, cfg)
			input := filepath.Join(dir, "app.log")
			want := lines(tt.name, 60)
			appendLines(t, input, want[:30]) // read at start, the rest as it is written
			conf := fmt.Sprintf(`global(workDirectory=%q localHostName="rsyslog-sender" %s)
module(load="imfile")
input(type="imfile" file=%q tag="webapp:" facility="local4" severity="error" ruleset="forward")
ruleset(name="forward") {
	action(type="omfwd" target="127.0.0.1" port=%q protocol="tcp" tcp_framing=%q template=%q %s)
}
`, dir, caFile, input, port(s, tt.transport), tt.framing, tt.template, driver)
			startRsyslog(t, rsyslogd, dir, conf)
			waitFor(t, 20*time.Second, "the first lines", func() bool { return len(sink.events()) >= 30 })
			appendLines(t, input, want[30:])
			waitFor(t, 20*time.Second, "every line", func() bool { return len(sink.events()) >= len(want) })
			got := sink.events()
			checkMessages(t, got, want)
			for i, ev := range got {
				for key, v := range map[string]any{
					"log.syslog.facility.code": 20.0, "log.syslog.facility.name": "local4",
					"log.syslog.severity.code": 3.0, "log.syslog.severity.name": "error", "log.syslog.priority": 163.0,
					"process.name": "webapp", "host.hostname": "rsyslog-sender",
				} {
					if ev.Fields[key] != v {
						t.Fatalf("event %d: %s = %#v, want %#v (raw %q)", i, key, ev.Fields[key], v, ev.Raw)
					}
				}
				if _, ok := ev.Fields["log.syslog.version"]; ok != tt.rfc5424 {
					t.Fatalf("event %d: RFC 5424 %v, want %v (raw %q)", i, ok, tt.rfc5424, ev.Raw)
				}
				if d := time.Since(ev.Time); d < -time.Minute || d > time.Minute {
					t.Fatalf("event %d: time %v is not now (raw %q)", i, ev.Time, ev.Raw)
				}
			}
			st := s.Stats()
			if st.Accepted != uint64(len(want)) || len(st.Dropped) != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func appendLines(t *testing.T, path string, lines []string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(strings.Join(lines, "\n") + "\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// lockedBuffer collects a process's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startRsyslog runs rsyslogd in the foreground on conf, with its pid file
// and work directory in dir, its clock in China Standard Time, and stops
// it at the end of the test (its output is shown if the test failed).
func startRsyslog(t *testing.T, rsyslogd, dir, conf string) {
	t.Helper()
	path := filepath.Join(dir, "rsyslog.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	check := exec.Command(rsyslogd, "-N1", "-f", path)
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("rsyslogd -N1 refuses the configuration: %v\n%s\n%s", err, out, conf)
	}
	out := &lockedBuffer{}
	cmd := exec.Command(rsyslogd, "-n", "-f", path, "-i", filepath.Join(dir, "rsyslogd.pid"))
	cmd.Env = beijing
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("rsyslogd output:\n%s", out.String())
		}
	})
}

// writeCertificates makes a CA and a server certificate for
// syslog.fenghuo.test and 127.0.0.1 signed by it, in dir: ca.pem (for
// rsyslog) and the server's certificate and key files.
func writeCertificates(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Fenghuo test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "syslog.fenghuo.test"},
		DNSNames: []string{"syslog.fenghuo.test"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("ca.pem", "CERTIFICATE", caDER)
	return write("server.pem", "CERTIFICATE", leafDER), write("server.key", "PRIVATE KEY", keyDER)
}
