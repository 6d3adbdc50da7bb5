package api

import (
	"io"
	"mime"
	"net/http"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/signing"
	"fenghuo/internal/docsign"
	"fenghuo/internal/fenghuo"
)

// SM2 signatures (issue 15 item 1): the keys published to the caller's
// office, their trust file, rotation, the check of a received document,
// and the signature field of signed records.

// signatureJSON is what a signature says, for a record or a document.
type signatureJSON struct {
	// Signed is false for a record issued before signatures existed.
	Signed bool `json:"signed"`
	// Valid: signed by the named office, unchanged, key trusted.
	Valid bool `json:"valid"`
	// Failure names what failed (docsign's codes): not_signed,
	// block_damaged, content_changed, signature_invalid, key_unknown,
	// key_revoked, key_retired, unreadable.
	Failure  string     `json:"failure,omitempty"`
	OfficeID int64      `json:"office_id,omitempty"`
	Office   string     `json:"office,omitempty"`
	KeyID    string     `json:"key_id,omitempty"`
	SignedAt *time.Time `json:"signed_at,omitempty"`
	// Trust: current, retired (signed before the key was rotated out) or
	// unchecked.
	Trust string `json:"trust,omitempty"`
	// Message says it in words, in the answer's language.
	Message string `json:"message"`
}

func toSignature(r docsign.Result, lang string) *signatureJSON {
	out := &signatureJSON{Signed: true, Valid: r.Good(), Failure: string(r.Failure), Trust: string(r.Trust), Message: r.Reason(lang)}
	if b := r.Block; b != nil {
		at := b.SignedAt
		out.OfficeID, out.Office, out.KeyID, out.SignedAt = b.OfficeID, b.Office, b.KeyID, &at
	}
	return out
}

func recordSignature(c app.RecordCheck, lang string) *signatureJSON {
	if !c.Signed {
		return &signatureJSON{Message: map[string]string{"en": "Not signed: issued before signatures existed.", "zh": "未签名：签名功能启用前发出。"}[lang]}
	}
	return toSignature(c.Result, lang)
}

type signingKeyJSON struct {
	OrgID     int64      `json:"org_id"`
	Office    string     `json:"office"`
	KeyID     string     `json:"key_id"`
	PublicKey []byte     `json:"public_key"`
	From      time.Time  `json:"from"`
	RetiredAt *time.Time `json:"retired_at"`
	Relation  string     `json:"relation"`
	MayRotate bool       `json:"may_rotate"`
}

func (h *Handler) listSigningKeys(w http.ResponseWriter, r *http.Request) {
	p, err := h.app.Signing.Keys(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	items := []signingKeyJSON{}
	for _, k := range p.Keys {
		items = append(items, signingKeyJSON{OrgID: k.OrgID, Office: k.Office, KeyID: k.KeyID, PublicKey: k.PublicKey,
			From: k.From, RetiredAt: timePtr(k.RetiredAt), Relation: k.Relation, MayRotate: k.MayRotate})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

// getSigningTrustFile answers the trust file `fenghuo verify --keys` reads.
func (h *Handler) getSigningTrustFile(w http.ResponseWriter, r *http.Request) {
	p, err := h.app.Signing.Keys(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="fenghuo-signing-keys.json"`)
	w.Header().Set("Cache-Control", "no-store")
	docsign.WriteTrustList(w, p.Trust)
}

func (h *Handler) rotateSigningKey(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	made, old, err := h.app.Signing.Rotate(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := map[string]any{"org_id": made.OrgID, "key_id": made.KeyID, "from": made.CreatedAt, "retired_key_id": nil}
	if old != nil {
		out["retired_key_id"] = old.KeyID
	}
	writeJSON(w, http.StatusOK, out)
}

// verifyDocument checks an uploaded document (multipart field "file"); the
// file is read into memory, checked and forgotten.
func (h *Handler) verifyDocument(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		h.error(w, r, fenghuo.FieldErrorf("file", "Upload the document as multipart/form-data in the field \"file\". / 请以multipart/form-data上传文件。"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, signing.MaxDocument+1<<20)
	f, _, err := r.FormFile("file")
	if err != nil {
		h.error(w, r, fenghuo.FieldErrorf("file", "No file in the field \"file\", or it is larger than %d MB. / 未找到文件或文件过大（上限%[1]d MB）。", signing.MaxDocument>>20))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, signing.MaxDocument+1))
	if err != nil || len(data) > signing.MaxDocument {
		h.error(w, r, fenghuo.FieldErrorf("file", "The file is larger than %d MB. / 文件过大（上限%[1]d MB）。", signing.MaxDocument>>20))
		return
	}
	res, err := h.app.Signing.Check(r.Context(), actor(r), data)
	if err != nil {
		h.error(w, r, err)
		return
	}
	sig := toSignature(res, answerLang(r))
	sig.Signed = res.Failure != docsign.FailNotSigned && res.Failure != docsign.FailUnreadable
	writeJSON(w, http.StatusOK, sig)
}
