package web

// SM2 signatures in the console (issue 15 item 1): the signing keys
// published to the actor's office with their trust file and rotation, the
// check of a received document, and the "signed by …, unchanged" line of
// signed records.

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"fenghuo/internal/app"
	"fenghuo/internal/app/signing"
	"fenghuo/internal/docsign"
)

func (h *Handler) registerSigning(mux *http.ServeMux) {
	mux.HandleFunc("GET /signing-keys", h.authed(h.signingKeysPage))
	mux.HandleFunc("GET /signing-keys/trust.json", h.authed(h.signingTrustFile))
	mux.HandleFunc("POST /signing-keys/{org}/rotate", h.authed(h.rotateSigningKey))
	mux.HandleFunc("GET /verify", h.authed(h.verifyPage))
	mux.HandleFunc("POST /verify", h.authed(h.verifyUpload))
}

func (h *Handler) signingKeysPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	p, err := h.app.Signing.Keys(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	v := &view{Actor: ac, Title: "signing.title", Nav: "signing", Data: p}
	switch r.URL.Query().Get("rotated") {
	case "1":
		v.Flash = translate(requestLang(r, ac.User.Locale), "signing.rotated")
	case "new":
		v.Flash = translate(requestLang(r, ac.User.Locale), "signing.created")
	}
	h.render(w, r, http.StatusOK, "signing_keys", v)
}

func (h *Handler) signingTrustFile(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	p, err := h.app.Signing.Keys(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="fenghuo-signing-keys.json"`)
	docsign.WriteTrustList(w, p.Trust)
}

func (h *Handler) rotateSigningKey(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("org"), 10, 64)
	_, old, err := h.app.Signing.Rotate(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	flag := "1"
	if old == nil {
		flag = "new"
	}
	http.Redirect(w, r, "/signing-keys?rotated="+flag, http.StatusSeeOther)
}

// verifyData is the check page: the result of an upload, if any.
type verifyData struct {
	Checked bool
	Name    string
	Result  docsign.Result
	MaxMB   int
}

func (h *Handler) verifyPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "verify", &view{Actor: actor(r), Title: "verify.title", Nav: "verify", Data: verifyData{MaxMB: signing.MaxDocument >> 20}})
}

// verifyUpload checks an uploaded document: it is read into memory, checked
// against the database's keys and forgotten (nothing is stored).
func (h *Handler) verifyUpload(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	lang := requestLang(r, ac.User.Locale)
	d := verifyData{MaxMB: signing.MaxDocument >> 20}
	v := &view{Actor: ac, Title: "verify.title", Nav: "verify", Data: &d}
	r.Body = http.MaxBytesReader(w, r.Body, signing.MaxDocument+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		v.Errors = map[string]string{"file": fmt.Sprintf(translate(lang, "verify.nofile"), d.MaxMB)}
		h.render(w, r, http.StatusBadRequest, "verify", v)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, signing.MaxDocument+1))
	if err != nil || len(data) > signing.MaxDocument {
		v.Errors = map[string]string{"file": fmt.Sprintf(translate(lang, "verify.nofile"), d.MaxMB)}
		h.render(w, r, http.StatusBadRequest, "verify", v)
		return
	}
	res, err := h.app.Signing.Check(r.Context(), ac, data)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d.Checked, d.Name, d.Result = true, hdr.Filename, res
	v.Data = d
	h.render(w, r, http.StatusOK, "verify", v)
}

// signatureLine is a record's signature as the page shows it.
type signatureLine struct {
	Signed, Good bool
	Text         string
	// Key is the signing key's short fingerprint, shown as machine text.
	Key string
}

// Signature is the "由××签名，未被改动" line of a signed record, or its
// named failure, in the page's language.
func (v *view) Signature(c app.RecordCheck) signatureLine {
	if !c.Signed {
		return signatureLine{Text: v.T("signing.unsigned")}
	}
	l := signatureLine{Signed: true, Good: c.Result.Good(), Text: c.Words(v.Lang)}
	if b := c.Result.Block; b != nil {
		l.Key = docsign.ShortKeyID(b.KeyID)
	}
	return l
}

// VerifyResult is an uploaded document's result in the page's language.
func (v *view) VerifyResult(r docsign.Result) string { return r.Words(v.Lang) }

// ShortKey shows a key id as people read it.
func (v *view) ShortKey(id string) string { return docsign.ShortKeyID(id) }
