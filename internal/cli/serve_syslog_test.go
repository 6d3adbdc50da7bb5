package cli

import (
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// serve starts the syslog receiver on the addresses given and stops it on
// shutdown, saying what it received.
func TestServeSyslogReceiver(t *testing.T) {
	stop, out := startServeOut(t, "--data-dir", t.TempDir(), "--syslog-tcp", "127.0.0.1:0", "--syslog-udp", "127.0.0.1:0")
	m := regexp.MustCompile(`Syslog receiver on tcp (127\.0\.0\.1:\d+)`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "Syslog receiver on udp 127.0.0.1:") {
		t.Fatalf("serve did not say where it receives syslog:\n%s", out.String())
	}
	c, err := net.Dial("tcp", m[1])
	if err != nil {
		t.Fatal(err)
	}
	// No intake source is bound to loopback: the message is read and dropped.
	if _, err := c.Write([]byte("<38>1 2026-12-07T06:00:00Z web01 sshd 977 - - Failed password\n")); err != nil {
		t.Fatal(err)
	}
	c.Close()
	time.Sleep(300 * time.Millisecond)
	code, logs := stop()
	if code != 0 {
		t.Fatalf("serve exit %d: %s", code, logs)
	}
	if !strings.Contains(logs, "syslog receiver stopped") || !strings.Contains(logs, "received=1") || !strings.Contains(logs, "unbound:1") {
		t.Errorf("shutdown log:\n%s", logs)
	}
}

func TestServeSyslogFlagsRefused(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--syslog-tls", "127.0.0.1:0"}, 1, "needs a certificate and a key file"},
		{[]string{"--syslog-tls-cert", "cert.pem"}, 2, "need --syslog-tls ADDR"},
		{[]string{"--syslog-tls", "127.0.0.1:0", "--syslog-tls-cert", "missing.pem", "--syslog-tls-key", "missing.key"}, 1, "TLS certificate"},
	} {
		args := append([]string{"serve", "--listen", "127.0.0.1:0", "--data-dir", t.TempDir()}, tt.args...)
		code, _, errOut := runCLI(t, "", args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", tt.args, code, tt.code, tt.want, errOut)
		}
	}
}
