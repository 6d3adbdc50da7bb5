package api

// Exposure checks (issue 12, P4): high-risk ports on the addresses units
// registered for their systems.

import (
	"net/http"
	"time"

	"fenghuo/internal/app/exposure"
	"fenghuo/internal/fenghuo"
)

type exposureRunJSON struct {
	ID           int64      `json:"id"`
	OrgID        int64      `json:"org_id"`
	SystemID     int64      `json:"system_id"`
	Cause        string     `json:"cause"`
	Vantage      string     `json:"vantage"`
	State        string     `json:"state"`
	Addresses    int        `json:"addresses"`
	Probes       int        `json:"probes"`
	OpenHighRisk int        `json:"open_high_risk"`
	Refused      []string   `json:"refused"`
	CreatedBy    int64      `json:"created_by"`
	StartedAt    time.Time  `json:"started_at"`
	FinishedAt   *time.Time `json:"finished_at"`
	// QueuedProbes (on POST only) names the remote probes handed the
	// same plan; their checks come in as runs of their own.
	QueuedProbes []string `json:"queued_probes,omitempty"`
}

func toExposureRun(r *fenghuo.ExposureRun) *exposureRunJSON {
	if r == nil {
		return nil
	}
	refused := r.Refused
	if refused == nil {
		refused = []string{}
	}
	return &exposureRunJSON{ID: r.ID, OrgID: r.OrgID, SystemID: r.SystemID, Cause: r.Cause, Vantage: r.Vantage, State: r.State,
		Addresses: r.Addresses, Probes: r.Probes, OpenHighRisk: r.OpenHighRisk, Refused: refused, CreatedBy: r.CreatedBy,
		StartedAt: r.StartedAt, FinishedAt: timePtr(r.FinishedAt)}
}

type exposureResultJSON struct {
	ID        int64     `json:"id"`
	RunID     int64     `json:"run_id"`
	Target    string    `json:"target"`
	Address   string    `json:"address"`
	Port      int       `json:"port"`
	Service   string    `json:"service"`
	State     string    `json:"state"`
	Vantage   string    `json:"vantage"`
	HighRisk  bool      `json:"high_risk"`
	FindingID int64     `json:"finding_id"`
	LatencyMS int64     `json:"latency_ms"`
	Error     string    `json:"error"`
	At        time.Time `json:"at"`
}

func toExposureResults(rs []fenghuo.ExposureResult) []exposureResultJSON {
	out := []exposureResultJSON{}
	for _, r := range rs {
		out = append(out, exposureResultJSON{ID: r.ID, RunID: r.RunID, Target: r.Target, Address: r.Address, Port: r.Port,
			Service: exposure.PortService(r.Port), State: r.State, Vantage: r.Vantage, HighRisk: r.HighRisk, FindingID: r.FindingID,
			LatencyMS: r.LatencyMS, Error: r.Error, At: r.At})
	}
	return out
}

type exposurePolicyJSON struct {
	Ports         []int    `json:"ports"`
	Scheduled     bool     `json:"scheduled"`
	IntervalHours int      `json:"interval_hours"`
	Vantages      []string `json:"vantages"`
	SetBy         int64    `json:"set_by,omitempty"`
}

func toExposurePolicy(p fenghuo.ExposurePolicy, setBy int64) exposurePolicyJSON {
	v := p.Vantages
	if len(v) == 0 {
		v = []string{fenghuo.VantageServer}
	}
	return exposurePolicyJSON{Ports: p.Ports, Scheduled: p.Scheduled, IntervalHours: p.IntervalHours, Vantages: v, SetBy: setBy}
}

func (h *Handler) exposureOverview(w http.ResponseWriter, r *http.Request) {
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	ac := actor(r)
	if orgID == 0 {
		orgID = ac.Org.ID
	}
	rows, capped, err := h.app.Exposure.Overview(r.Context(), ac, orgID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	items := []map[string]any{}
	for _, st := range rows {
		items = append(items, map[string]any{"system_id": st.System.ID, "system_name": st.System.Name, "org_id": st.System.OrgID,
			"last": toExposureRun(st.Last), "next_due_at": timePtr(st.NextDue), "can_run": st.CanRun})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "capped": capped})
}

