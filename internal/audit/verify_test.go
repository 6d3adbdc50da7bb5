package audit

import (
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

const logSize = 1000

func TestVerifyIntactLog(t *testing.T) {
	c := MustChain(t, 1)
	log := MustSealedLog(t, c, logSize)
	head := log[logSize-1].Anchor()
	res, err := c.Verify(entries(log), VerifyOptions{Head: &head})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || res.Problem != nil || res.Checked != logSize || res.Last.Seq != logSize {
		t.Fatalf("result = %+v, want OK over %d entries", res, logSize)
	}
}

func TestVerifyEmptyLog(t *testing.T) {
	res, err := MustChain(t, 1).Verify(entries(nil), VerifyOptions{})
	if err != nil || !res.OK || res.Last.Seq != 0 {
		t.Fatalf("Verify(empty) = %+v, %v; want OK", res, err)
	}
}

func TestVerifyFindsTampering(t *testing.T) {
	const k = 42
	tests := []struct {
		name     string
		tamper   func([]Entry) []Entry
		wantKind ProblemKind
		wantSeq  int64
		wantMsg  string
	}{
		{"actor renamed", func(l []Entry) []Entry { l[k-1].ActorName = "mallory"; return l },
			ProblemAltered, k, "entry 42 (2026-11-22T10:00:42Z auth.login.success by mallory) was altered: its hash does not match its content"},
		{"outcome changed", func(l []Entry) []Entry { l[k-1].Outcome = OutcomeFailure; return l }, ProblemAltered, k, "entry 42 ("},
		{"time moved a microsecond", func(l []Entry) []Entry { l[k-1].Time = l[k-1].Time.Add(time.Microsecond); return l }, ProblemAltered, k, "was altered"},
		{"detail edited", func(l []Entry) []Entry { l[k-1].Detail = `{"n":0}`; return l }, ProblemAltered, k, "was altered"},
		{"hash replaced", func(l []Entry) []Entry { l[k-1].Hash = l[k].Hash; return l }, ProblemAltered, k, "was altered"},
		{"prev hash edited", func(l []Entry) []Entry { l[k-1].PrevHash = Genesis(); return l }, ProblemAltered, k, "was altered"},
		{"entry removed", func(l []Entry) []Entry { return slices.Delete(l, k-1, k) },
			ProblemRemoved, k, "entry 42 was removed: entry 43 (2026-11-22T10:00:43Z auth.login.failure by user #3) follows entry 41 (2026-11-22T10:00:41Z org.update by bob) directly"},
		{"three removed", func(l []Entry) []Entry { return slices.Delete(l, k-1, k+2) }, ProblemRemoved, k, "entries 42 to 44 were removed"},
		{"first removed", func(l []Entry) []Entry { return l[1:] }, ProblemRemoved, 1, "follows the start of the log directly"},
		{"neighbours swapped", func(l []Entry) []Entry { l[k-1], l[k] = l[k], l[k-1]; return l },
			ProblemReordered, k + 1, "entry 43 (2026-11-22T10:00:43Z auth.login.failure by user #3) comes before entry 42"},
		{"distant entries swapped", func(l []Entry) []Entry { l[k-1], l[k+99] = l[k+99], l[k-1]; return l }, ProblemReordered, k + 100, "entries were reordered"},
		{"entry duplicated", func(l []Entry) []Entry { return slices.Insert(l, k, l[k-1]) }, ProblemReordered, k, "comes after entry 42"},
		{"moved to the end", func(l []Entry) []Entry { e := l[k-1]; return append(slices.Delete(l, k-1, k), e) }, ProblemRemoved, k, "entry 42 was removed"},
	}
	c := MustChain(t, 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := tt.tamper(MustSealedLog(t, c, logSize))
			res, err := c.Verify(entries(log), VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.OK || res.Problem == nil {
				t.Fatalf("Verify found nothing: %+v", res)
			}
			p := res.Problem
			if p.Kind != tt.wantKind || p.Seq != tt.wantSeq || !strings.Contains(p.Message, tt.wantMsg) || p.MessageZH == "" {
				t.Errorf("problem = %s at %d: %q / %q\nwant %s at %d containing %q", p.Kind, p.Seq, p.Message, p.MessageZH,
					tt.wantKind, tt.wantSeq, tt.wantMsg)
			}
			if res.Last.Seq >= tt.wantSeq && tt.wantKind != ProblemReordered {
				t.Errorf("Last = %d, want before the problem at %d", res.Last.Seq, tt.wantSeq)
			}
		})
	}
}

