package audit

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// An archive holds audit entries that left the database, in seq order, as
// JSON lines, signed with SM2 by the platform's audit-signing key:
//
//	{"format":"fenghuo-audit-archive/1","after":"SEQ:HASH","last":"SEQ:HASH","entries":N,…}
//	{"seq":…,"prev_hash":…,"hash":…}        one line per entry, as Entry.MarshalJSON writes it
//	…
//	{"algorithm":"SM2-SM3","signature":"HEX"}
//
// "after" is the anchor of the entry just before the first one (0 and the
// genesis hash for the start of the log), "last" the anchor of the last
// entry: the next archive's "after", or the checkpoint the database chain
// continues from. The signature (ASN.1 DER, in hex) covers every byte
// before the signature line. Each entry keeps its own chain hash, so a
// changed entry is named by seq; the signature catches everything else.

// ArchiveFormat names version 1 of the archive format.
const ArchiveFormat = "fenghuo-audit-archive/1"

// SignatureAlgorithm is what archives are signed with.
const SignatureAlgorithm = "SM2-SM3"

// ArchiveHeader is an archive's first line.
type ArchiveHeader struct {
	Format  string    `json:"format"`
	After   Anchor    `json:"after"`
	Last    Anchor    `json:"last"`
	Entries int64     `json:"entries"`
	Created time.Time `json:"created"`
	// ChainKeyID and SigningKeyID name the keys (Chain.KeyID,
	// PublicKeyID), so that a wrong key file is reported as that.
	ChainKeyID   string `json:"chain_key_id"`
	SigningKeyID string `json:"signing_key_id"`
}

type archiveSignature struct {
	Algorithm string `json:"algorithm"`
	Signature string `json:"signature"`
}

// ArchiveName is the file name of the archive of entries first to last:
// zero-padded, so that names sort in seq order.
func ArchiveName(first, last int64) string {
	return fmt.Sprintf("audit-%020d-%020d.jsonl", first, last)
}

// ParseArchiveName reads what ArchiveName writes.
func ParseArchiveName(name string) (first, last int64, ok bool) {
	rest, found := strings.CutPrefix(name, "audit-")
	rest, found2 := strings.CutSuffix(rest, ".jsonl")
	a, b, found3 := strings.Cut(rest, "-")
	if !found || !found2 || !found3 || len(a) != 20 || len(b) != 20 {
		return 0, 0, false
	}
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || first < 1 || last < first {
		return 0, 0, false
	}
	return first, last, true
}

// WriteArchive writes entries, which must follow after in seq order without
// a gap, as a signed archive. It fills h's format, anchors, count and key
// ids; the caller sets Created.
func (c *Chain) WriteArchive(w io.Writer, s *Signer, after Anchor, entries []Entry, created time.Time) (ArchiveHeader, error) {
	if len(entries) == 0 {
		return ArchiveHeader{}, fenghuo.Errorf(fenghuo.EINVALID, "An audit archive needs at least one entry.")
	}
	for i := range entries {
		if entries[i].Seq != after.Seq+int64(i)+1 {
			return ArchiveHeader{}, fenghuo.Errorf(fenghuo.EINVALID, "Audit archive entries must follow entry %d in seq order; entry %d is out of place.", after.Seq, entries[i].Seq)
		}
	}
	h := ArchiveHeader{Format: ArchiveFormat, After: after, Last: entries[len(entries)-1].Anchor(), Entries: int64(len(entries)),
		Created: created.UTC(), ChainKeyID: c.KeyID(), SigningKeyID: PublicKeyID(s.PublicKey())}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // one value per line
	if err := enc.Encode(h); err != nil {
		return h, err
	}
	for i := range entries {
		if err := enc.Encode(entries[i]); err != nil {
			return h, err
		}
	}
	sig, err := s.Sign(buf.Bytes())
	if err != nil {
		return h, err
	}
	if err := enc.Encode(archiveSignature{Algorithm: SignatureAlgorithm, Signature: hex.EncodeToString(sig)}); err != nil {
		return h, err
	}
	_, err = w.Write(buf.Bytes())
	return h, err
}

// archiveResult is what verifyArchive found in one archive.
type archiveResult struct {
	header  ArchiveHeader
	checked int64
	newest  time.Time
	problem *Problem
}

// ArchiveCheck is what CheckArchive found in one archive.
type ArchiveCheck struct {
	Header ArchiveHeader
	// Newest is the latest entry time in the archive.
	Newest time.Time
	// Problem is nil when the archive is intact and continues after.
	Problem *Problem
}

// CheckArchive checks one archive file (its name and bytes) as VerifyLog
// does: that it continues after, its entries' chain, its header and its
// SM2 signature by pub.
func (c *Chain) CheckArchive(name string, data []byte, pub *ecdsa.PublicKey, after Anchor) (*ArchiveCheck, error) {
	r, err := c.verifyArchive(name, data, pub, after, nil)
	if err != nil {
		return nil, err
	}
	return &ArchiveCheck{Header: r.header, Newest: r.newest, Problem: r.problem}, nil
}

