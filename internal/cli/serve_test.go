package cli

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `fenghuo serve` in the background until the test stops
// it; it returns once the server says it is running.
func startServe(t *testing.T, args ...string) (stop func() (int, string)) {
	t.Helper()
	stop, _ = startServeOut(t, args...)
	return stop
}

// startServeOut is startServe that also returns what serve prints.
func startServeOut(t *testing.T, args ...string) (stop func() (int, string), out *syncBuffer) {
	t.Helper()
	out = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	var errb syncBuffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: &errb, Getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, env, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)) }()
	for !strings.Contains(out.String(), "Fenghuo is running at") {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited %d: %s", code, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	var once sync.Once
	var code int
	stop = func() (int, string) {
		once.Do(func() { cancel(); code = <-done })
		return code, errb.String()
	}
	t.Cleanup(func() { stop() })
	return stop, out
}

// A second serve on the same SQLite data directory is refused, naming the
// process that has it; once that one stops, the directory is free again.
// Shutdown says what it does.
func TestSecondServeOnSameDataDirRefused(t *testing.T) {
	dir := t.TempDir()
	stop := startServe(t, "--data-dir", dir)
	code, out, errOut := runCLI(t, "", "serve", "--listen", "127.0.0.1:0", "--data-dir", dir)
	want := "data directory " + dir + " is in use by process " + strconv.Itoa(os.Getpid()) + " (fenghuo serve); replicas need PostgreSQL"
	if code != 1 || !strings.Contains(errOut, want) || strings.Contains(out, "running") {
		t.Errorf("second serve: exit %d\nstdout %s\nstderr %s\nwant %q", code, out, errOut, want)
	}
	code, logs := stop()
	if code != 0 {
		t.Fatalf("first serve exit %d: %s", code, logs)
	}
	for _, want := range []string{"shutting down", "requests drained", "stopping the obligation scheduler", "fenghuo stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("shutdown log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Index(logs, "shutting down") > strings.Index(logs, "fenghuo stopped") {
		t.Errorf("stopped logged before shutting down:\n%s", logs)
	}
	startServe(t, "--data-dir", dir) // the lock went with the first server
}

// A port already in use fails before any data is created.
func TestServePortInUseLeavesNoData(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := filepath.Join(t.TempDir(), "fenghuo-data")
	code, _, errOut := runCLI(t, "", "serve", "--listen", ln.Addr().String(), "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, "cannot listen on "+ln.Addr().String()) {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("a failed start left %s behind", dir)
	}
}
