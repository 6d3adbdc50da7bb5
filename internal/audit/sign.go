package audit

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"

	"fenghuo/internal/durable"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/keyfile"
)

// SigningKeySize is the size of the audit signing key: an SM2 private key
// (GB/T 32918), a scalar of 32 bytes.
const SigningKeySize = 32

// Signer signs archives of the audit log with the platform's audit-signing
// key, SM2 with SM3 and the default user ID (GB/T 32918.2, GB/T 35276). The
// key is separate from the chain key: whoever checks an archive needs only
// the public key, which may be handed to assessors.
type Signer struct {
	priv *sm2.PrivateKey
}

// NewSigner returns a Signer for a raw SM2 private key of SigningKeySize
// bytes.
func NewSigner(key []byte) (*Signer, error) {
	if len(key) != SigningKeySize {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Audit signing key has %d bytes; want %d.", len(key), SigningKeySize)
	}
	priv, err := sm2.NewPrivateKey(key)
	if err != nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Audit signing key is not an SM2 private key: %v", err)
	}
	return &Signer{priv: priv}, nil
}

// Sign returns the SM2 signature (ASN.1 DER) of msg.
func (s *Signer) Sign(msg []byte) ([]byte, error) {
	return s.priv.Sign(rand.Reader, msg, sm2.DefaultSM2SignerOpts)
}

// PublicKey is the public half of the signing key.
func (s *Signer) PublicKey() *ecdsa.PublicKey { return &s.priv.PublicKey }

// VerifySignature reports whether sig is pub's SM2 signature of msg.
func VerifySignature(pub *ecdsa.PublicKey, msg, sig []byte) bool {
	return sm2.VerifyASN1WithSM2(pub, nil, msg, sig)
}

// PublicKeyID is a short fingerprint of a signing public key: the first 8
// bytes of SM3 over its uncompressed point, in hex. Archives name the key
// that signed them by it.
func PublicKeyID(pub *ecdsa.PublicKey) string {
	k, err := sm2.PublicKeyToECDH(pub)
	if err != nil {
		return ""
	}
	sum := sm3.Sum(k.Bytes()) // the uncompressed SEC 1 point
	return hex.EncodeToString(sum[:8])
}

// PublicKeyPEM encodes pub as a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo
// with the SM2 curve), the form GM tools such as gmssl read.
func PublicKeyPEM(pub *ecdsa.PublicKey) ([]byte, error) {
	der, err := smx509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParsePublicKeyPEM reads what PublicKeyPEM writes.
func ParsePublicKeyPEM(data []byte) (*ecdsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "No PEM PUBLIC KEY block. / 不是 PEM 格式的公钥。")
	}
	k, err := smx509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Not an SM2 public key: %v / 不是 SM2 公钥。", err)
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok || !sm2.IsSM2PublicKey(pub) {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Not an SM2 public key. / 不是 SM2 公钥。")
	}
	return pub, nil
}

// PublicKeyPath is where the public key of the signing key file at path is
// written: beside it, ".key" replaced by ".pub".
func PublicKeyPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".pub"
}

// LoadOrCreateSigningKey reads the audit signing key from path, or creates
// it (mode 0600) when the file does not exist; call it only while no
// archive exists, otherwise LoadSigningKey. Either way the public key is
// (re)written beside it (PublicKeyPath, mode 0644) for assessors.
func LoadOrCreateSigningKey(path string) (*Signer, error) {
	key, err := keyfile.Load(path, SigningKeySize, "audit signing")
	if errors.Is(err, fs.ErrNotExist) {
		// Not keyfile.LoadOrCreate: an SM2 key must lie in [1, n-2], which
		// 32 random bytes need not.
		priv, gerr := sm2.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, gerr
		}
		key = priv.D.FillBytes(make([]byte, SigningKeySize))
		if _, ierr := keyfile.Install(path, key, "audit signing"); ierr != nil {
			if !errors.Is(ierr, fs.ErrExist) {
				return nil, ierr
			}
			key, err = keyfile.Load(path, SigningKeySize, "audit signing") // another process won
		} else {
			err = nil
		}
	}
	if err != nil {
		return nil, err
	}
	return signerWithPublicFile(path, key)
}

// LoadSigningKey reads the audit signing key from path; a missing file is
// an error satisfying errors.Is(err, fs.ErrNotExist), never a new key. The
// public key file beside it is rewritten if it is missing or differs.
func LoadSigningKey(path string) (*Signer, error) {
	key, err := keyfile.Load(path, SigningKeySize, "audit signing")
	if err != nil {
		return nil, err
	}
	return signerWithPublicFile(path, key)
}

func signerWithPublicFile(path string, key []byte) (*Signer, error) {
	s, err := NewSigner(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pemBytes, err := PublicKeyPEM(s.PublicKey())
	if err != nil {
		return nil, err
	}
	pubPath := PublicKeyPath(path)
	if have, err := os.ReadFile(pubPath); err == nil && string(have) == string(pemBytes) {
		return s, nil
	}
	err = durable.WriteFile(pubPath, 0o644, func(w io.Writer) error {
		_, err := w.Write(pemBytes)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("audit signing: public key file %s: %w", pubPath, err)
	}
	return s, nil
}
