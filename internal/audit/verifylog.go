package audit

import (
	"bytes"
	"crypto/ecdsa"
	"fmt"
	"iter"
	"sort"

	"fenghuo/internal/fenghuo"
)

// ArchiveFile is one archive to check: its file name (as ArchiveName writes
// it) and how to read it, so that archives are read one at a time.
type ArchiveFile struct {
	Name string
	Read func() ([]byte, error)
}

// LogSources is the whole audit log as VerifyLog checks it: the archives
// that left the database, the database's own chain, and the anchors written
// outside it.
type LogSources struct {
	// Archives in any order; they are checked in seq order (by name).
	Archives []ArchiveFile
	// PublicKey checks the archives' signatures; needed when there are any.
	PublicKey *ecdsa.PublicKey
	// Checkpoint is where the database's chain resumes after the archived
	// entries (zero: nothing was archived); CheckpointFile the archive the
	// database records for it.
	Checkpoint     Anchor
	CheckpointFile string
	// Database yields the database's entries after Checkpoint.Seq in order.
	Database iter.Seq2[Entry, error]
	// Anchors written outside the database (the anchor file): each must
	// match the entry of its seq, and the log must reach the newest.
	Anchors []RecordedAnchor
	// Head is an anchor given by hand (--head), checked as before.
	Head *Anchor
}

// LogResult is VerifyResult over the whole log.
type LogResult struct {
	VerifyResult
	// Archives is how many archive files were checked, ArchivedEntries how
	// many entries they held (counted in Checked too).
	Archives        int
	ArchivedEntries int64
	// Anchors is how many recorded anchors there were; Newest the one with
	// the greatest seq, nil without any.
	Anchors int
	Newest  *RecordedAnchor
}

