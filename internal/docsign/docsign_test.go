package docsign

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"

	"fenghuo/internal/export"
)

var signedAt = time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)

func mustKey(tb testing.TB, id int64, office string) Key {
	tb.Helper()
	priv, err := GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	return Key{OfficeID: id, Office: office, Private: priv}
}

func trustOf(tb testing.TB, keys ...Key) *TrustList {
	tb.Helper()
	t := &TrustList{Format: TrustFormat}
	for _, k := range keys {
		der, err := PublicDER(k.Private)
		if err != nil {
			tb.Fatal(err)
		}
		t.Keys = append(t.Keys, TrustedKey{OfficeID: k.OfficeID, Office: k.Office, KeyID: KeyID(der), PublicKey: der, From: signedAt.Add(-time.Hour)})
	}
	return t
}

func notice() export.Notice {
	return export.Notice{Title: "关于勒索软件攻击风险的预警通报", Fields: [][2]string{{"发布单位", "乌审旗委网信办"}, {"预警级别", "橙色"}},
		Sections: []NoticeSection{{Heading: "一、预警事项", Text: "近期发现针对供水行业的勒索软件攻击。"}}, Author: "乌审旗委网信办"}
}

// NoticeSection is export's type, named here to keep the fixture short.
type NoticeSection = export.NoticeSection

