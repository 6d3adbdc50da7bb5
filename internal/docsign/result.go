package docsign

import (
	"fmt"
	"time"
)

// Failure names why a verification failed; OK is none.
type Failure string

// The failures, each with its own words in Reason.
const (
	// OK: verified.
	OK Failure = ""
	// FailNotSigned: the file carries no signature block.
	FailNotSigned Failure = "not_signed"
	// FailDamaged: a block is there but cannot be read.
	FailDamaged Failure = "block_damaged"
	// FailChanged: the signature is good but the content differs from what
	// was signed (one changed byte is enough).
	FailChanged Failure = "content_changed"
	// FailSignature: the SM2 signature does not verify with the key the
	// block names (the block was edited, or forged).
	FailSignature Failure = "signature_invalid"
	// FailKeyUnknown: the trust list has no such key for that office.
	FailKeyUnknown Failure = "key_unknown"
	// FailKeyRevoked: the trust list says the key was revoked.
	FailKeyRevoked Failure = "key_revoked"
	// FailKeyRetired: the block claims a time after its key was retired.
	FailKeyRetired Failure = "key_retired"
	// FailUnreadable: not a file this package can read (or truncated).
	FailUnreadable Failure = "unreadable"
)

// The formats Verify recognises.
const (
	FormatZIP      = "zip"
	FormatPDF      = "pdf"
	FormatDetached = "detached"
)

// Trust says how far the signer's key was checked.
type Trust string

// The trust states of a good signature.
const (
	// TrustUnchecked: verified against the key in the block only.
	TrustUnchecked Trust = "unchecked"
	// TrustCurrent: the key is in the trust list and current.
	TrustCurrent Trust = "current"
	// TrustRetired: the key is in the trust list, retired after the
	// signature was made: the signature stands.
	TrustRetired Trust = "retired"
)

// Result is what a verification found.
type Result struct {
	Format  string
	Block   *Block // nil when none could be read
	Failure Failure
	Trust   Trust
	// RetiredAt is when the key was retired (TrustRetired, FailKeyRetired)
	// or revoked (FailKeyRevoked).
	RetiredAt time.Time
}

// Good reports whether the document verified.
func (r Result) Good() bool { return r.Failure == OK }

// Reason says what was found in lang ("en" or "zh"): who signed, when and
// with which key, and that nothing changed, or the named failure.
func (r Result) Reason(lang string) string {
	en, zh := r.reason(true)
	if lang == "en" {
		return en
	}
	return zh
}

// Words is Reason without the key's fingerprint, for a page that shows the
// fingerprint apart (as machine text).
func (r Result) Words(lang string) string {
	en, zh := r.reason(false)
	if lang == "en" {
		return en
	}
	return zh
}

// Reasons is Reason in both languages as "English. / 中文。".
func (r Result) Reasons() string {
	en, zh := r.reason(true)
	return en + " / " + zh
}

func cst(t time.Time) string {
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05")
}

func (r Result) reason(withKey bool) (en, zh string) {
	switch r.Failure {
	case FailNotSigned:
		return "Not signed: the file carries no Fenghuo signature.", "未签名：文件中没有烽火签名。"
	case FailDamaged:
		return "Signature block damaged: it cannot be read.", "签名块已损坏，无法读取。"
	case FailUnreadable:
		return "Unreadable: not a signed DOCX, XLSX or PDF, or the file is cut short.", "无法读取：不是可验证的DOCX、XLSX或PDF文件，或文件不完整。"
	}
	b := r.Block
	who := fmt.Sprintf("%s (office %d)", b.Office, b.OfficeID)
	// keyEN and keyZH name the key where a sentence needs it.
	keyEN, keyZH := "key", "密钥"
	withEN, withZH := "", ""
	if withKey {
		key := ShortKeyID(b.KeyID)
		keyEN, keyZH = "key "+key, "密钥"+key
		withEN, withZH = " with key "+key, "（密钥"+key+"）"
	}
	switch r.Failure {
	case FailChanged:
		return fmt.Sprintf("Content changed after signing: the signature of %s (%s)%s no longer matches the content.", who, cst(b.SignedAt), withEN),
			fmt.Sprintf("内容在签名后被改动：%s于%s的签名%s与内容不符。", b.Office, cst(b.SignedAt), withZH)
	case FailSignature:
		return fmt.Sprintf("Signature invalid: the block names %s but its SM2 signature does not verify.", who),
			fmt.Sprintf("签名无效：签名块称由%s签名，但SM2签名验证不通过。", b.Office)
	case FailKeyUnknown:
		return fmt.Sprintf("Key not known: the %s is not among the published keys of %s.", keyEN, who),
			fmt.Sprintf("密钥未知：所用%s不在%s已公布的密钥中。", keyZH, b.Office)
	case FailKeyRevoked:
		return fmt.Sprintf("Key revoked: the %s of %s was revoked on %s.", keyEN, who, cst(r.RetiredAt)),
			fmt.Sprintf("密钥已吊销：%s的%s已于%s吊销。", b.Office, keyZH, cst(r.RetiredAt))
	case FailKeyRetired:
		return fmt.Sprintf("Key rotated out: the signature claims %s, after the %s of %s was retired on %s.", cst(b.SignedAt), keyEN, who, cst(r.RetiredAt)),
			fmt.Sprintf("密钥已轮换：签名时间%s晚于%s的%s的停用时间%s。", cst(b.SignedAt), b.Office, keyZH, cst(r.RetiredAt))
	}
	en = fmt.Sprintf("Signed by %s on %s%s; unchanged.", who, cst(b.SignedAt), withEN)
	zh = fmt.Sprintf("由%s于%s签名%s，未被改动。", b.Office, cst(b.SignedAt), withZH)
	switch r.Trust {
	case TrustUnchecked:
		en += " The key was not checked against a trust list."
		zh += "签名密钥未与信任列表核对。"
	case TrustRetired:
		en += fmt.Sprintf(" Signed with a key retired on %s.", cst(r.RetiredAt))
		zh += fmt.Sprintf("签名所用密钥已于%s停用。", cst(r.RetiredAt))
	}
	return en, zh
}
