package audit

import "fenghuo/internal/keyfile"

// LoadOrCreateKey reads the audit chain key from path, or creates the file
// with KeySize random bytes when it does not exist. Call it only for a new
// database (no audit entries yet); for any other, LoadKey. The file holds the
// key in hex on one line (so it can be printed and kept offline as a backup)
// and is created with mode 0600. A file that other users can read, or that
// its group can write, is refused: whoever holds the key can rewrite the log.
//
// Losing the key does not lose the log, but the log can no longer be
// verified. With several replicas, create the key once and copy the same file
// to every replica; two replicas creating their own keys would each seal
// entries the other cannot verify.
func LoadOrCreateKey(path string) ([]byte, error) {
	return keyfile.LoadOrCreate(path, KeySize, "audit")
}

// LoadKey reads the audit chain key from path; a missing file is an error
// satisfying errors.Is(err, fs.ErrNotExist), never a new key.
func LoadKey(path string) ([]byte, error) {
	return keyfile.Load(path, KeySize, "audit")
}
