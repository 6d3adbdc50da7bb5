package audit

import (
	"bytes"
	"fmt"
	"iter"
	"time"

	"fenghuo/internal/fenghuo"
)

// ProblemKind says what Verify found wrong.
type ProblemKind string

const (
	// ProblemAltered: an entry's hash does not match its content (or it does
	// not match the head anchor recorded earlier).
	ProblemAltered ProblemKind = "altered"
	// ProblemRemoved: one or more entries are missing inside the log.
	ProblemRemoved ProblemKind = "removed"
	// ProblemReordered: entries are out of order, duplicated, or an entry was
	// sealed after a different entry than the one before it.
	ProblemReordered ProblemKind = "reordered"
	// ProblemTailRemoved: the log ends before the head anchor's entry.
	ProblemTailRemoved ProblemKind = "tail_removed"
	// ProblemSignature: an archive file is not intact as signed (its SM2
	// signature does not match, or it is cut off or not an archive).
	ProblemSignature ProblemKind = "bad_signature"
)

// VerifyOptions narrows what Verify expects.
type VerifyOptions struct {
	// After is the entry just before the first one passed to Verify. The zero
	// value means the log starts at Seq 1 with PrevHash Genesis(); set it to
	// resume from a checkpoint after older entries were archived.
	After Anchor
	// Head, when set, is the last entry as recorded earlier somewhere the
	// database writer cannot change (the server log, an administrator's note
	// of the previous verification). Without it, deleting the newest entries
	// leaves a shorter chain that is still valid.
	Head *Anchor
	// Recorded are anchors written earlier outside the database (the anchor
	// file, the archives' checkpoint), by Seq: every entry whose Seq one
	// names must have its hash. Verify does not check that the log reaches
	// them; VerifyLog does.
	Recorded map[int64][]RecordedAnchor
}

// RecordedAnchor is an anchor as written somewhere outside the database.
type RecordedAnchor struct {
	Anchor
	// Time is when it was written (zero when unknown).
	Time time.Time
	// Where names the record for people: "anchor file /srv/anchors.log,
	// line 12"; WhereZH in Chinese (Where when empty).
	Where, WhereZH string
}

// describeRecorded names a recorded anchor: "the anchor written at
// 2026-11-22T10:00:00Z to anchor file x, line 3".
func describeRecorded(r RecordedAnchor) (en, zh string) {
	whereZH := r.WhereZH
	if whereZH == "" {
		whereZH = r.Where
	}
	if r.Time.IsZero() {
		return "the anchor in " + r.Where, whereZH + "中的锚点"
	}
	at := r.Time.UTC().Format(time.RFC3339)
	return "the anchor written at " + at + " to " + r.Where, at + " 写入" + whereZH + "的锚点"
}

// VerifyResult is the outcome of Verify. Problem is the first problem found,
// nil when OK.
type VerifyResult struct {
	OK bool
	// Checked counts the entries read.
	Checked int64
	// Last is the last entry found good: the anchor to keep for next time.
	Last    Anchor
	Problem *Problem
}

// Problem is one finding, with a message in English and in Chinese that
// names the entry by Seq, time, action and actor.
type Problem struct {
	Kind ProblemKind
	Seq  int64
	// File is the archive file the problem is in; empty for the database.
	File      string
	Message   string
	MessageZH string
}

