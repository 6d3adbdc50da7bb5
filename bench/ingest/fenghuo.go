package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// install is one Fenghuo installation: the binary, its data directory and
// its database (the SQLite file in the data directory, or a PostgreSQL
// database).
type install struct {
	bin, dataDir string
	db           string // "" for SQLite in the data directory
	engine       string // "sqlite" or "postgres"
}

func (in *install) args(cmd ...string) []string {
	a := append(cmd, "--data-dir", in.dataDir)
	if in.db != "" {
		a = append(a, "--db", in.db)
	}
	return a
}

// cli runs a fenghuo command with stdin and returns its standard output.
func (in *install) cli(stdin string, cmd ...string) (string, error) {
	c := exec.Command(in.bin, in.args(cmd...)...)
	c.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		return out.String(), fmt.Errorf("fenghuo %s: %v\n%s%s", strings.Join(cmd, " "), err, out.String(), errb.String())
	}
	return out.String(), nil
}

var orgInOutput = regexp.MustCompile(`\(org (\d+)\)`)

// createAccounts makes the first administrator (and with it the city
// office, the top organisation) and a commander of the office, as a new
// installation does (README: there is no default account). The commander's
// password is the one returned; administrators would need TOTP.
func (in *install) createAccounts() (orgID int64, password string, err error) {
	out, err := in.cli("", "user", "create", "--admin", "--username", "sysadmin", "--org-name", "基准市委网信办", "--org-level", "city")
	if err != nil {
		return 0, "", err
	}
	m := orgInOutput.FindStringSubmatch(out)
	if m == nil {
		return 0, "", fmt.Errorf("user create printed no org id: %q", out)
	}
	orgID, _ = strconv.ParseInt(m[1], 10, 64)
	var b [12]byte
	rand.Read(b[:])
	password = "Bench-" + hex.EncodeToString(b[:]) + "-烽火"
	_, err = in.cli(password+"\n", "user", "create", "--username", "commander", "--role", "commander", "--org", m[1], "--password-stdin")
	return orgID, password, err
}

// server is a running `fenghuo serve`.
type server struct {
	cmd    *exec.Cmd
	api    string // http://127.0.0.1:PORT
	syslog string // 127.0.0.1:PORT (TCP)
	exited chan struct{}
	err    error // the process's exit, once exited is closed
	output *lockedBuffer
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

var (
	runningAt  = regexp.MustCompile(`Fenghuo is running at (http://[0-9.:]+)/`)
	syslogAtTC = regexp.MustCompile(`Syslog receiver on tcp ([0-9.:]+) `)
)

// start runs `fenghuo serve` on free loopback ports with the syslog
// receiver on TCP, and returns once it says where it listens. extra are
// more flags; env more environment variables.
func (in *install) start(env []string, extra ...string) (*server, error) {
	args := in.args(append([]string{"serve", "--listen", "127.0.0.1:0", "--syslog-tcp", "127.0.0.1:0", "--log-level", "warn"}, extra...)...)
	s := &server{cmd: exec.Command(in.bin, args...), exited: make(chan struct{}), output: &lockedBuffer{}}
	s.cmd.Env = append(os.Environ(), env...)
	s.cmd.Stderr = s.output
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			s.output.Write([]byte(line + "\n"))
			if m := runningAt.FindStringSubmatch(line); m != nil {
				s.api = m[1]
			}
			if m := syslogAtTC.FindStringSubmatch(line); m != nil {
				s.syslog = m[1]
			}
			if !signalled && s.api != "" && s.syslog != "" {
				signalled = true
				close(ready)
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { s.err = s.cmd.Wait(); close(s.exited) }()
	select {
	case <-ready:
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("fenghuo serve exited before listening: %v\n%s", s.err, s.output.String())
	case <-time.After(2 * time.Minute):
		s.kill()
		return nil, fmt.Errorf("fenghuo serve did not start within 2 minutes\n%s", s.output.String())
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// stop asks serve to stop (SIGTERM: it commits what it has read) and waits.
func (s *server) stop() error {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		var ee *exec.ExitError
		if s.err != nil && !errors.As(s.err, &ee) {
			return s.err
		}
		if s.err != nil {
			return fmt.Errorf("fenghuo serve: %v\n%s", s.err, tail(s.output.String(), 2000))
		}
		return nil
	case <-time.After(60 * time.Second):
		s.kill()
		return errors.New("fenghuo serve did not stop within 60 s of SIGTERM; killed")
	}
}

// kill ends serve at once (SIGKILL) and waits for it.
func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// client calls the JSON API as a person's script would.
type client struct {
	base  string
	token string
	hc    *http.Client
}

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: base, hc: &http.Client{Jar: jar, Timeout: 10 * time.Minute}}
}

// call sends body (JSON unless it is []byte) and decodes the answer into
// out; an answer other than want is an error with the server's message.
func (c *client) call(ctx context.Context, method, path string, body any, want int, out any) error {
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if rd != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, tail(string(data), 600))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// login opens a console session as the commander and issues the write
// token the setup script uses (tokens come only from a session).
func (c *client) login(ctx context.Context, user, password string) error {
	if err := c.call(ctx, "POST", "/api/v1/session", map[string]string{"username": user, "password": password}, http.StatusOK, nil); err != nil {
		return err
	}
	var tok struct {
		Token string `json:"token"`
	}
	if err := c.call(ctx, "POST", "/api/v1/tokens", map[string]any{"name": "基准测试脚本", "scope": "write", "expires_days": 1}, http.StatusCreated, &tok); err != nil {
		return err
	}
	c.token = tok.Token
	c.hc.Jar = nil // the token from here on, as a script would
	return nil
}
