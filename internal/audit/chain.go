package audit

import (
	"crypto/hmac"
	"encoding/hex"

	"github.com/emmansun/gmsm/sm3"

	"fenghuo/internal/fenghuo"
)

// KeySize is the size of the chain key in bytes: as long as the SM3 block's
// security level needs, and what LoadOrCreateKey writes.
const KeySize = 32

// Chain seals and verifies entries with one key. It holds no other state, so
// one Chain may be used from many goroutines at once.
type Chain struct {
	key []byte
}

// NewChain returns a Chain using key, which must be KeySize bytes.
func NewChain(key []byte) (*Chain, error) {
	if len(key) != KeySize {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Audit key has %d bytes; want %d.", len(key), KeySize)
	}
	return &Chain{key: append([]byte(nil), key...)}, nil
}

// KeyID returns a short, public fingerprint of the key (the first 8 bytes of
// SM3("fenghuo audit key id" || key), in hex). Record it beside the log so
// that verifying with the wrong key file is reported as that, not as tampering.
func (c *Chain) KeyID() string {
	sum := sm3.Sum(append([]byte("fenghuo audit key id"), c.key...))
	return hex.EncodeToString(sum[:8])
}

// Seal links e to the entry before it: it normalises e (see normalize), sets
// e.PrevHash to prev (Genesis() for the first entry) and e.Hash to
// HMAC-SM3(key, Canonical(e) || prev). The store must assign e.Seq as one more
// than the Seq of the entry whose Hash is prev, in the same transaction that
// reads prev, so that two writers cannot both extend the same head.
func (c *Chain) Seal(prev []byte, e *Entry) error {
	if len(prev) != HashSize {
		return fenghuo.Errorf(fenghuo.EINVALID, "Previous audit hash has %d bytes; want %d.", len(prev), HashSize)
	}
	if err := normalize(e); err != nil {
		return err
	}
	e.PrevHash = append([]byte(nil), prev...)
	e.Hash = c.sum(e)
	return nil
}

// sum computes the keyed hash of e as it stands.
func (c *Chain) sum(e *Entry) []byte {
	mac := hmac.New(sm3.New, c.key)
	mac.Write(Canonical(e))
	mac.Write(e.PrevHash)
	return mac.Sum(nil)
}

// intact reports whether e's Hash matches its content and PrevHash.
func (c *Chain) intact(e *Entry) bool {
	return len(e.PrevHash) == HashSize && hmac.Equal(c.sum(e), e.Hash)
}
