package api

import (
	"net/http"
	"strconv"
	"time"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func (h *Handler) listAudit(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.AuditFilter{ActionPrefix: q.Get("action"), Outcome: q.Get("outcome"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id")}
	if s := q.Get("actor_id"); s != "" {
		if f.ActorID, err = strconv.ParseInt(s, 10, 64); err != nil {
			h.error(w, r, fenghuo.FieldErrorf("actor_id", "actor_id must be a number. / actor_id应为数字。"))
			return
		}
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if s := q.Get(name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				h.error(w, r, fenghuo.FieldErrorf(name, "%s must be an RFC 3339 time such as 2026-11-22T08:00:00+08:00. / 时间格式应为RFC 3339。", name))
				return
			}
			*dst = t
		}
	}
	res, err := h.app.AuditEntries(r.Context(), actor(r), f, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, func(e audit.Entry) audit.Entry { return e }))
}

func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request) {
	res, err := h.app.VerifyAudit(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := map[string]any{"ok": res.OK, "checked": res.Checked, "last": res.Last.String()}
	if res.Problem != nil {
		out["problem"] = map[string]any{"kind": res.Problem.Kind, "seq": res.Problem.Seq, "message": res.Problem.Message, "message_zh": res.Problem.MessageZH}
	}
	writeJSON(w, http.StatusOK, out)
}