func (h *Handler) getSystemExposure(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	v, err := h.app.Exposure.System(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	runs := []*exposureRunJSON{}
	for i := range v.Runs {
		runs = append(runs, toExposureRun(&v.Runs[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"system_id": v.System.ID, "system_name": v.System.Name, "org_id": v.Org.ID,
		"policy": toExposurePolicy(v.Policy, v.PolicySetBy),
		"runs":   runs, "latest": toExposureResults(v.Latest), "next_due_at": timePtr(v.NextDue), "can_run": v.CanRun,
		"pending_probes": v.PendingProbes, "requested_at": timePtr(v.RequestedAt)})
}

func (h *Handler) runExposureCheck(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	ac := actor(r)
	run, err := h.app.Exposure.RunNow(r.Context(), ac, id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	queued := []string{}
	if ws, err := h.app.Exposure.PendingProbes(r.Context(), ac, id); err == nil {
		for _, wk := range ws {
			queued = append(queued, wk.ProbeName)
		}
	}
	if run == nil {
		// The policy has probes only: nothing was connected from here.
		writeJSON(w, http.StatusAccepted, map[string]any{"queued_probes": queued})
		return
	}
	out := toExposureRun(run)
	out.QueuedProbes = queued
	created(w, "/api/v1/exposure/checks/"+itoa(run.ID), out)
}

func (h *Handler) getExposureCheck(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	run, res, err := h.app.Exposure.Run(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"check": toExposureRun(run), "results": toExposureResults(res)})
}

func (h *Handler) exposureHistory(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	port, err := queryInt(r, "port", 1, 65535)
	if err != nil {
		h.error(w, r, err)
		return
	}
	limit, err := queryInt(r, "limit", 1, 500)
	if err != nil {
		h.error(w, r, err)
		return
	}
	target := r.URL.Query().Get("target")
	if target == "" || port == 0 {
		h.error(w, r, fenghuo.FieldErrorf("target", "Give target (a registered domain, URL host or IP) and port. / 请指定检测对象和端口。"))
		return
	}
	res, err := h.app.Exposure.History(r.Context(), actor(r), id, target, int(port), int(limit))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": toExposureResults(res)})
}

func (h *Handler) getExposurePolicy(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	p, setBy, err := h.app.Exposure.Policy(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toExposurePolicy(p, setBy))
}

func (h *Handler) putExposurePolicy(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in struct {
		Ports         []int    `json:"ports"`
		Scheduled     bool     `json:"scheduled"`
		IntervalHours int      `json:"interval_hours"`
		Vantages      []string `json:"vantages"`
	}
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	p := fenghuo.ExposurePolicy{Ports: in.Ports, Scheduled: in.Scheduled, IntervalHours: in.IntervalHours, Vantages: in.Vantages}
	if err := h.app.Exposure.SetPolicy(r.Context(), actor(r), id, p); err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toExposurePolicy(p, id))
}

// exposureSchemas are the OpenAPI schemas of the exposure-check routes.
func exposureSchemas() obj {
	run := obj{"id": integer, "org_id": integer, "system_id": integer, "cause": enum("schedule", "manual"), "vantage": obj{"type": "string", "description": "Where the connects were made from: server, or probe:NAME (a remote probe)"},
		"state": enum("done", "failed"), "addresses": integer, "probes": integer,
		"open_high_risk": obj{"type": "integer", "description": "High-risk ports found open (each raised or merged into a finding)"},
		"refused":        obj{"type": "array", "items": str, "description": "Registered entries not checked, with why (unresolved, block too large, special address)"},
		"created_by":     integer, "started_at": when, "finished_at": whenNil,
		"queued_probes": obj{"type": "array", "items": str, "description": "On POST only: the remote probes handed the same plan (their runs come in as they report)"}}
	result := obj{"id": integer, "run_id": integer, "target": obj{"type": "string", "description": "The registered domain, URL host or IP"},
		"address": str, "port": integer, "service": str, "state": enum("open", "closed", "timeout", "error"), "high_risk": boolean,
		"vantage":    obj{"type": "string", "description": "server, or probe:NAME"},
		"finding_id": integer, "latency_ms": integer, "error": str, "at": when}
	policy := obj{"ports": obj{"type": "array", "items": integer, "minItems": 1, "maxItems": 64},
		"scheduled":      obj{"type": "boolean", "description": "Check the subtree's systems on a schedule (off: on demand only)"},
		"interval_hours": obj{"type": "integer", "minimum": 1, "maximum": 720},
		"vantages": obj{"type": "array", "items": str, "maxItems": 16,
			"description": "Where checks connect from: \"server\" (this server) and/or the names of registered remote probes (fenghuo probe); absent or empty: the server"}}
	return obj{
		"ExposureCheck":       object(run),
		"ExposureResultList":  object(obj{"items": arrayOf(object(result))}),
		"ExposureCheckDetail": object(obj{"check": ref("ExposureCheck"), "results": arrayOf(object(result))}),
		"ExposurePolicy":      object(merge(policy, obj{"set_by": obj{"type": "integer", "description": "The org whose policy applies; absent: the default"}})),
		"ExposurePolicyPut":   object(policy, "ports", "interval_hours"),
		"ExposureSystem": object(obj{"system_id": integer, "system_name": str, "org_id": integer, "policy": ref("ExposurePolicy"),
			"runs": arrayOf(ref("ExposureCheck")), "latest": arrayOf(object(result)), "next_due_at": whenNil, "can_run": boolean,
			"pending_probes": arrayOf(str), "requested_at": whenNil}),
		"ExposureOverview": object(obj{"items": arrayOf(object(obj{"system_id": integer, "system_name": str, "org_id": integer,
			"last": obj{"oneOf": []obj{{"type": "null"}, ref("ExposureCheck")}}, "next_due_at": whenNil, "can_run": boolean})),
			"capped": boolean}),
	}
}
