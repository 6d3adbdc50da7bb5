// Package durable writes files so that they survive a power cut once the
// call returns: the file's data is synced, and so is the directory entry
// that names it. Anything the database records about a file (an evidence
// row with its SM3 digest, a key the audit chain depends on) is written
// with it before the database commit, never after.
package durable

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// The steps are variables so that the package's own tests can record their
// order; nothing else changes them.
var (
	syncFile = (*os.File).Sync
	syncDir  = syncDirectory
)

// SyncDir syncs a directory, so that files created, renamed or removed in it
// stay so after a crash. On Windows, where directories cannot be opened for
// syncing, it does nothing (NTFS journals the metadata).
func SyncDir(dir string) error { return syncDir(dir) }

func syncDirectory(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// Close syncs f, closes it and syncs the directory it is in: after Close
// returns nil the file and its name are on disk.
func Close(f *os.File) error {
	err := syncFile(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", f.Name(), err)
	}
	return SyncDir(filepath.Dir(f.Name()))
}

// WriteFile writes path with what write produces, atomically and durably:
// into a temporary file beside it, synced, renamed over path, and the
// directory synced. A failed write leaves path as it was (or absent) and no
// temporary file. The file gets mode perm.
func WriteFile(path string, perm fs.FileMode, write func(io.Writer) error) error {
	tmp, err := createTemp(path, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up on failure
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := syncFile(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// CreateNew writes data to path only if path does not exist yet, atomically
// and durably: no process ever sees a half-written file, and of two
// processes creating it at once one wins and the other gets an error
// satisfying errors.Is(err, fs.ErrExist).
func CreateNew(path string, perm fs.FileMode, data []byte) error {
	tmp, err := createTemp(path, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = syncFile(tmp)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// A hard link fails if the name exists, unlike rename.
	if err := os.Link(tmp.Name(), path); err != nil {
		var le *os.LinkError
		if errors.As(err, &le) && errors.Is(le.Err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", path, fs.ErrExist)
		}
		return err
	}
	return SyncDir(filepath.Dir(path))
}

func createTemp(path string, perm fs.FileMode) (*os.File, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return nil, err
	}
	if perm != 0o600 {
		if err := tmp.Chmod(perm); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return nil, err
		}
	}
	return tmp, nil
}
