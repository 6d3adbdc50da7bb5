package auth

import "fenghuo/internal/keyfile"

// LoadOrCreateSealerKey reads the SM4 key for Sealer from path, or creates
// the file with SealerKeySize random bytes when it does not exist. Call it
// only for a new database (no sealed values yet); for any other,
// LoadSealerKey. The file holds the key in hex on one line (so it can be
// printed and kept offline as a backup) and is created with mode 0600; a
// file that other users can read, or that its group can write, is refused.
//
// Keep this file apart from the audit key and from database backups: a
// backup together with this key reveals every sealed secret. Losing it makes
// the sealed secrets unreadable (people re-enrol TOTP, operators re-enter
// webhook secrets). With several replicas, copy the same file to each.
func LoadOrCreateSealerKey(path string) ([]byte, error) {
	return keyfile.LoadOrCreate(path, SealerKeySize, "sealer")
}

// LoadSealerKey reads the SM4 key for Sealer from path; a missing file is an
// error satisfying errors.Is(err, fs.ErrNotExist), never a new key.
func LoadSealerKey(path string) ([]byte, error) {
	return keyfile.Load(path, SealerKeySize, "sealer")
}
