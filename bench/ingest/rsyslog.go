package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// findRsyslogd returns the path of rsyslogd, or "" when it is not installed.
func findRsyslogd() string {
	if p, err := exec.LookPath("rsyslogd"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/rsyslogd", "/sbin/rsyslogd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// rsyslog is a private rsyslogd: imtcp on a loopback port, every message
// written as received (%rawmsg%) to one file by omfile.
type rsyslog struct {
	cmd    *exec.Cmd
	addr   string
	out    string
	exited chan struct{}
	output *lockedBuffer
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func startRsyslog(bin, dir string) (*rsyslog, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	r := &rsyslog{addr: "127.0.0.1:" + strconv.Itoa(port), out: filepath.Join(dir, "messages.log"), exited: make(chan struct{}), output: &lockedBuffer{}}
	// maxMessageSize as Fenghuo's receiver; the main queue as large as the
	// default (omfile keeps up, the queue does not fill).
	conf := fmt.Sprintf(`global(workDirectory=%q maxMessageSize="64k")
module(load="imtcp")
template(name="raw" type="string" string="%%rawmsg%%\n")
input(type="imtcp" address="127.0.0.1" port="%d" ruleset="bench")
ruleset(name="bench") {
	action(type="omfile" file=%q template="raw")
}
`, dir, port, r.out)
	path := filepath.Join(dir, "rsyslog.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return nil, err
	}
	if out, err := exec.Command(bin, "-N1", "-f", path).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("rsyslogd -N1 refuses the configuration: %v\n%s", err, out)
	}
	r.cmd = exec.Command(bin, "-n", "-f", path, "-i", filepath.Join(dir, "rsyslogd.pid"))
	r.cmd.Stdout, r.cmd.Stderr = r.output, r.output
	if err := r.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { r.cmd.Wait(); close(r.exited) }()
	for deadline := time.Now().Add(30 * time.Second); ; {
		c, err := net.Dial("tcp", r.addr)
		if err == nil {
			c.Close()
			return r, nil
		}
		select {
		case <-r.exited:
			return nil, fmt.Errorf("rsyslogd exited: %s", r.output.String())
		default:
		}
		if time.Now().After(deadline) {
			r.stop()
			return nil, errors.New("rsyslogd did not listen within 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// size is how many bytes the file holds now.
func (r *rsyslog) size() int64 {
	st, err := os.Stat(r.out)
	if err != nil {
		return 0
	}
	return st.Size()
}

// waitWritten waits until the file holds want bytes after offset base (or
// stays the same size for 5 s) and returns how many lines it holds after
// base and when it got there.
func (r *rsyslog) waitWritten(base, want int64) (lines int64, at time.Time, err error) {
	var last int64 = -1
	lastChange := time.Now()
	for {
		size := r.size() - base
		now := time.Now()
		if size != last {
			last, lastChange = size, now
		}
		if size >= want || now.Sub(lastChange) > 5*time.Second {
			at = lastChange
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	f, err := os.Open(r.out)
	if err != nil {
		return 0, at, err
	}
	defer f.Close()
	if _, err := f.Seek(base, io.SeekStart); err != nil {
		return 0, at, err
	}
	buf := make([]byte, 1<<20)
	for {
		n, err := f.Read(buf)
		lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		if err == io.EOF {
			return lines, at, nil
		}
		if err != nil {
			return lines, at, err
		}
	}
}

func (r *rsyslog) stop() {
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(30 * time.Second):
		r.cmd.Process.Kill()
		<-r.exited
	}
}
