//go:build !unix

package cli

import "os"

// lockDataDir only makes the directory where flock is not available: a
// second server on the same SQLite directory is not detected there.
func lockDataDir(dir string) (func(), error) {
	return func() {}, os.MkdirAll(dir, 0o700)
}
