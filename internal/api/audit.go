package api

import (
	"encoding/json"
	"net/http"
	"time"

	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

type auditEntryJSON struct {
	Seq        int64     `json:"seq"`
	Time       time.Time `json:"time"`
	ActorID    int64     `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	OrgID      int64     `json:"org_id"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Outcome    string    `json:"outcome"`
	// Kind is "read" (a view of an object or an export) or "change".
	Kind string `json:"kind"`
	IP   string `json:"ip"`
	// Detail is the entry's JSON detail as an object, not a string in a
	// string, so clients need not decode twice.
	Detail json.RawMessage `json:"detail"`
}

func toAuditEntry(e audit.Entry) auditEntryJSON {
	detail := json.RawMessage(e.Detail)
	if !json.Valid(detail) {
		detail = json.RawMessage("null")
	}
	return auditEntryJSON{Seq: e.Seq, Time: e.Time, ActorID: e.ActorID, ActorName: e.ActorName, OrgID: e.OrgID, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, Outcome: e.Outcome, Kind: e.Kind(), IP: e.IP, Detail: detail}
}

func (h *Handler) listAudit(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.AuditFilter{ActionPrefix: q.Get("action"), Outcome: q.Get("outcome"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"), Kind: q.Get("audit_kind")}
	if f.ActorID, err = queryInt(r, "actor_id", 1, 1<<62); err != nil {
		h.error(w, r, err)
		return
	}
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if s := q.Get(t.name); s != "" {
			if *t.dst, err = time.Parse(time.RFC3339, s); err != nil {
				h.error(w, r, fenghuo.FieldErrorf(t.name, "%s must be an RFC 3339 time such as 2026-11-22T08:00:00+08:00. / 时间格式应为RFC 3339。", t.name))
				return
			}
		}
	}
	res, err := h.app.AuditLog.AuditEntries(r.Context(), actor(r), f, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toAuditEntry))
}

type auditVerifyJSON struct {
	OK      bool  `json:"ok"`
	Checked int64 `json:"checked"`
	// Last is the anchor (SEQ:HASH) of the last good entry: keep it to catch
	// a removed tail next time.
	Last    string            `json:"last"`
	Problem *auditProblemJSON `json:"problem"`
}

type auditProblemJSON struct {
	Kind      string `json:"kind"`
	Seq       int64  `json:"seq"`
	Message   string `json:"message"`
	MessageZH string `json:"message_zh"`
}

func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request) {
	res, err := h.app.AuditLog.VerifyAudit(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := auditVerifyJSON{OK: res.OK, Checked: res.Checked, Last: res.Last.String()}
	if p := res.Problem; p != nil {
		out.Problem = &auditProblemJSON{Kind: string(p.Kind), Seq: p.Seq, Message: p.Message, MessageZH: p.MessageZH}
	}
	writeJSON(w, http.StatusOK, out)
}
