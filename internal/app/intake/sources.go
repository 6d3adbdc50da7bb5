package intake

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"fenghuo/internal/app"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest"
	"fenghuo/internal/store"
)

// Source kinds: a hint for the parser and for people.
var SourceKinds = []string{"wazuh", "suricata", "syslog", "generic", "mail"}

// TokenPrefix starts every intake token, so that it is never mistaken for
// an API token (fhk_) and secret scanners recognise it.
const TokenPrefix = "fhi_"

const (
	tokenRandom   = 30 // bytes: 240 bits
	tokenChecksum = 5  // bytes of SM3 over the random part
	tokenLength   = len(TokenPrefix) + (tokenRandom+tokenChecksum)*8/5
	tokenHintLen  = len(TokenPrefix) + 8
	maxAddresses  = 64
)

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newToken returns a new intake token: "fhi_" and 56 base32 characters
// holding 240 random bits and a 40-bit checksum.
func newToken() string {
	b := make([]byte, tokenRandom, tokenRandom+tokenChecksum)
	rand.Read(b) // never fails since Go 1.24
	sum := sm3.Sum(b)
	return TokenPrefix + tokenEncoding.EncodeToString(append(b, sum[:tokenChecksum]...))
}

// errBadToken is the answer to any token that does not name an active source.
var errBadToken = fenghuo.Errorf(fenghuo.EUNAUTHORIZED,
	"Send a valid intake token as \"Authorization: Bearer fhi_…\" (it is shown once when the intake source is created; a revoked source's token no longer works). / 接入令牌无效或已吊销。")

// wellFormed checks the token's shape and checksum before any lookup.
func wellFormed(token string) bool {
	if len(token) != tokenLength || !strings.HasPrefix(token, TokenPrefix) {
		return false
	}
	b, err := tokenEncoding.DecodeString(token[len(TokenPrefix):])
	if err != nil || len(b) != tokenRandom+tokenChecksum {
		return false
	}
	sum := sm3.Sum(b[:tokenRandom])
	return bytes.Equal(sum[:tokenChecksum], b[tokenRandom:])
}

// SourceInput is an intake source as a person registers it.
type SourceInput struct {
	OrgID     int64
	Name      string
	Kind      string
	Addresses []string
	Mapping   string
}

// CreateSource registers a sensor for a unit in the actor's subtree and
// returns it with its token, which is shown this once (only its SM3 hash is
// kept). Audited.
func (s *Service) CreateSource(ctx context.Context, ac *app.Actor, in SourceInput) (*store.IntakeSource, string, error) {
	in.Name, in.Kind = strings.TrimSpace(in.Name), strings.TrimSpace(in.Kind)
	var bad fenghuo.Invalid
	if in.Name == "" || len(in.Name) > 100 {
		bad.Add(fenghuo.FieldErrorf("name", "Name the source in at most 100 bytes. / 请填写接入源名称（不超过100字节）。"))
	}
	if !slices.Contains(SourceKinds, in.Kind) {
		bad.Add(fenghuo.FieldErrorf("kind", "Choose the kind: %s. / 请选择接入源类型。", strings.Join(SourceKinds, ", ")))
	}
	addrs, err := normaliseAddresses(in.Addresses)
	if err != nil {
		bad.Add(err)
	}
	if err := checkMapping(in.Mapping); err != nil {
		bad.Add(mappingError(err))
	}
	if err := bad.Err(); err != nil {
		return nil, "", err
	}
	token := newToken()
	src := &store.IntakeSource{OrgID: in.OrgID, Name: in.Name, Kind: in.Kind, TokenHash: auth.HashToken(token),
		TokenHint: token[:tokenHintLen], Addresses: addrs, Mapping: strings.TrimSpace(in.Mapping), CreatedBy: ac.User.ID}
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		org, err := tx.Org(ctx, in.OrgID)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				return fenghuo.FieldErrorf("org_id", "Choose a unit in your scope. / 请选择本级或下级单位。")
			}
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermSystemWrite, org.Path, "Org", in.OrgID); err != nil {
			return err
		}
		if err := tx.CreateIntakeSource(ctx, src); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "intake_source.create", "intake_source", app.ObjectID(src.ID), "success",
			map[string]any{"org_id": src.OrgID, "name": src.Name, "kind": src.Kind, "addresses": src.Addresses, "token_hint": src.TokenHint})
	})
	if err != nil {
		return nil, "", err
	}
	s.bound.Store(nil)
	return src, token, nil
}

