package api

import (
	"encoding/json"
	"net/http"
	"time"

	"fenghuo/internal/app/auditlog"
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
	// Last is the anchor (SEQ:HASH) of the last good entry.
	Last            string `json:"last"`
	Archives        int    `json:"archives"`
	ArchivedEntries int64  `json:"archived_entries"`
	// Anchors is how many anchors the anchor file holds, all checked.
	Anchors      int               `json:"anchors"`
	NewestAnchor *newestAnchorJSON `json:"newest_anchor"`
	Problem      *auditProblemJSON `json:"problem"`
}

type newestAnchorJSON struct {
	Seq   int64     `json:"seq"`
	Time  time.Time `json:"time"`
	Where string    `json:"where"`
}

type auditProblemJSON struct {
	Kind string `json:"kind"`
	Seq  int64  `json:"seq"`
	// File is the archive file the problem is in, empty for the database.
	File      string `json:"file"`
	Message   string `json:"message"`
	MessageZH string `json:"message_zh"`
}

func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request) {
	res, err := h.app.AuditLog.VerifyAudit(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := auditVerifyJSON{OK: res.OK, Checked: res.Checked, Last: res.Last.String(), Archives: res.Archives, ArchivedEntries: res.ArchivedEntries, Anchors: res.Anchors}
	if n := res.Newest; n != nil {
		out.NewestAnchor = &newestAnchorJSON{Seq: n.Seq, Time: n.Time, Where: n.Where}
	}
	if p := res.Problem; p != nil {
		out.Problem = &auditProblemJSON{Kind: string(p.Kind), Seq: p.Seq, File: p.File, Message: p.Message, MessageZH: p.MessageZH}
	}
	writeJSON(w, http.StatusOK, out)
}

type auditKeepingJSON struct {
	RetentionDays   int                    `json:"retention_days"`
	ArchiveDir      string                 `json:"archive_dir"`
	Archives        int64                  `json:"archives"`
	ArchivedEntries int64                  `json:"archived_entries"`
	LastArchive     *auditArchiveJSON      `json:"last_archive"`
	SigningKeyID    string                 `json:"signing_key_id"`
	AnchorFile      string                 `json:"anchor_file"`
	AnchorSyslog    string                 `json:"anchor_syslog"`
	AnchorInterval  int64                  `json:"anchor_interval_seconds"`
	LastAnchor      *auditlog.AnchorRecord `json:"last_anchor"`
}

type auditArchiveJSON struct {
	File     string    `json:"file"`
	FirstSeq int64     `json:"first_seq"`
	LastSeq  int64     `json:"last_seq"`
	Entries  int64     `json:"entries"`
	Created  time.Time `json:"created"`
}

func (h *Handler) getAuditKeeping(w http.ResponseWriter, r *http.Request) {
	k, err := h.app.AuditLog.KeepingState(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := auditKeepingJSON{RetentionDays: k.RetentionDays, ArchiveDir: k.ArchiveDir, Archives: k.Archives.Archives, ArchivedEntries: k.Archives.ArchivedEntries,
		SigningKeyID: k.SigningKeyID, AnchorFile: k.AnchorFile, AnchorSyslog: k.AnchorSyslog, AnchorInterval: k.AnchorIntervalSeconds, LastAnchor: k.LastAnchor}
	if a := k.Archives.Last; a != nil {
		out.LastArchive = &auditArchiveJSON{File: a.File, FirstSeq: a.FirstSeq, LastSeq: a.LastSeq, Entries: a.Entries, Created: a.Created}
	}
	writeJSON(w, http.StatusOK, out)
}
