package syslogd_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/syslogd"
)

// TestIntoTheIntake runs the receiver on the application's intake
// service (its real Sink and Resolver): logger's messages from loopback,
// bound to a unit's syslog source, are stored under that unit, in order;
// those from an address bound to nothing are not.
func TestIntoTheIntake(t *testing.T) {
	logger, err := exec.LookPath("logger")
	if err != nil {
		t.Skip("logger (util-linux) is not installed")
	}
	ctx := context.Background()
	e := apptest.New(t)
	u, _ := e.User(t, "school-reporter", "school", fenghuo.RoleUnitReporter)
	reporter := e.Actor(t, u)
	src, _, err := e.App.Intake.CreateSource(ctx, reporter, intake.SourceInput{OrgID: e.Orgs["school"].ID, Name: "school-rsyslog",
		Kind: "syslog", Addresses: []string{"127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := syslogd.New(syslogd.Config{Sink: e.App.Intake, Resolver: e.App.Intake, TCP: "127.0.0.1:0", UDP: "[::1]:0",
		BatchSize: 8, BatchWait: 50 * time.Millisecond, Now: e.App.Core.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(ctx)
	const n = 30
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("Failed password for root from 203.0.113.%d port 22 ssh2", i))
	}
	_, port, _ := net.SplitHostPort(s.Addr("tcp").String())
	cmd := exec.Command(logger, "--rfc3164", "-T", "--octet-count", "-n", "127.0.0.1", "-P", port, "-t", "sshd", "--id=977", "-p", "auth.info")
	cmd.Env = append(os.Environ(), "TZ=CST-8")
	cmd.Stdin = strings.NewReader(strings.Join(want, "\n") + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("logger: %v\n%s", err, out)
	}
	// From ::1, which no source is bound to.
	if c, err := net.Dial("udp", s.Addr("udp").String()); err == nil {
		fmt.Fprint(c, "<38>Dec  7 14:11:03 stranger sshd: not for us")
		c.Close()
	} else {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for st := s.Stats(); st.Accepted < n || st.Dropped[syslogd.DropUnbound] < 1; st = s.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	host, _ := os.Hostname()
	page, err := e.App.Intake.Events(ctx, reporter, intake.EventQuery{Match: map[string]string{"host.name": host}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != n {
		t.Fatalf("%d events stored, want %d", len(page.Items), n)
	}
	for i, ev := range page.Items {
		k := n - 1 - i // newest first
		var fields map[string]any
		if err := json.Unmarshal([]byte(ev.Fields), &fields); err != nil {
			t.Fatal(err)
		}
		if ev.OrgID != e.Orgs["school"].ID || ev.SourceID != src.ID || ev.Kind != "syslog" || fields["message"] != want[k] ||
			fields["process.name"] != "sshd" || fields["log.syslog.facility.name"] != "auth" || fields["log.syslog.severity.name"] != "informational" ||
			!strings.Contains(ev.Raw, want[k]) {
			t.Fatalf("stored event %d: %+v", k, ev)
		}
	}
}