// VerifyLog checks the archives (signature, chain, that each continues the
// one before it from the start of the log), that the database's chain
// continues from the last archive, that every recorded anchor matches the
// entry it names and that the log reaches the newest one. It reports the
// first problem, naming the archive file when it is in one.
func (c *Chain) VerifyLog(src LogSources) (*LogResult, error) {
	res := &LogResult{Anchors: len(src.Anchors)}
	res.OK = true
	recorded := map[int64][]RecordedAnchor{}
	for i := range src.Anchors {
		a := src.Anchors[i]
		if len(a.Hash) != HashSize {
			return nil, fenghuo.Errorf(fenghuo.EINVALID, "The anchor in %s has no %d-byte hash.", a.Where, HashSize)
		}
		recorded[a.Seq] = append(recorded[a.Seq], a)
		if res.Newest == nil || a.Seq > res.Newest.Seq {
			res.Newest = &src.Anchors[i]
		}
	}
	fail := func(p *Problem) (*LogResult, error) {
		res.OK = false
		res.Problem = p
		return res, nil
	}

	archives := append([]ArchiveFile(nil), src.Archives...)
	sort.Slice(archives, func(i, j int) bool { return archives[i].Name < archives[j].Name })
	if len(archives) > 0 && src.PublicKey == nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Checking audit archives needs the audit-signing public key.")
	}
	cp := src.Checkpoint
	if cp.Seq > 0 {
		// The database's checkpoint must be an entry of the archives.
		where, whereZH := "the database's archive checkpoint", "数据库的归档检查点"
		if src.CheckpointFile != "" {
			where += " (" + src.CheckpointFile + ")"
			whereZH += "（" + src.CheckpointFile + "）"
		}
		recorded[cp.Seq] = append(recorded[cp.Seq], RecordedAnchor{Anchor: cp, Where: where, WhereZH: whereZH})
	}
	prev := Anchor{Hash: Genesis()}
	lastFile := ""
	for _, f := range archives {
		data, err := f.Read()
		if err != nil {
			return nil, fmt.Errorf("audit archive %s: %w", f.Name, err)
		}
		ar, err := c.verifyArchive(f.Name, data, src.PublicKey, prev, recorded)
		if err != nil {
			return nil, err
		}
		res.Checked += ar.checked
		res.ArchivedEntries += ar.checked
		if ar.problem != nil {
			return fail(ar.problem)
		}
		res.Archives++
		prev = ar.header.Last
		res.Last = prev
		lastFile = f.Name
	}

	switch {
	case cp.Seq > prev.Seq:
		from := prev.Seq + 1
		return fail(&Problem{Kind: ProblemRemoved, Seq: from,
			Message: fmt.Sprintf("%s archived (the database records archive %s up to entry %d) but in no archive file: %s",
				seqRangeEN(from, cp.Seq), src.CheckpointFile, cp.Seq, archivesEnd(lastFile, prev)),
			MessageZH: fmt.Sprintf("%s已归档（数据库记录的归档文件 %s 止于第 %d 条），但不在任何归档文件中：%s",
				seqRangeZH(from, cp.Seq), src.CheckpointFile, cp.Seq, archivesEndZH(lastFile, prev))})
	case cp.Seq < prev.Seq && prev.Seq > 0:
		// The last archive was written but its entries not yet removed from
		// the database (the archiver stopped in between): the database
		// still holds them and must agree with the archive's last entry.
		ra := RecordedAnchor{Anchor: prev, Where: "archive " + lastFile + " (its last entry)", WhereZH: "归档文件 " + lastFile + "（其最后一条记录）"}
		recorded[prev.Seq] = append(recorded[prev.Seq], ra)
		src.Anchors = append(src.Anchors, ra)
	}
	after := cp
	if after.Seq == 0 {
		after = Anchor{Hash: Genesis()}
	}
	if !bytes.Equal(after.Hash, prev.Hash) && cp.Seq == prev.Seq {
		return fail(&Problem{Kind: ProblemAltered, Seq: cp.Seq,
			Message:   fmt.Sprintf("the database's archive checkpoint %s is not the last entry of the archives (%s)", cp, prev),
			MessageZH: fmt.Sprintf("数据库的归档检查点 %s 与归档的最后一条记录（%s）不符", cp, prev)})
	}
	vr, err := c.Verify(src.Database, VerifyOptions{After: after, Head: src.Head, Recorded: recorded})
	if err != nil {
		return nil, err
	}
	res.Checked += vr.Checked
	if vr.Last.Seq >= res.Last.Seq {
		res.Last = vr.Last
	}
	if !vr.OK {
		return fail(vr.Problem)
	}
	// The log must reach every recorded anchor.
	var newest *RecordedAnchor
	for i := range src.Anchors {
		if newest == nil || src.Anchors[i].Seq > newest.Seq {
			newest = &src.Anchors[i]
		}
	}
	if newest != nil && newest.Seq > res.Last.Seq {
		ren, rzh := describeRecorded(*newest)
		return fail(&Problem{Kind: ProblemTailRemoved, Seq: res.Last.Seq + 1,
			Message: fmt.Sprintf("%s removed from the end of the log: the log ends at entry %d, but %s records entry %d",
				seqRangeEN(res.Last.Seq+1, newest.Seq), res.Last.Seq, ren, newest.Seq),
			MessageZH: fmt.Sprintf("日志末尾%s被删除：日志止于第 %d 条，而%s记录到第 %d 条",
				seqRangeZH(res.Last.Seq+1, newest.Seq), res.Last.Seq, rzh, newest.Seq)})
	}
	return res, nil
}

func archivesEnd(file string, a Anchor) string {
	if file == "" {
		return "there is no archive file"
	}
	return fmt.Sprintf("the archive files end with %s at entry %d", file, a.Seq)
}

func archivesEndZH(file string, a Anchor) string {
	if file == "" {
		return "没有任何归档文件"
	}
	return fmt.Sprintf("归档文件止于 %s 的第 %d 条", file, a.Seq)
}