func TestVerifyWrongKey(t *testing.T) {
	log := MustSealedLog(t, MustChain(t, 1), logSize)
	res, err := MustChain(t, 2).Verify(entries(log), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || res.Problem.Kind != ProblemAltered || res.Problem.Seq != 1 || res.Checked != 1 ||
		!strings.Contains(res.Problem.Message, "audit key") {
		t.Fatalf("result = %+v, problem %+v; want altered at 1 naming the key", res, res.Problem)
	}
}

func TestVerifyHeadAnchor(t *testing.T) {
	c := MustChain(t, 1)
	log := MustSealedLog(t, c, logSize)
	rewritten := MustSealedLog(t, MustChain(t, 1), logSize)
	rewritten[logSize-1].Detail = `{"n":"rewritten"}`
	if err := c.Seal(rewritten[logSize-2].Hash, &rewritten[logSize-1]); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		log      []Entry
		head     Anchor
		wantKind ProblemKind // "" for OK
		wantSeq  int64
		wantMsg  string
	}{
		{"intact", log, log[logSize-1].Anchor(), "", 0, ""},
		{"log grew since the anchor", log, log[500].Anchor(), "", 0, ""},
		{"tail cut", log[:logSize-3], log[logSize-1].Anchor(), ProblemTailRemoved, logSize - 2,
			"entries 998 to 1000 were removed from the end of the log: the log ends at entry 997"},
		{"everything deleted", nil, log[logSize-1].Anchor(), ProblemTailRemoved, 1, "entries 1 to 1000 were removed from the end of the log: the log is empty"},
		{"last entry re-sealed by a key holder", rewritten, log[logSize-1].Anchor(), ProblemAltered, logSize,
			"is not the entry recorded in the head anchor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Verify(entries(tt.log), VerifyOptions{Head: &tt.head})
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantKind == "" {
				if !res.OK {
					t.Fatalf("problem %+v, want OK", res.Problem)
				}
				return
			}
			if res.OK || res.Problem.Kind != tt.wantKind || res.Problem.Seq != tt.wantSeq ||
				!strings.Contains(res.Problem.Message, tt.wantMsg) {
				t.Fatalf("problem %+v, want %s at %d containing %q", res.Problem, tt.wantKind, tt.wantSeq, tt.wantMsg)
			}
		})
	}
	// Without the head anchor a cut tail is undetectable: the doc says so.
	if res, _ := c.Verify(entries(log[:logSize-3]), VerifyOptions{}); !res.OK {
		t.Errorf("without a head anchor, a shorter log should verify: %+v", res.Problem)
	}
}

func TestVerifyFromCheckpoint(t *testing.T) {
	c := MustChain(t, 1)
	log := MustSealedLog(t, c, logSize)
	res, err := c.Verify(entries(log[500:]), VerifyOptions{After: log[499].Anchor()})
	if err != nil || !res.OK || res.Checked != 500 {
		t.Fatalf("from checkpoint: %+v, %v", res, err)
	}
	res, err = c.Verify(entries(log[500:]), VerifyOptions{After: log[498].Anchor()})
	if err != nil || res.OK || res.Problem.Kind != ProblemRemoved || res.Problem.Seq != 500 {
		t.Fatalf("from an older checkpoint: %+v, %v; want entry 500 removed", res, err)
	}
	wrong := log[499].Anchor()
	wrong.Hash = log[0].Hash
	res, err = c.Verify(entries(log[500:]), VerifyOptions{After: wrong})
	if err != nil || res.OK || res.Problem.Kind != ProblemReordered || !strings.Contains(res.Problem.Message, "checkpoint at entry 500") {
		t.Fatalf("from a wrong checkpoint: %+v, %v", res.Problem, err)
	}
}

func TestVerifyRefusesBadAnchors(t *testing.T) {
	c := MustChain(t, 1)
	for name, opt := range map[string]VerifyOptions{
		"checkpoint without hash": {After: Anchor{Seq: 5}},
		"negative checkpoint":     {After: Anchor{Seq: -1, Hash: Genesis()}},
		"head without hash":       {Head: &Anchor{Seq: 5}},
	} {
		if _, err := c.Verify(entries(nil), opt); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
			t.Errorf("%s: error %v, want EINVALID", name, err)
		}
	}
}

func TestVerifyReturnsReadErrors(t *testing.T) {
	log := MustSealedLog(t, MustChain(t, 1), 10)
	boom := errors.New("disk on fire")
	var broken iter.Seq2[Entry, error] = func(yield func(Entry, error) bool) {
		for _, e := range log[:5] {
			if !yield(e, nil) {
				return
			}
		}
		yield(Entry{}, boom)
	}
	if res, err := MustChain(t, 1).Verify(broken, VerifyOptions{}); !errors.Is(err, boom) || res != nil {
		t.Fatalf("Verify = %+v, %v; want the read error", res, err)
	}
}

func BenchmarkVerify(b *testing.B) {
	c := MustChain(b, 1)
	log := MustSealedLog(b, c, logSize)
	for b.Loop() {
		if res, err := c.Verify(entries(log), VerifyOptions{}); err != nil || !res.OK {
			b.Fatal(res, err)
		}
	}
}