// verifyArchive checks one archive (name, its bytes) that should continue
// from after: its header, every entry's chain hash and canonical form, the
// header's count and last anchor, the recorded anchors that fall inside it,
// and its signature by pub.
func (c *Chain) verifyArchive(name string, data []byte, pub *ecdsa.PublicKey, after Anchor, recorded map[int64][]RecordedAnchor) (*archiveResult, error) {
	res := &archiveResult{}
	fail := func(kind ProblemKind, seq int64, en, zh string) (*archiveResult, error) {
		res.problem = &Problem{Kind: kind, Seq: seq, File: name,
			Message: "archive " + name + ": " + en, MessageZH: "归档文件 " + name + "：" + zh}
		return res, nil
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if n := len(lines); n > 0 && len(lines[n-1]) == 0 {
		lines = lines[:n-1]
	}
	if len(lines) < 3 || !bytes.HasSuffix(data, []byte("\n")) {
		return fail(ProblemSignature, after.Seq+1, "it is not a complete archive (fewer than three lines, or cut off)",
			"文件不完整（不足三行或被截断）")
	}
	var h ArchiveHeader
	if err := json.Unmarshal(lines[0], &h); err != nil || h.Format != ArchiveFormat {
		return fail(ProblemSignature, after.Seq+1, "its first line is not a "+ArchiveFormat+" header", "首行不是归档文件头")
	}
	res.header = h
	switch {
	case h.After.Seq > after.Seq:
		return fail(ProblemRemoved, after.Seq+1,
			fmt.Sprintf("%s in no archive: this archive starts after entry %d, the one before it ends at entry %d", seqsEN(after.Seq+1, h.After.Seq), h.After.Seq, after.Seq),
			fmt.Sprintf("%s不在任何归档中：本归档从第 %d 条之后开始，前一归档止于第 %d 条", seqRangeZH(after.Seq+1, h.After.Seq), h.After.Seq, after.Seq))
	case h.After.Seq < after.Seq:
		return fail(ProblemReordered, h.After.Seq+1,
			fmt.Sprintf("it starts after entry %d, inside the archive before it (which ends at entry %d)", h.After.Seq, after.Seq),
			fmt.Sprintf("本归档从第 %d 条之后开始，与前一归档（止于第 %d 条）重叠", h.After.Seq, after.Seq))
	case !bytes.Equal(h.After.Hash, after.Hash):
		return fail(ProblemReordered, h.After.Seq+1, "it does not continue the chain where the archive before it ends",
			"本归档与前一归档的链不衔接")
	}

	// Parse every entry line; a line that is not exactly what the archiver
	// wrote is a changed entry even if its values survived.
	body := lines[1 : len(lines)-1]
	entries := make([]Entry, 0, len(body))
	var lineProblem *Problem
	for i, line := range body {
		var e Entry
		err := json.Unmarshal(line, &e)
		if err != nil {
			seq := after.Seq + int64(i) + 1
			lineProblem = &Problem{Kind: ProblemAltered, Seq: seq,
				Message:   fmt.Sprintf("line %d (entry %d) is not an audit entry: it was changed", i+2, seq),
				MessageZH: fmt.Sprintf("第 %d 行（第 %d 条记录）不是审计记录：已被改动", i+2, seq)}
			break
		}
		again, _ := json.Marshal(e)
		if !bytes.Equal(append(again, '\n'), line) {
			en, zh := describe(&e)
			lineProblem = &Problem{Kind: ProblemAltered, Seq: e.Seq,
				Message:   fmt.Sprintf("%s on line %d was changed: the line is not as the archiver wrote it", en, i+2),
				MessageZH: fmt.Sprintf("第 %d 行的%s已被改动：该行与归档时写入的不同", i+2, zh)}
			break
		}
		entries = append(entries, e)
		if e.Time.After(res.newest) {
			res.newest = e.Time
		}
	}
	vr, err := c.Verify(Entries(entries), VerifyOptions{After: h.After, Recorded: recorded})
	if err != nil {
		return nil, err
	}
	res.checked = vr.Checked
	if !vr.OK {
		return fail(vr.Problem.Kind, vr.Problem.Seq, vr.Problem.Message, vr.Problem.MessageZH)
	}
	if lineProblem != nil {
		return fail(lineProblem.Kind, lineProblem.Seq, lineProblem.Message, lineProblem.MessageZH)
	}
	if h.Entries != int64(len(entries)) || vr.Last.Seq != h.Last.Seq || !bytes.Equal(vr.Last.Hash, h.Last.Hash) {
		return fail(ProblemRemoved, vr.Last.Seq+1,
			fmt.Sprintf("its header lists %d entries ending at %s, but it holds %d ending at %s", h.Entries, h.Last, len(entries), vr.Last),
			fmt.Sprintf("文件头记为 %d 条、止于 %s，实有 %d 条、止于 %s", h.Entries, h.Last, len(entries), vr.Last))
	}
	var sig archiveSignature
	sigLine := lines[len(lines)-1]
	sigBytes, herr := []byte(nil), error(nil)
	if err := json.Unmarshal(sigLine, &sig); err == nil {
		sigBytes, herr = hex.DecodeString(sig.Signature)
	}
	signed := data[:len(data)-len(sigLine)]
	if sig.Algorithm != SignatureAlgorithm || herr != nil || pub == nil || !VerifySignature(pub, signed, sigBytes) {
		hintEN, hintZH := "", ""
		if pub != nil && h.SigningKeyID != PublicKeyID(pub) {
			hintEN = fmt.Sprintf(" (it names signing key %s; the key given is %s)", h.SigningKeyID, PublicKeyID(pub))
			hintZH = fmt.Sprintf("（文件记载的签名密钥为 %s，所用密钥为 %s）", h.SigningKeyID, PublicKeyID(pub))
		}
		return fail(ProblemSignature, h.After.Seq+1,
			"its SM2 signature does not match its contents: the file was changed after it was signed"+hintEN,
			"SM2 签名与内容不符：文件在签名后被改动"+hintZH)
	}
	return res, nil
}

// Entries yields a slice of entries as Verify reads them.
func Entries(entries []Entry) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// seqsEN names entries from to to with their verb: "entry 5 is", "entries 5 to 9 are".
func seqsEN(from, to int64) string {
	if from == to {
		return fmt.Sprintf("entry %d is", from)
	}
	return fmt.Sprintf("entries %d to %d are", from, to)
}