func docx(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := export.WriteNoticeDOCX(&buf, notice()); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func pdf(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := export.WriteNoticePDF(&buf, notice()); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestSignedFilesVerifyAndStillOpen(t *testing.T) {
	k := mustKey(t, 7, "乌审旗委网信办")
	for _, tc := range []struct {
		name   string
		data   []byte
		format string
	}{{"docx", docx(t), FormatZIP}, {"pdf", pdf(t), FormatPDF}} {
		t.Run(tc.name, func(t *testing.T) {
			signed, err := SignFile(k, tc.data, signedAt)
			if err != nil {
				t.Fatal(err)
			}
			r := VerifyFile(signed, nil)
			if !r.Good() || r.Format != tc.format || r.Trust != TrustUnchecked {
				t.Fatalf("verify: %+v %s", r, r.Reasons())
			}
			if r.Block.OfficeID != 7 || r.Block.Office != "乌审旗委网信办" || !r.Block.SignedAt.Equal(signedAt) {
				t.Errorf("block names %d %q %v", r.Block.OfficeID, r.Block.Office, r.Block.SignedAt)
			}
			if got := r.Reason("zh"); !strings.Contains(got, "由乌审旗委网信办于2026-12-07 17:30:00签名") || !strings.Contains(got, "未被改动") || !strings.Contains(got, "未与信任列表核对") {
				t.Errorf("zh reason %q", got)
			}
			if got := r.Reason("en"); !strings.Contains(got, "unchanged") || !strings.Contains(got, "not checked against a trust list") {
				t.Errorf("en reason %q", got)
			}
			if r := VerifyFile(signed, trustOf(t, k)); !r.Good() || r.Trust != TrustCurrent {
				t.Errorf("with trust: %s", r.Reasons())
			}
			if tc.format == FormatZIP {
				// Word and LibreOffice read the central directory; Go's reader
				// does the same and must find every part intact.
				zr, err := zip.NewReader(bytes.NewReader(signed), int64(len(signed)))
				if err != nil {
					t.Fatalf("signed DOCX no longer opens: %v", err)
				}
				if !strings.HasPrefix(zr.Comment, Marker) {
					t.Errorf("comment %q", zr.Comment)
				}
				for _, f := range zr.File {
					rc, err := f.Open()
					if err != nil {
						t.Fatal(err)
					}
					if _, err := io.Copy(io.Discard, rc); err != nil {
						t.Fatalf("part %s: %v", f.Name, err)
					}
					rc.Close()
				}
			} else {
				body := signed[:bytes.LastIndex(signed, []byte("\n%"+Marker))+1]
				if !bytes.HasSuffix(body, []byte("%%EOF\n")) {
					t.Errorf("signed PDF part ends %q", body[len(body)-10:])
				}
			}
			// Signing again replaces the block rather than stacking one.
			again, err := SignFile(k, signed, signedAt.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(again, []byte(Marker)); n != 1 {
				t.Errorf("re-signed file holds %d blocks", n)
			}
			if r := VerifyFile(again, nil); !r.Good() || !r.Block.SignedAt.Equal(signedAt.Add(time.Minute)) {
				t.Errorf("re-signed: %s", r.Reasons())
			}
		})
	}
}

// The acceptance: one changed byte anywhere in the document's content is
// named as a change, never a panic or "unreadable".
func TestOneChangedByteIsNamed(t *testing.T) {
	k := mustKey(t, 7, "乌审旗委网信办")
	for name, data := range map[string][]byte{"docx": docx(t), "pdf": pdf(t)} {
		signed, err := SignFile(k, data, signedAt)
		if err != nil {
			t.Fatal(err)
		}
		var blockAt int
		if name == "pdf" {
			blockAt = bytes.LastIndex(signed, []byte("\n%"+Marker))
		} else {
			blockAt = bytes.LastIndex(signed, []byte(Marker)) - eocdSize
		}
		for _, at := range []int{0, 1, 100, len(data) / 3, len(data) / 2, blockAt - 30, blockAt - 1} {
			bad := bytes.Clone(signed)
			bad[at] ^= 0x01
			r := VerifyFile(bad, nil)
			want := FailChanged // also at byte 0, which no longer looks like a ZIP or PDF
			if r.Failure != want {
				t.Errorf("%s byte %d of %d changed: %s (%s), want %s", name, at, len(signed), r.Failure, r.Reasons(), want)
			}
			if want == FailChanged && !strings.Contains(r.Reason("en"), "Content changed after signing") || want == FailChanged && !strings.Contains(r.Reason("zh"), "内容在签名后被改动") {
				t.Errorf("%s byte %d: reason %q", name, at, r.Reasons())
			}
		}
	}
}

func TestNamedFailures(t *testing.T) {
	k := mustKey(t, 7, "乌审旗委网信办")
	other := mustKey(t, 8, "杭锦旗委网信办")
	signed, err := SignFile(k, docx(t), signedAt)
	if err != nil {
		t.Fatal(err)
	}
	// A block forged to name another office, with this key's signature.
	forged := func() []byte {
		r := VerifyFile(signed, nil)
		b := *r.Block
		b.Office, b.OfficeID = "杭锦旗委网信办", 8
		return replaceBlock(t, signed, b.Encode())
	}()
	// A block re-signed by another key that claims to be this office's.
	swapped := func() []byte {
		r := VerifyFile(signed, nil)
		b := *r.Block
		b.PublicKey = trustOf(t, other).Keys[0].PublicKey
		b.KeyID = KeyID(b.PublicKey)
		return replaceBlock(t, signed, b.Encode())
	}()
	appended := append(bytes.Clone(signed), "extra"...)
	retired, revoked := trustOf(t, k), trustOf(t, k)
	retired.Keys[0].RetiredAt = signedAt.Add(time.Hour)
	revoked.Keys[0].RevokedAt = signedAt.Add(time.Hour)
	retiredBefore := trustOf(t, k)
	retiredBefore.Keys[0].RetiredAt = signedAt.Add(-time.Minute)
	wrongOffice := trustOf(t, k)
	wrongOffice.Keys[0].OfficeID = 9

	for _, tc := range []struct {
		name  string
		data  []byte
		trust *TrustList
		want  Failure
		words string
	}{
		{"unsigned docx", docx(t), nil, FailNotSigned, "Not signed"},
		{"unsigned pdf", pdf(t), nil, FailNotSigned, "未签名"},
		{"text", []byte("hello"), nil, FailUnreadable, "Unreadable"},
		{"empty", nil, nil, FailUnreadable, "无法读取"},
		{"cut short", signed[:len(signed)/2], nil, FailUnreadable, "Unreadable"},
		{"garbled block", replaceBlock(t, signed, Marker+"!!!not base64"), nil, FailDamaged, "damaged"},
		{"office renamed in the block", forged, nil, FailSignature, "Signature invalid"},
		{"key swapped in the block", swapped, nil, FailSignature, "签名无效"},
		{"bytes appended", appended, nil, FailChanged, "Content changed"},
		{"key of another office", signed, trustOf(t, other), FailKeyUnknown, "Key not known"},
		{"key published for another office", signed, wrongOffice, FailKeyUnknown, "密钥未知"},
		{"key revoked", signed, revoked, FailKeyRevoked, "Key revoked"},
		{"signed after retirement", signed, retiredBefore, FailKeyRetired, "Key rotated out"},
		{"retired after signing", signed, retired, OK, "Signed with a key retired on 2026-12-07 18:30:00"},
	} {
		r := VerifyFile(tc.data, tc.trust)
		if r.Failure != tc.want || !strings.Contains(r.Reasons(), tc.words) {
			t.Errorf("%s: %q %s, want %q with %q", tc.name, r.Failure, r.Reasons(), tc.want, tc.words)
		}
	}
}

// replaceBlock puts encoded as the ZIP comment of a signed file.
func replaceBlock(tb testing.TB, signed []byte, encoded string) []byte {
	tb.Helper()
	eocd := findEOCD(signed)
	if eocd < 0 {
		tb.Fatal("no end record")
	}
	out := bytes.Clone(signed[:eocd+eocdSize])
	out[eocd+20], out[eocd+21] = byte(len(encoded)), byte(len(encoded)>>8)
	return append(out, encoded...)
}

func TestDetachedAndRecords(t *testing.T) {
	k := mustKey(t, 3, "鄂尔多斯市委网信办")
	content := []byte(`{"kind":"initial","title":"勒索软件"}`)
	b, err := Sign(k, content, signedAt)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(b.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if r := VerifyBytes(back, content, trustOf(t, k)); !r.Good() || r.Trust != TrustCurrent {
		t.Errorf("detached: %s", r.Reasons())
	}
	if r := VerifyBytes(back, []byte(`{"kind":"initial","title":"勒索软件 "}`), nil); r.Failure != FailChanged {
		t.Errorf("changed record: %s", r.Reasons())
	}
	if _, err := SignFile(k, content, signedAt); err != ErrUnsupported {
		t.Errorf("SignFile on JSON: %v", err)
	}
	if got := ShortKeyID(b.KeyID); len(got) != 19 || strings.ToUpper(b.KeyID[:4]) != got[:4] {
		t.Errorf("short key id %q of %s", got, b.KeyID)
	}
}

func TestReadTrustList(t *testing.T) {
	k := mustKey(t, 3, "鄂尔多斯市委网信办")
	good := trustOf(t, k)
	var buf bytes.Buffer
	if err := WriteTrustList(&buf, good); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTrustList(bytes.NewReader(buf.Bytes()))
	if err != nil || len(back.Keys) != 1 || back.Keys[0].KeyID != good.Keys[0].KeyID {
		t.Fatalf("read back: %v %+v", err, back)
	}
	tampered := strings.Replace(buf.String(), good.Keys[0].KeyID, strings.Repeat("0", 64), 1)
	if _, err := ReadTrustList(strings.NewReader(tampered)); err == nil {
		t.Error("a key id that is not its key's digest was accepted")
	}
	if _, err := ReadTrustList(strings.NewReader(`{"format":"x"}`)); err == nil {
		t.Error("a file of another format was accepted")
	}
}

// The signature is an SM2 signature (GB/T 32918.2) of the statement with
// the default user ID, as any SM2 implementation checks it: computed here
// through the Z_A digest and a raw verify, not through docsign.
func TestSignatureIsStandardSM2WithDefaultUID(t *testing.T) {
	k := mustKey(t, 7, "乌审旗委网信办")
	b, err := Sign(k, []byte("内容"), signedAt)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ParsePublic(b.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	digest, err := sm2.CalculateSM2Hash(pub, b.Statement(), []byte("1234567812345678"))
	if err != nil {
		t.Fatal(err)
	}
	if !sm2.VerifyASN1(pub, digest, b.Signature) {
		t.Error("not a GB/T 32918 signature with the default user ID")
	}
	other, _ := sm2.CalculateSM2Hash(pub, b.Statement(), []byte("7"))
	if sm2.VerifyASN1(pub, other, b.Signature) {
		t.Error("verifies with another user ID too")
	}
}

// A response of another type passes straight through, flushes included,
// even when the writer below answers flushes only through
// http.ResponseController (the server's middleware); a document is held,
// signed and sent with its length.
func TestResponseSigner(t *testing.T) {
	k := mustKey(t, 7, "乌审旗委网信办")
	sign := func(b []byte) ([]byte, error) { return SignFile(k, b, signedAt) }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := NewResponseSigner(unwrapOnly{w}, 1<<20, sign)
		switch r.URL.Path {
		case "/events":
			sw.Header().Set("Content-Type", "text/event-stream")
			sw.WriteHeader(http.StatusOK)
			io.WriteString(sw, "data: hello\n\n")
			if err := http.NewResponseController(sw).Flush(); err != nil {
				t.Errorf("flush: %v", err)
			}
			<-r.Context().Done()
		case "/doc":
			sw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
			sw.Write(docx(t))
		case "/big":
			sw.Header().Set("Content-Type", "application/pdf")
			sw.Write(make([]byte, 2<<20))
		}
		if err := sw.Finish(); err != nil {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/events", nil)
	// Do returns only once the headers were flushed; a flush lost in the
	// wrapper leaves it waiting until the timeout.
	client := &http.Client{Timeout: 20 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	cancel()
	resp.Body.Close()
	if line != "data: hello\n" {
		t.Errorf("event stream: %q", line)
	}

	resp, err = srv.Client().Get(srv.URL + "/doc")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if r := VerifyFile(body, nil); !r.Good() || resp.ContentLength != int64(len(body)) {
		t.Errorf("document: %s, length %d of %d", r.Reasons(), resp.ContentLength, len(body))
	}
	resp, err = srv.Client().Get(srv.URL + "/big")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("Content-Type") == "application/pdf" {
		t.Errorf("over the limit: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// unwrapOnly hides the writer's methods but Unwrap, like a middleware.
type unwrapOnly struct{ w http.ResponseWriter }

func (u unwrapOnly) Header() http.Header         { return u.w.Header() }
func (u unwrapOnly) Write(b []byte) (int, error) { return u.w.Write(b) }
func (u unwrapOnly) WriteHeader(code int)        { u.w.WriteHeader(code) }
func (u unwrapOnly) Unwrap() http.ResponseWriter { return u.w }

// A signed PDF still reads in a PDF reader (poppler's pdftotext, strict
// about the trailer) with the same text as before signing.
func TestSignedPDFStillReads(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (Debian poppler-utils)")
	}
	text := func(data []byte) string {
		path := filepath.Join(t.TempDir(), "notice.pdf")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").CombinedOutput()
		if err != nil {
			t.Fatalf("pdftotext: %v %s", err, out)
		}
		return string(out)
	}
	plain := pdf(t)
	signed, err := SignFile(mustKey(t, 7, "乌审旗委网信办"), plain, signedAt)
	if err != nil {
		t.Fatal(err)
	}
	before, after := text(plain), text(signed)
	if after != before || !strings.Contains(after, "预警事项") {
		t.Errorf("signed PDF reads %q, unsigned %q", after, before)
	}
}
