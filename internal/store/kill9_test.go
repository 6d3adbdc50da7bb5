package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// The kill -9 test re-executes this test binary as a child that writes orgs
// and prints "ack ID" after each commit returns. The parent SIGKILLs it
// mid-stream, reopens the file and checks that every acknowledged org is
// there: an acknowledged write survives the process dying at any point.

const childEnv = "FENGHUO_STORE_DURABILITY_CHILD"

func runDurabilityChild() {
	db, err := Open(context.Background(), os.Getenv(childEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	root := &fenghuo.Org{Name: "root", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator}
	if err := db.CreateOrg(context.Background(), root); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				o := &fenghuo.Org{ParentID: root.ID, Name: fmt.Sprintf("w%d-%d", w, i), Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator}
				if err := db.CreateOrg(context.Background(), o); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "ack %d\n", o.ID) // os.Stdout is unbuffered
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	os.Exit(0)
}

func TestKill9KeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	path := filepath.Join(t.TempDir(), "kill9.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=sqlite:"+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())

	var acked []string
	sc := bufio.NewScanner(out)
	killed := false
	deadline := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		id, ok := strings.CutPrefix(sc.Text(), "ack ")
		if !ok {
			t.Fatalf("child printed %q", sc.Text())
		}
		acked = append(acked, id)
		if len(acked) == 300 && !killed {
			must(t, cmd.Process.Signal(syscall.SIGKILL))
			killed = true
		}
	}
	// Acks already in the pipe when the signal landed count too.
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended before it was killed: %v", err)
	}

	db := MustOpenDSN(t, "sqlite:"+path)
	rows, err := db.read.Query("SELECT id FROM orgs")
	must(t, err)
	have := map[string]bool{}
	for rows.Next() {
		var id int64
		must(t, rows.Scan(&id))
		have[itoa(id)] = true
	}
	must(t, rows.Err())
	rows.Close()
	var lost []string
	for _, id := range acked {
		if !have[id] {
			lost = append(lost, id)
		}
	}
	if len(lost) > 0 {
		t.Fatalf("%d of %d acknowledged orgs lost after kill -9: %v", len(lost), len(acked), lost)
	}
	t.Logf("%d acknowledged writes, %d orgs found after kill -9", len(acked), len(have))
}
