package api

// Detection rules (issue 14 item 3): the Sigma rule sets that run on an
// org's events (built-in and uploaded by the org or the offices above),
// turned on or off per org, and Sigma rule files uploaded for an org's
// subtree.

import (
	"net/http"
	"time"

	"fenghuo/internal/app/detection"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/sigma"
	"fenghuo/internal/store"
)

// ruleSetRoutes is the detection-rules block of the route table.
func (h *Handler) ruleSetRoutes() []Route {
	const ok, made, none = http.StatusOK, http.StatusCreated, http.StatusNoContent
	return []Route{
		{"GET", "/api/v1/rule-sets", "listRuleSets", "The Sigma rule sets that apply to an org's events (?org_id=, default the caller's): built-in sets and the uploaded sets of the org and the orgs above, each with its rules and whether the org runs it", "system.read, org in scope", false, "", "RuleSetList", ok, []string{"org_id"}, h.listRuleSets},
		{"PUT", "/api/v1/rule-sets/{name}/state", "setRuleSetState", "Turn a rule set on or off for an org's events; audited", "system.write, org in scope", false, "RuleSetState", "", none, nil, h.setRuleSetState},
		{"POST", "/api/v1/custom-rules", "createCustomRule", "Upload a Sigma rule file (detection and correlation rules, YAML) for an org's subtree; a file that does not load answers 400 with every problem by line on the field body; audited", "system.write, org in scope", false, "CustomRuleCreate", "CustomRule", made, nil, h.createCustomRule},
		{"GET", "/api/v1/custom-rules/{id}", "getCustomRule", "One uploaded rule file, with its YAML", "system.read, org in scope", false, "", "CustomRule", ok, nil, h.getCustomRule},
		{"DELETE", "/api/v1/custom-rules/{id}", "deleteCustomRule", "Delete an uploaded rule file; audited", "system.write, org in scope", false, "", "", none, nil, h.deleteCustomRule},
	}
}

type ruleJSON struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	TitleEN     string   `json:"title_en,omitempty"`
	DescEN      string   `json:"description_en,omitempty"`
	Level       string   `json:"level"`
	Tags        []string `json:"tags"`
	Threshold   bool     `json:"threshold"`
	Window      string   `json:"window,omitempty"`
}