// Verify reads entries in Seq order (as the store returns them, or from an
// export) and reports the first problem. It keeps only the previous entry and
// looks one entry ahead, so any length of log can be checked. The error is
// the first error the sequence yields; a damaged log is not an error.
func (c *Chain) Verify(entries iter.Seq2[Entry, error], opt VerifyOptions) (*VerifyResult, error) {
	next, stop := iter.Pull2(entries)
	defer stop()
	prev := opt.After
	if prev.Seq == 0 && prev.Hash == nil {
		prev.Hash = Genesis()
	}
	if prev.Seq < 0 || len(prev.Hash) != HashSize || (opt.Head != nil && len(opt.Head.Hash) != HashSize) {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Audit verification needs anchors of the form seq:hash with a %d-byte hash.", HashSize)
	}
	res := &VerifyResult{OK: true, Last: prev}
	var prevEntry *Entry // nil until an entry was read
	fail := func(kind ProblemKind, seq int64, en, zh string) (*VerifyResult, error) {
		res.OK = false
		res.Problem = &Problem{Kind: kind, Seq: seq, Message: en, MessageZH: zh}
		return res, nil
	}

	for {
		e, err, ok := next()
		if !ok {
			break
		}
		if err != nil {
			return nil, err
		}
		res.Checked++
		en, zh := describe(&e)
		if !c.intact(&e) {
			hintEN, hintZH := "", ""
			if res.Checked == 1 {
				hintEN = " (if every entry fails, the audit key is not the one that sealed this log)"
				hintZH = "（若每条记录都不符，说明所用审计密钥并非生成此日志的密钥）"
			}
			return fail(ProblemAltered, e.Seq,
				en+" was altered: its hash does not match its content"+hintEN,
				zh+"已被篡改：哈希值与内容不符"+hintZH)
		}
		switch {
		case e.Seq <= prev.Seq:
			if prevEntry == nil {
				return fail(ProblemReordered, e.Seq,
					fmt.Sprintf("%s comes where entry %d or later was expected: the log is out of order", en, prev.Seq+1),
					fmt.Sprintf("%s出现在应为第 %d 条或之后的位置：日志顺序被打乱", zh, prev.Seq+1))
			}
			pen, pzh := describe(prevEntry)
			return fail(ProblemReordered, e.Seq,
				fmt.Sprintf("%s comes after %s: the log is out of order or has a duplicate", en, pen),
				fmt.Sprintf("%s出现在%s之后：日志顺序被打乱或有重复记录", zh, pzh))
		case e.Seq > prev.Seq+1:
			// One entry of look-ahead tells a reorder from a gap; only an
			// intact entry counts as evidence of a reorder.
			n, err, ok := next()
			if ok && err != nil {
				return nil, err
			}
			if ok && n.Seq > prev.Seq && n.Seq < e.Seq && c.intact(&n) {
				nen, nzh := describe(&n)
				return fail(ProblemReordered, e.Seq,
					fmt.Sprintf("%s comes before %s: entries were reordered", en, nen),
					fmt.Sprintf("%s出现在%s之前：记录顺序被调换", zh, nzh))
			}
			return fail(ProblemRemoved, prev.Seq+1,
				fmt.Sprintf("%s removed: %s follows %s directly", seqRangeEN(prev.Seq+1, e.Seq-1), en, afterEN(prevEntry, prev)),
				fmt.Sprintf("%s被删除：%s紧接在%s之后", seqRangeZH(prev.Seq+1, e.Seq-1), zh, afterZH(prevEntry, prev)))
		case !bytes.Equal(e.PrevHash, prev.Hash):
			return fail(ProblemReordered, e.Seq,
				fmt.Sprintf("%s does not follow %s: it was sealed after a different entry (the log was forked or partly rewritten)", en, afterEN(prevEntry, prev)),
				fmt.Sprintf("%s并非接在%s之后生成：日志出现分叉或部分被重写", zh, afterZH(prevEntry, prev)))
		}
		if opt.Head != nil && e.Seq == opt.Head.Seq && !bytes.Equal(e.Hash, opt.Head.Hash) {
			return fail(ProblemAltered, e.Seq,
				en+" is not the entry recorded in the head anchor: the log was rewritten from here on",
				zh+"与此前记录的日志末端锚点不符：日志自此处起被重写")
		}
		for _, r := range opt.Recorded[e.Seq] {
			if !bytes.Equal(e.Hash, r.Hash) {
				ren, rzh := describeRecorded(r)
				return fail(ProblemAltered, e.Seq,
					en+" is not the entry recorded in "+ren+": the log was rewritten from here on",
					zh+"与"+rzh+"不符：日志自此处起被重写")
			}
		}
		prev = e.Anchor()
		prevEntry = &e
		res.Last = prev
	}
	if opt.Head != nil && prev.Seq < opt.Head.Seq {
		endEN, endZH := "the log ends at "+afterEN(prevEntry, prev), "日志止于"+afterZH(prevEntry, prev)
		if prevEntry == nil && prev.Seq == 0 {
			endEN, endZH = "the log is empty", "日志为空"
		}
		return fail(ProblemTailRemoved, prev.Seq+1,
			fmt.Sprintf("%s removed from the end of the log: %s, but the head anchor records entry %d",
				seqRangeEN(prev.Seq+1, opt.Head.Seq), endEN, opt.Head.Seq),
			fmt.Sprintf("日志末尾%s被删除：%s，而末端锚点记录到第 %d 条",
				seqRangeZH(prev.Seq+1, opt.Head.Seq), endZH, opt.Head.Seq))
	}
	return res, nil
}

// describe names an entry for people: "entry 42 (2026-11-22T10:01:02Z
// org.update by alice)" and its Chinese counterpart.
func describe(e *Entry) (en, zh string) {
	actor := e.ActorName
	switch {
	case actor != "":
	case e.ActorID != 0:
		actor = fmt.Sprintf("user #%d", e.ActorID)
	default:
		actor = "system"
	}
	at := e.Time.UTC().Format(time.RFC3339)
	return fmt.Sprintf("entry %d (%s %s by %s)", e.Seq, at, e.Action, actor),
		fmt.Sprintf("第 %d 条记录（%s %s，操作人 %s）", e.Seq, at, e.Action, actor)
}

// afterEN names the entry before a problem, which may be the start of the
// log or a checkpoint rather than an entry that was read.
func afterEN(e *Entry, a Anchor) string {
	switch {
	case e != nil:
		en, _ := describe(e)
		return en
	case a.Seq == 0:
		return "the start of the log"
	default:
		return fmt.Sprintf("the checkpoint at entry %d", a.Seq)
	}
}

func afterZH(e *Entry, a Anchor) string {
	switch {
	case e != nil:
		_, zh := describe(e)
		return zh
	case a.Seq == 0:
		return "日志开头"
	default:
		return fmt.Sprintf("第 %d 条记录处的检查点", a.Seq)
	}
}

func seqRangeEN(from, to int64) string {
	if from == to {
		return fmt.Sprintf("entry %d was", from)
	}
	return fmt.Sprintf("entries %d to %d were", from, to)
}

func seqRangeZH(from, to int64) string {
	if from == to {
		return fmt.Sprintf("第 %d 条记录", from)
	}
	return fmt.Sprintf("第 %d 至 %d 条记录", from, to)
}
