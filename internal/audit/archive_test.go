package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// archiveSet splits log into archives of size entries (the rest stays "in
// the database") and returns them with the checkpoint.
type archiveSet struct {
	files      map[string][]byte
	checkpoint Anchor
	cpFile     string
	database   []Entry
}

func mustArchives(t *testing.T, c *Chain, s *Signer, log []Entry, size, archived int) *archiveSet {
	t.Helper()
	set := &archiveSet{files: map[string][]byte{}}
	after := Anchor{Hash: Genesis()}
	for from := 0; from < archived; from += size {
		to := min(from+size, archived)
		var buf bytes.Buffer
		h, err := c.WriteArchive(&buf, s, after, log[from:to], t0)
		if err != nil {
			t.Fatal(err)
		}
		name := ArchiveName(after.Seq+1, h.Last.Seq)
		set.files[name] = buf.Bytes()
		after = h.Last
		set.checkpoint, set.cpFile = h.Last, name
	}
	set.database = log[archived:]
	return set
}

func (s *archiveSet) sources(pub *Signer) LogSources {
	src := LogSources{PublicKey: pub.PublicKey(), Checkpoint: s.checkpoint, CheckpointFile: s.cpFile, Database: entries(s.database)}
	for name, data := range s.files {
		src.Archives = append(src.Archives, ArchiveFile{Name: name, Read: func() ([]byte, error) { return data, nil }})
	}
	return src
}