type customRuleJSON struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	RuleID    string    `json:"rule_id"`
	Title     string    `json:"title"`
	Level     string    `json:"level"`
	Body      string    `json:"body,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

type ruleSetJSON struct {
	Name      string           `json:"name"`
	Builtin   bool             `json:"builtin"`
	OwnerID   int64            `json:"owner_id,omitempty"`
	Enabled   bool             `json:"enabled"`
	RuleCount int              `json:"rule_count"`
	Rules     []ruleJSON       `json:"rules"`
	Uploads   []customRuleJSON `json:"uploads,omitempty"`
}

func toCustomRule(r store.CustomRule, withBody bool) customRuleJSON {
	c := customRuleJSON{ID: r.ID, OrgID: r.OrgID, RuleID: r.RuleID, Title: r.Title, Level: r.Level, CreatedAt: r.CreatedAt}
	if withBody {
		c.Body = r.Body
	}
	return c
}

func toRule(r sigma.RuleInfo) ruleJSON {
	tags := r.Tags
	if tags == nil {
		tags = []string{}
	}
	return ruleJSON{ID: r.ID, Title: r.Title, Description: r.Description, TitleEN: r.TitleEN, DescEN: r.DescriptionEN, Level: r.Level, Tags: tags, Threshold: r.Threshold, Window: r.Window}
}

func (h *Handler) listRuleSets(w http.ResponseWriter, r *http.Request) {
	orgID, err := queryInt(r, "org_id", 1, 1<<62)
	if err != nil {
		h.error(w, r, err)
		return
	}
	ac := actor(r)
	if orgID == 0 {
		orgID = ac.Org.ID
	}
	sets, err := h.app.Detection.RuleSets(r.Context(), ac, orgID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := make([]ruleSetJSON, 0, len(sets))
	for _, s := range sets {
		j := ruleSetJSON{Name: s.Name, Builtin: s.Builtin, Enabled: s.Enabled, RuleCount: s.RuleCount, Rules: []ruleJSON{}}
		if s.Owner != nil {
			j.OwnerID = s.Owner.ID
		}
		for _, rule := range s.Rules {
			j.Rules = append(j.Rules, toRule(rule))
		}
		for _, u := range s.Uploads {
			j.Uploads = append(j.Uploads, toCustomRule(u, false))
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"org_id": orgID, "items": out})
}

type ruleSetStateJSON struct {
	OrgID   int64 `json:"org_id"`
	Enabled *bool `json:"enabled"`
}

func (h *Handler) setRuleSetState(w http.ResponseWriter, r *http.Request) {
	var in ruleSetStateJSON
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if in.Enabled == nil {
		h.error(w, r, fenghuo.FieldErrorf("enabled", "Say whether the rule set runs (true or false). / 请说明是否启用（true 或 false）。"))
		return
	}
	ac := actor(r)
	if in.OrgID == 0 {
		in.OrgID = ac.Org.ID
	}
	if err := h.app.Detection.SetEnabled(r.Context(), ac, in.OrgID, r.PathValue("name"), *in.Enabled); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type customRuleCreateJSON struct {
	OrgID int64  `json:"org_id"`
	Body  string `json:"body"`
}

func (h *Handler) createCustomRule(w http.ResponseWriter, r *http.Request) {
	var in customRuleCreateJSON
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	ac := actor(r)
	if in.OrgID == 0 {
		in.OrgID = ac.Org.ID
	}
	row, err := h.app.Detection.UploadRule(r.Context(), ac, detection.UploadInput{OrgID: in.OrgID, Body: in.Body})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toCustomRule(*row, true))
}

func (h *Handler) getCustomRule(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	row, err := h.app.Detection.CustomRule(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toCustomRule(*row, true))
}

func (h *Handler) deleteCustomRule(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Detection.DeleteRule(r.Context(), actor(r), id); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func ruleSetSchemas() obj {
	level := enum(sigma.Levels...)
	rule := object(obj{"id": obj{"type": "string", "description": "The Sigma id"}, "title": str, "description": str,
		"title_en": obj{"type": "string", "description": "English title, when the title is Chinese"}, "description_en": str, "level": level,
		"tags":      arrayOf(obj{"type": "string", "description": "Sigma tags, e.g. attack.t1110"}),
		"threshold": obj{"type": "boolean", "description": "A correlation rule: a count over a window"},
		"window":    obj{"type": "string", "description": "The correlation's timespan, e.g. 5m"}})
	custom := object(obj{"id": integer, "org_id": integer, "rule_id": obj{"type": "string", "description": "The Sigma id of the file's (outer) rule"},
		"title": str, "level": level, "body": obj{"type": "string", "description": "The YAML as uploaded (absent in lists)"}, "created_at": when})
	return obj{
		"RuleSetList": object(obj{"org_id": integer, "items": arrayOf(object(obj{
			"name":       obj{"type": "string", "description": "mail, egress, ids (built in) or custom:<org id> (uploaded by that org, applies to its subtree)"},
			"builtin":    boolean,
			"owner_id":   obj{"type": "integer", "description": "The org that uploaded the set (custom sets)"},
			"enabled":    obj{"type": "boolean", "description": "Whether the org runs the set on its events"},
			"rule_count": integer, "rules": arrayOf(rule), "uploads": arrayOf(custom)}))}),
		"RuleSetState": object(obj{"org_id": obj{"type": "integer", "description": "The org; default the caller's"}, "enabled": boolean}, "enabled"),
		"CustomRuleCreate": object(obj{"org_id": obj{"type": "integer", "description": "The org; default the caller's"},
			"body": obj{"type": "string", "description": "Sigma YAML, at most 256 KB: detection rules and correlation rules (specification v2), separated by ---"}}, "body"),
		"CustomRule": custom,
	}
}
