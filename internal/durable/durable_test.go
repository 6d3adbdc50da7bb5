package durable

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// record replaces the sync steps with ones that log what they sync, in
// order, and still sync.
func record(t *testing.T) *[]string {
	t.Helper()
	var log []string
	oldFile, oldDir := syncFile, syncDir
	syncFile = func(f *os.File) error { log = append(log, "file "+filepath.Base(f.Name())); return oldFile(f) }
	syncDir = func(dir string) error { log = append(log, "dir "+dir); return oldDir(dir) }
	t.Cleanup(func() { syncFile, syncDir = oldFile, oldDir })
	return &log
}

func TestWriteFileSyncsFileThenRenamesThenSyncsDir(t *testing.T) {
	log := record(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.bak")
	var sawTemp string
	err := WriteFile(path, 0o640, func(w io.Writer) error {
		sawTemp = w.(*os.File).Name()
		_, err := io.WriteString(w, "hello")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "hello" {
		t.Errorf("content %q", data)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v", info.Mode())
	}
	if filepath.Dir(sawTemp) != dir || sawTemp == path {
		t.Errorf("wrote %s, not a temporary file beside %s", sawTemp, path)
	}
	want := []string{"file " + filepath.Base(sawTemp), "dir " + dir}
	if !slices.Equal(*log, want) {
		t.Errorf("syncs %q, want %q", *log, want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left %d files behind", len(entries))
	}
}

func TestWriteFileFailureKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.bak")
	os.WriteFile(path, []byte("old"), 0o600)
	err := WriteFile(path, 0o600, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("disk full")
	})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("content %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left %d files behind", len(entries))
	}
}

func TestCreateNewRefusesAnExistingFile(t *testing.T) {
	log := record(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.key")
	if err := CreateNew(path, 0o600, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if len(*log) != 2 || !strings.HasPrefix((*log)[0], "file .audit.key.tmp-") || (*log)[1] != "dir "+dir {
		t.Errorf("syncs %q", *log)
	}
	if err := CreateNew(path, 0o600, []byte("two")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second create: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "one" {
		t.Errorf("content %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left %d files behind", len(entries))
	}
}

func TestCloseSyncsFileAndDirectory(t *testing.T) {
	log := record(t)
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "evidence"))
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("data")
	if err := Close(f); err != nil {
		t.Fatal(err)
	}
	want := []string{"file evidence", "dir " + dir}
	if !slices.Equal(*log, want) {
		t.Errorf("syncs %q, want %q", *log, want)
	}
}