// normaliseAddresses parses IP addresses and CIDR prefixes, canonical and
// without repeats.
func normaliseAddresses(in []string) ([]string, error) {
	var out []string
	var bad []string
	for _, a := range in {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		p, err := parsePrefix(a)
		if err != nil {
			bad = append(bad, a)
			continue
		}
		if !slices.Contains(out, p.String()) {
			out = append(out, p.String())
		}
	}
	if len(bad) > 0 {
		return nil, fenghuo.FieldErrorf("addresses", "Not an IP address or CIDR prefix: %s. / 地址格式不正确（应为IP地址或CIDR网段）。", strings.Join(bad, ", "))
	}
	if len(out) > maxAddresses {
		return nil, fenghuo.FieldErrorf("addresses", "Bind at most %d addresses or prefixes. / 绑定地址不得超过%d个。", maxAddresses, maxAddresses)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Sources lists the intake sources of orgID's subtree (0: the actor's
// org), revoked ones too when withRevoked.
func (s *Service) Sources(ctx context.Context, ac *app.Actor, orgID int64, withRevoked bool, p store.Page) (store.ListResult[store.IntakeSource], error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return store.ListResult[store.IntakeSource]{}, err
	}
	path := ac.Org.Path
	if orgID != 0 {
		o, err := s.core.VisibleOrg(ctx, ac, orgID)
		if err != nil {
			return store.ListResult[store.IntakeSource]{}, err
		}
		path = o.Path
	}
	return s.core.DB().IntakeSources(ctx, path, withRevoked, p)
}

// Source returns one source of the actor's subtree.
func (s *Service) Source(ctx context.Context, ac *app.Actor, id int64) (*store.IntakeSource, error) {
	var src *store.IntakeSource
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if src, err = tx.IntakeSource(ctx, id); err != nil {
			return err
		}
		org, err := tx.Org(ctx, src.OrgID)
		if err != nil {
			return err
		}
		return app.RequireAt(ac, fenghuo.PermSystemRead, org.Path, "Intake source", id)
	})
	return src, err
}

// RevokeSource stops a source: its token is refused and its addresses are
// no longer bound. Its events and alert groups stay. Audited.
func (s *Service) RevokeSource(ctx context.Context, ac *app.Actor, id int64) error {
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		src, err := tx.IntakeSource(ctx, id)
		if err != nil {
			return err
		}
		org, err := tx.Org(ctx, src.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermSystemWrite, org.Path, "Intake source", id); err != nil {
			return err
		}
		if src.Revoked() {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "This intake source is already revoked. / 该接入源已吊销。")
		}
		if err := tx.RevokeIntakeSource(ctx, id, ac.User.ID); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "intake_source.revoke", "intake_source", app.ObjectID(id), "success",
			map[string]any{"org_id": src.OrgID, "name": src.Name, "token_hint": src.TokenHint})
	})
	if err != nil {
		return err
	}
	s.bound.Store(nil)
	return nil
}

// Authenticate returns the source an intake token belongs to: the unit,
// the sensor and its mapping. A malformed, unknown or revoked token is
// EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, token string) (ingest.Source, *store.IntakeSource, error) {
	if !wellFormed(token) {
		return ingest.Source{}, nil, errBadToken
	}
	src, err := s.core.DB().IntakeSourceByHash(ctx, auth.HashToken(token))
	if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
		return ingest.Source{}, nil, errBadToken
	} else if err != nil {
		return ingest.Source{}, nil, err
	}
	if src.Revoked() {
		return ingest.Source{}, nil, errBadToken
	}
	return sourceOf(src), src, nil
}

func sourceOf(src *store.IntakeSource) ingest.Source {
	return ingest.Source{Org: src.OrgID, Sensor: src.Name, TokenID: src.ID}
}

// boundTTL is how long the resolver trusts its table: a source changed
// through another replica is seen within it.
const boundTTL = time.Minute

type boundEntry struct {
	prefix netip.Prefix
	src    ingest.Source
}

type boundTable struct {
	loaded  time.Time
	entries []boundEntry // longest prefix first
}

// SourceOf maps a syslog sender's address to the active source bound to
// it, the most specific prefix winning (ingest.Resolver).
func (s *Service) SourceOf(ctx context.Context, addr netip.Addr) (ingest.Source, bool) {
	t := s.bound.Load()
	if t == nil || time.Since(t.loaded) > boundTTL {
		var err error
		if t, err = s.loadBound(ctx); err != nil {
			s.core.Logger().Warn("intake: cannot load the bound syslog sources", "err", err)
			return ingest.Source{}, false
		}
	}
	addr = addr.Unmap()
	for _, e := range t.entries {
		if e.prefix.Contains(addr) {
			return e.src, true
		}
	}
	return ingest.Source{}, false
}

func (s *Service) loadBound(ctx context.Context) (*boundTable, error) {
	list, err := s.core.DB().BoundIntakeSources(ctx)
	if err != nil {
		return nil, err
	}
	t := &boundTable{loaded: time.Now()}
	for i := range list {
		for _, a := range list[i].Addresses {
			p, err := parsePrefix(a)
			if err != nil {
				continue
			}
			t.entries = append(t.entries, boundEntry{prefix: p, src: sourceOf(&list[i])})
		}
	}
	slices.SortStableFunc(t.entries, func(a, b boundEntry) int { return b.prefix.Bits() - a.prefix.Bits() })
	s.bound.Store(t)
	return t, nil
}

// mappingError names the mapping field on ParseMapping's error.
func mappingError(err error) error {
	var fe *fenghuo.Error
	if errors.As(err, &fe) {
		return &fenghuo.Error{Code: fenghuo.EINVALID, Field: "mapping", Message: fe.Message}
	}
	return fenghuo.FieldErrorf("mapping", "The field mapping is not valid. / 字段映射格式不正确。")
}
