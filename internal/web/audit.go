package web

import (
	"fmt"
	"net/http"
	"time"

	"fenghuo/internal/calendar"
	"fenghuo/internal/store"
)

// auditLog is the audit administrator's search over the hash-chained log.
func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	q := r.URL.Query()
	f := store.AuditFilter{ActionPrefix: q.Get("action"), Outcome: q.Get("outcome"), Kind: q.Get("audit_kind")}
	if s := q.Get("from"); s != "" {
		f.From, _ = time.ParseInLocation("2006-01-02", s, calendar.Shanghai)
	}
	if s := q.Get("to"); s != "" {
		if t, err := time.ParseInLocation("2006-01-02", s, calendar.Shanghai); err == nil {
			f.To = t.Add(24 * time.Hour)
		}
	}
	p, n := readPage(r)
	res, err := h.app.AuditLog.AuditEntries(r.Context(), ac, f, p)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	keeping, err := h.app.AuditLog.KeepingState(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	h.render(w, r, http.StatusOK, "audit", &view{Actor: ac, Title: "audit.title", Nav: "audit",
		Data: map[string]any{"Items": res.Items, "Query": q, "Pager": newPager(r, n, res.Total), "Keeping": keeping}})
}

func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	res, err := h.app.AuditLog.VerifyAudit(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	keeping, err := h.app.AuditLog.KeepingState(r.Context(), ac)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	lang := requestLang(r, ac.User.Locale)
	v := &view{Actor: ac, Title: "audit.title", Nav: "audit", Data: map[string]any{"Items": nil, "Query": r.URL.Query(), "Pager": newPager(r, 1, 0), "Keeping": keeping}}
	if res.OK {
		v.Flash = fmt.Sprintf(translate(lang, "audit.verify.ok"), res.Checked)
	} else if lang == langEN {
		v.Error = res.Problem.Message
	} else {
		v.Error = res.Problem.MessageZH
	}
	h.render(w, r, http.StatusOK, "audit", v)
}
