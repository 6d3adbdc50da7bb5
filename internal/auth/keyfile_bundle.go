package auth

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"fenghuo/internal/fenghuo"
)

// Key bundles carry the server's key files inside a backup (fenghuo backup
// --include-keys), sealed under a passphrase the operator keeps apart from
// the backup: SM4-GCM, as Sealer does, under a key derived from the
// passphrase with argon2id. A bundle is one JSON line; the names of the keys
// it holds are in clear so a restore can say what it carries before asking
// for the passphrase.

// KeyBundlePrefix starts every key bundle line, so a reader can tell a
// bundle from a backup without parsing it.
const KeyBundlePrefix = `{"format":"fenghuo-backup-keys"`

// MinPassphraseLen is the shortest passphrase SealKeys accepts, in
// characters: the bundle can be attacked offline by whoever has the backup.
const MinPassphraseLen = 12

const keyBundleAD = "fenghuo-backup-keys:1"

type keyBundle struct {
	Format  string   `json:"format"`
	Version int      `json:"version"`
	Files   []string `json:"files"`
	KDF     string   `json:"kdf"`
	Memory  uint32   `json:"memory_kib"`
	Time    uint32   `json:"time"`
	Threads uint8    `json:"threads"`
	Salt    string   `json:"salt"`
	Sealed  string   `json:"sealed"`
}

// SealKeys seals the key files named in keys (file name → key bytes) under
// passphrase and returns the bundle line, ending in a newline.
func SealKeys(passphrase string, keys map[string][]byte) ([]byte, error) {
	if utf8.RuneCountInString(passphrase) < MinPassphraseLen {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The backup passphrase must have at least %d characters. / 备份口令至少%d个字符。", MinPassphraseLen, MinPassphraseLen)
	}
	p := DefaultPasswordParams()
	b := keyBundle{Format: "fenghuo-backup-keys", Version: 1, KDF: "argon2id", Memory: p.Memory, Time: p.Time, Threads: p.Threads}
	plain := map[string]string{}
	for name, key := range keys {
		b.Files = append(b.Files, name)
		plain[name] = base64.StdEncoding.EncodeToString(key)
	}
	slices.Sort(b.Files)
	salt := make([]byte, 16)
	rand.Read(salt) // never fails since Go 1.24
	b.Salt = base64.StdEncoding.EncodeToString(salt)
	s, err := bundleSealer(passphrase, b, salt)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(plain)
	if err != nil {
		return nil, err
	}
	if b.Sealed, err = s.Seal(raw, []byte(keyBundleAD)); err != nil {
		return nil, err
	}
	line, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	return append(line, '\n'), nil
}

// KeyBundleFiles returns the names of the key files a bundle line holds,
// without opening it.
func KeyBundleFiles(line []byte) ([]string, error) {
	b, err := parseKeyBundle(line)
	if err != nil {
		return nil, err
	}
	return b.Files, nil
}

// OpenKeys opens a bundle line made by SealKeys with the same passphrase.
func OpenKeys(line []byte, passphrase string) (map[string][]byte, error) {
	b, err := parseKeyBundle(line)
	if err != nil {
		return nil, err
	}
	salt, err := base64.StdEncoding.DecodeString(b.Salt)
	if err != nil || len(salt) < 8 {
		return nil, errBadBundle
	}
	s, err := bundleSealer(passphrase, b, salt)
	if err != nil {
		return nil, err
	}
	raw, err := s.Open(b.Sealed, []byte(keyBundleAD))
	if err != nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The passphrase does not open the keys in this backup (or they were altered). / 备份口令错误，或密钥已被篡改。")
	}
	var plain map[string]string
	if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, errBadBundle
	}
	keys := map[string][]byte{}
	for name, v := range plain {
		if keys[name], err = base64.StdEncoding.DecodeString(v); err != nil {
			return nil, errBadBundle
		}
	}
	return keys, nil
}

var errBadBundle = fenghuo.Errorf(fenghuo.EINVALID, "The keys in this backup are damaged. / 备份中的密钥已损坏。")

func parseKeyBundle(line []byte) (keyBundle, error) {
	var b keyBundle
	if !bytes.HasPrefix(line, []byte(KeyBundlePrefix)) || json.Unmarshal(line, &b) != nil {
		return b, errBadBundle
	}
	if b.Version != 1 || b.KDF != "argon2id" {
		return b, fenghuo.Errorf(fenghuo.EINVALID, "The keys in this backup use format %d (%s), which this program does not understand. / 备份密钥格式不受支持。", b.Version, b.KDF)
	}
	return b, nil
}

// bundleSealer derives the SM4 key from the passphrase, within the same
// bounds as stored password hashes so a planted bundle cannot ask for
// gigabytes.
func bundleSealer(passphrase string, b keyBundle, salt []byte) (*Sealer, error) {
	if b.Memory < 8*uint32(b.Threads) || b.Memory > maxMemory || b.Time < 1 || b.Time > maxTime || b.Threads < 1 || len(salt) > maxSaltLen {
		return nil, fmt.Errorf("auth: key bundle has unusable argon2id parameters m=%d t=%d p=%d", b.Memory, b.Time, b.Threads)
	}
	return NewSealer(argon2.IDKey([]byte(passphrase), salt, b.Time, b.Memory, b.Threads, SealerKeySize))
}