func mustSigner(t *testing.T) *Signer {
	t.Helper()
	s, err := LoadOrCreateSigningKey(filepath.Join(t.TempDir(), "audit-signing.key"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestArchivesAndDatabaseVerifyAsOneLog(t *testing.T) {
	c, s := MustChain(t, 1), mustSigner(t)
	log := MustSealedLog(t, c, 250)
	set := mustArchives(t, c, s, log, 60, 200) // 4 archives: 1-60 … 181-200
	if len(set.files) != 4 {
		t.Fatalf("%d archives", len(set.files))
	}
	res, err := c.VerifyLog(set.sources(s))
	if err != nil || !res.OK {
		t.Fatalf("VerifyLog = %+v, %v", res, err)
	}
	if res.Checked != 250 || res.Archives != 4 || res.ArchivedEntries != 200 || res.Last.Seq != 250 {
		t.Errorf("result %+v: want 250 checked, 4 archives of 200 entries, last 250", res)
	}
	// An archive's lines are Entry.MarshalJSON's, one per entry.
	first := string(set.files[ArchiveName(1, 60)])
	if lines := strings.Count(first, "\n"); lines != 62 || !strings.Contains(first, `"seq":1,`) || !strings.Contains(first, `"algorithm":"SM2-SM3"`) {
		t.Errorf("first archive has %d lines:\n%.300s", lines, first)
	}
}

func TestVerifyLogNamesTheArchiveAndEntry(t *testing.T) {
	c, s := MustChain(t, 1), mustSigner(t)
	log := MustSealedLog(t, c, 250)
	second := ArchiveName(61, 120)
	tests := []struct {
		name     string
		tamper   func(*archiveSet)
		wantKind ProblemKind
		wantFile string
		wantSeq  int64
		wantMsg  string
	}{
		{"one byte of an entry's detail", func(a *archiveSet) {
			a.files[second] = bytes.Replace(a.files[second], []byte(`{\"n\":77}`), []byte(`{\"n\":78}`), 1)
		}, ProblemAltered, second, 77, "entry 77 ("},
		{"a hash in upper case (same value)", func(a *archiveSet) {
			d := a.files[second]
			i := bytes.Index(d, []byte(`"seq":90,`))
			j := i + bytes.Index(d[i:], []byte(`"hash":"`)) + len(`"hash":"`)
			for k := j; k < j+64; k++ {
				if d[k] >= 'a' && d[k] <= 'f' {
					d[k] -= 'a' - 'A'
					break
				}
			}
		}, ProblemAltered, second, 90, "line 31 was changed"},
		{"the header's creation time", func(a *archiveSet) {
			a.files[second] = bytes.Replace(a.files[second], []byte(`"created":"2026`), []byte(`"created":"2025`), 1)
		}, ProblemSignature, second, 61, "SM2 signature does not match"},
		{"an archive removed", func(a *archiveSet) { delete(a.files, second) }, ProblemRemoved, ArchiveName(121, 180), 61, "entries 61 to 120 are in no archive"},
		{"the last archive removed", func(a *archiveSet) { delete(a.files, ArchiveName(181, 200)) }, ProblemRemoved, "", 181,
			"entries 181 to 200 were archived (the database records archive " + ArchiveName(181, 200)},
		{"an entry cut from an archive", func(a *archiveSet) {
			d := a.files[second]
			i := bytes.Index(d, []byte(`{"seq":100,`))
			j := i + bytes.IndexByte(d[i:], '\n') + 1
			a.files[second] = append(d[:i:i], d[j:]...)
		}, ProblemRemoved, second, 100, "entry 100 was removed"},
		{"an archive cut off", func(a *archiveSet) { a.files[second] = a.files[second][:len(a.files[second])-40] }, ProblemSignature, second, 61, "not a complete archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := mustArchives(t, c, s, log, 60, 200)
			for k, v := range set.files {
				set.files[k] = bytes.Clone(v)
			}
			tt.tamper(set)
			res, err := c.VerifyLog(set.sources(s))
			if err != nil {
				t.Fatal(err)
			}
			if res.OK || res.Problem == nil {
				t.Fatalf("tampering not found: %+v", res)
			}
			p := res.Problem
			if p.Kind != tt.wantKind || p.File != tt.wantFile || p.Seq != tt.wantSeq || !strings.Contains(p.Message, tt.wantMsg) {
				t.Errorf("problem = %s %q at %d: %s\nwant %s %q at %d containing %q", p.Kind, p.File, p.Seq, p.Message, tt.wantKind, tt.wantFile, tt.wantSeq, tt.wantMsg)
			}
			if p.MessageZH == "" || strings.Contains(p.MessageZH, "entry") {
				t.Errorf("Chinese message: %q", p.MessageZH)
			}
		})
	}
}

func TestVerifyLogWithAnotherSigningKey(t *testing.T) {
	c, s := MustChain(t, 1), mustSigner(t)
	log := MustSealedLog(t, c, 50)
	set := mustArchives(t, c, s, log, 20, 40)
	res, err := c.VerifyLog(set.sources(mustSigner(t)))
	if err != nil || res.OK || res.Problem.Kind != ProblemSignature || !strings.Contains(res.Problem.Message, "names signing key "+PublicKeyID(s.PublicKey())) {
		t.Fatalf("another key: %+v %v", res.Problem, err)
	}
}

// The archiver stopped after writing an archive and before removing its
// entries from the database: the log is whole, with the entries twice.
func TestVerifyLogAfterAnArchiverCrash(t *testing.T) {
	c, s := MustChain(t, 1), mustSigner(t)
	log := MustSealedLog(t, c, 100)
	set := mustArchives(t, c, s, log, 30, 60)
	set.checkpoint, set.cpFile = log[29].Anchor(), ArchiveName(1, 30) // 31-60 written, not yet removed
	set.database = log[30:]
	res, err := c.VerifyLog(set.sources(s))
	if err != nil || !res.OK || res.Last.Seq != 100 {
		t.Fatalf("crash between archive and removal: %+v %v", res, err)
	}
	// If the database's copy of those entries differs from the archive's,
	// that is found.
	other := MustSealedLog(t, MustChain(t, 1), 100)
	other[59].Detail = `{"n":"rewritten"}`
	prev := other[58].Hash
	for i := 59; i < 100; i++ {
		if err := c.Seal(prev, &other[i]); err != nil {
			t.Fatal(err)
		}
		prev = other[i].Hash
	}
	set.database = other[30:]
	res, err = c.VerifyLog(set.sources(s))
	if err != nil || res.OK || res.Problem.Kind != ProblemAltered || res.Problem.Seq != 60 || !strings.Contains(res.Problem.Message, "(its last entry)") {
		t.Fatalf("rewritten after the archive: %+v %v", res.Problem, err)
	}
}

func TestVerifyLogChecksRecordedAnchors(t *testing.T) {
	c, s := MustChain(t, 1), mustSigner(t)
	log := MustSealedLog(t, c, 300)
	var file strings.Builder
	for _, seq := range []int{10, 150, 299, 300} {
		file.WriteString(AnchorLine(log[seq-1].Anchor(), t0.Add(time.Duration(seq)*time.Minute)))
	}
	file.WriteString("2026-11-22T12:00:00Z 300:00") // cut off by a crash: skipped
	anchors, err := ReadAnchorLines(strings.NewReader(file.String()), "a.log")
	if err != nil || len(anchors) != 4 {
		t.Fatalf("ReadAnchorLines: %d %v", len(anchors), err)
	}
	if anchors[1].Where != "anchor file a.log, line 2" || anchors[1].Seq != 150 {
		t.Errorf("second anchor %+v", anchors[1])
	}
	set := mustArchives(t, c, s, log, 100, 200)
	src := set.sources(s)
	src.Anchors = anchors
	if res, err := c.VerifyLog(src); err != nil || !res.OK || res.Anchors != 4 || res.Newest.Seq != 300 {
		t.Fatalf("intact log with anchors: %+v %v", res, err)
	}

	// The last 100 entries deleted and 100 others chained in their place with
	// the real key: each link is valid, the anchors are not.
	forged := append([]Entry(nil), log[:200]...)
	prev := log[199].Hash
	for i := 201; i <= 300; i++ {
		e := Entry{Seq: int64(i), Time: t0.Add(time.Duration(i) * time.Second), Action: "org.update", Outcome: OutcomeSuccess}
		if err := c.Seal(prev, &e); err != nil {
			t.Fatal(err)
		}
		forged = append(forged, e)
		prev = e.Hash
	}
	src.Database = entries(forged[200:])
	if res, _ := c.VerifyLog(src); res.OK {
		t.Fatal("the rewrite passed with the anchors")
	} else if p := res.Problem; p.Kind != ProblemAltered || p.Seq != 299 || !strings.Contains(p.Message, "anchor file a.log, line 3") {
		t.Errorf("rewrite: %s at %d: %s", p.Kind, p.Seq, p.Message)
	}
	// Without the anchors nothing shows it.
	src.Anchors = nil
	if res, _ := c.VerifyLog(src); !res.OK {
		t.Errorf("without anchors the rewrite should pass (the anchors are what catch it): %+v", res.Problem)
	}
	// Cutting the tail instead is tail_removed, naming the newest anchor.
	src.Anchors = anchors
	src.Database = entries(log[200:280])
	if res, _ := c.VerifyLog(src); res.OK || res.Problem.Kind != ProblemTailRemoved || res.Problem.Seq != 281 ||
		!strings.Contains(res.Problem.Message, "anchor file a.log, line 4 records entry 300") {
		t.Errorf("tail cut: %+v", res.Problem)
	}
}

func TestReadAnchorLinesRefusesGarbage(t *testing.T) {
	_, err := ReadAnchorLines(strings.NewReader("2026-11-22T12:00:00Z 1:zz\n"), "f")
	if err == nil || !strings.Contains(err.Error(), "anchor file f, line 1") {
		t.Errorf("garbage line: %v", err)
	}
}

func TestSigningKeyFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "audit-signing.key")
	if _, err := LoadSigningKey(path); !os.IsNotExist(err) {
		t.Fatalf("missing key: %v", err)
	}
	s, err := LoadOrCreateSigningKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", info.Mode(), err)
	}
	pubPEM, err := os.ReadFile(PublicKeyPath(path))
	if err != nil || !strings.HasPrefix(string(pubPEM), "-----BEGIN PUBLIC KEY-----") {
		t.Fatalf("public key file: %q %v", pubPEM, err)
	}
	pub, err := ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := s.Sign([]byte("烽火"))
	if err != nil || !VerifySignature(pub, []byte("烽火"), sig) || VerifySignature(pub, []byte("烽火!"), sig) {
		t.Fatalf("signature with the published key: %v", err)
	}
	again, err := LoadSigningKey(path)
	if err != nil || PublicKeyID(again.PublicKey()) != PublicKeyID(pub) {
		t.Fatalf("reloaded key differs: %v", err)
	}
}

func TestArchiveNames(t *testing.T) {
	name := ArchiveName(61, 120)
	if first, last, ok := ParseArchiveName(name); !ok || first != 61 || last != 120 {
		t.Errorf("ParseArchiveName(%s) = %d %d %v", name, first, last, ok)
	}
	for _, bad := range []string{"audit-1-2.jsonl", "x" + name, name + ".tmp", ArchiveName(5, 4)} {
		if _, _, ok := ParseArchiveName(bad); ok {
			t.Errorf("ParseArchiveName(%s) accepted", bad)
		}
	}
}
