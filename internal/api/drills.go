package api

// Drills, training and publicity, capability score card (issue 12, P5):
// units file their drills (and the written summary) with the office above;
// offices see who has not drilled this year and each unit's score card.

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"fenghuo/internal/app/drill"
	"fenghuo/internal/fenghuo"
)

func init() {
	queryParams["year"] = obj{"type": "integer", "minimum": 2000, "maximum": 2100, "description": "Calendar year (Asia/Shanghai); default this year"}
}

var yearQuery = append([]string{"year"}, paging...)

// drillRoutes is the drill block of the route table.
func (h *Handler) drillRoutes() []Route {
	const ok, made = http.StatusOK, http.StatusCreated
	return []Route{
		{"GET", "/api/v1/drills", "listDrills", "Drills of a year filed by orgs of the caller's subtree, latest first", "incident.read", false, "", "DrillList", ok, yearQuery, h.listDrills},
		{"POST", "/api/v1/drills", "createDrill", "File a drill of an org in scope (the caller's own by default) with the office above; closes the org's yearly drill duty (001 §6.2)", "incident.write, org in scope", false, "DrillCreate", "Drill", made, nil, h.createDrill},
		{"GET", "/api/v1/drills/missing", "listUnitsWithoutDrill", "Operator units of the caller's subtree without a drill in the year; listed from the office's listing date (default 1 December), empty before it", "incident.read", false, "", "DrillMissing", ok, yearQuery, h.listUnitsWithoutDrill},
		{"GET", "/api/v1/drills/{id}", "getDrill", "One drill", "incident.read, org in scope", false, "", "Drill", ok, nil, h.getDrill},
		{"POST", "/api/v1/drills/{id}/file", "uploadDrillFile", "File the written summary of a drill that has none: multipart/form-data field \"file\" (≤ 20 MB, kinds as incident evidence)", "incident.write, org in scope", false, "multipart", "Drill", made, nil, h.uploadDrillFile},
		{"GET", "/api/v1/drills/{id}/file", "downloadDrillFile", "Download a drill's written summary as an attachment (audited as an export)", "incident.read, org in scope", false, "", "binary", ok, nil, h.downloadDrillFile},
		{"GET", "/api/v1/activities", "listActivities", "Training and publicity activities of a year in the caller's subtree, latest first", "incident.read", false, "", "ActivityList", ok, yearQuery, h.listActivities},
		{"POST", "/api/v1/activities", "createActivity", "Record a training (001 §6.4) or publicity (§6.3) activity of an org in scope", "incident.write, org in scope", false, "ActivityCreate", "Activity", made, nil, h.createActivity},
		{"GET", "/api/v1/capability", "getScoreCard", "The capability score card of a year for every operator unit of the caller's subtree, from measured duties, with the formula", "incident.read", false, "", "ScoreCard", ok, []string{"year"}, h.getScoreCard},
		{"GET", "/api/v1/capability/export.xlsx", "exportScoreCard", "The score card as XLSX; audited", "incident.read", false, "", "xlsx", ok, []string{"year"}, h.exportScoreCard},
		{"GET", "/api/v1/capability/config", "getCapabilityConfig", "The score weights and drill listing date that apply to the caller's org (its office's, inherited, or the defaults)", "incident.read", false, "", "CapabilityConfig", ok, nil, h.getCapabilityConfig},
		{"PUT", "/api/v1/capability/config", "putCapabilityConfig", "Set the caller's office's score weights (0–100 each, one above 0) and listing date, inherited below", "warning.issue, an office", false, "CapabilityConfig", "CapabilityConfig", ok, nil, h.putCapabilityConfig},
	}
}

type drillJSON struct {
	ID           int64     `json:"id"`
	OrgID        int64     `json:"org_id"`
	Year         int       `json:"year"`
	Kind         string    `json:"kind"`
	HeldOn       time.Time `json:"held_on"`
	Title        string    `json:"title"`
	Participants string    `json:"participants"`
	Headcount    int       `json:"headcount"`
	PlanID       string    `json:"plan_id"`
	PlaybookID   string    `json:"playbook_id"`
	Scenario     string    `json:"scenario"`
	Result       string    `json:"result"`
	Improvements string    `json:"improvements"`
	FiledToOrgID int64     `json:"filed_to_org_id"`
	FileName     string    `json:"file_name"`
	FileSize     int64     `json:"file_size"`
	FileSM3      string    `json:"file_sm3"`
	CreatedAt    time.Time `json:"created_at"`
}

func toDrill(d fenghuo.Drill) drillJSON {
	return drillJSON{ID: d.ID, OrgID: d.OrgID, Year: d.Year, Kind: d.Kind, HeldOn: d.HeldOn, Title: d.Title,
		Participants: d.Participants, Headcount: d.Headcount, PlanID: d.PlanID, PlaybookID: d.PlaybookID, Scenario: d.Scenario,
		Result: d.Result, Improvements: d.Improvements, FiledToOrgID: d.FiledToOrgID, FileName: d.File.Name,
		FileSize: d.File.Size, FileSM3: d.File.SM3, CreatedAt: d.CreatedAt}
}

type drillCreateJSON struct {
	OrgID        int64     `json:"org_id"`
	Kind         string    `json:"kind"`
	HeldOn       time.Time `json:"held_on"`
	Title        string    `json:"title"`
	Participants string    `json:"participants"`
	Headcount    int       `json:"headcount"`
	PlanID       string    `json:"plan_id"`
	PlaybookID   string    `json:"playbook_id"`
	Scenario     string    `json:"scenario"`
	Result       string    `json:"result"`
	Improvements string    `json:"improvements"`
	RunID        int64     `json:"run_id"`
}

// year reads ?year=, defaulting to the current year in Asia/Shanghai.
func (h *Handler) year(r *http.Request) (int, error) {
	y, err := queryInt(r, "year", 2000, 2100)
	if err != nil {
		return 0, err
	}
	if y == 0 {
		return h.app.Core.Now().In(time.FixedZone("CST", 8*3600)).Year(), nil
	}
	return int(y), nil
}

func (h *Handler) listDrills(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	y, err := h.year(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Drills.Drills(r.Context(), actor(r), y, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toDrill))
}

func (h *Handler) createDrill(w http.ResponseWriter, r *http.Request) {
	var in drillCreateJSON
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	d, err := h.app.Drills.RecordDrill(r.Context(), actor(r), drill.DrillInput{OrgID: in.OrgID, Kind: in.Kind, HeldOn: in.HeldOn,
		Title: in.Title, Participants: in.Participants, Headcount: in.Headcount, PlanID: in.PlanID, PlaybookID: in.PlaybookID,
		Scenario: in.Scenario, Result: in.Result, Improvements: in.Improvements, RunID: in.RunID})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toDrill(*d))
}

type drillMissingJSON struct {
	Year       int       `json:"year"`
	ListedFrom time.Time `json:"listed_from"`
	Shown      bool      `json:"shown"`
	list[orgJSON]
}

func (h *Handler) listUnitsWithoutDrill(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	y, err := h.year(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	m, err := h.app.Drills.UnitsWithoutDrill(r.Context(), actor(r), y, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, drillMissingJSON{Year: m.Year, ListedFrom: m.ListedFrom, Shown: m.Shown,
		list: pageOf(m.Units, p, func(o fenghuo.Org) orgJSON { return toOrg(o) })})
}

func (h *Handler) getDrill(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	d, err := h.app.Drills.Drill(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toDrill(*d))
}

func (h *Handler) uploadDrillFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	f, hdr, ok := h.evidenceFile(w, r)
	if !ok {
		return
	}
	defer f.Close()
	d, err := h.app.Drills.AttachDrillFile(r.Context(), actor(r), id, hdr.Filename, f)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toDrill(*d))
}

func (h *Handler) downloadDrillFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	d, f, err := h.app.Drills.OpenDrillFile(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	defer f.Close()
	writeEvidenceFile(w, d.File.Name, d.File.SM3, f)
}

type activityJSON struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	Category  string    `json:"category"`
	HeldOn    time.Time `json:"held_on"`
	Kind      string    `json:"kind"`
	Audience  string    `json:"audience"`
	Count     int       `json:"count"`
	Summary   string    `json:"summary"`
	CreatedAt time.Time `json:"created_at"`
}

func toActivity(a fenghuo.Activity) activityJSON {
	return activityJSON{ID: a.ID, OrgID: a.OrgID, Category: a.Category, HeldOn: a.HeldOn, Kind: a.Kind, Audience: a.Audience,
		Count: a.Count, Summary: a.Summary, CreatedAt: a.CreatedAt}
}

type activityCreateJSON struct {
	OrgID    int64     `json:"org_id"`
	Category string    `json:"category"`
	HeldOn   time.Time `json:"held_on"`
	Kind     string    `json:"kind"`
	Audience string    `json:"audience"`
	Count    int       `json:"count"`
	Summary  string    `json:"summary"`
}

func (h *Handler) listActivities(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	y, err := h.year(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Drills.Activities(r.Context(), actor(r), y, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toActivity))
}

func (h *Handler) createActivity(w http.ResponseWriter, r *http.Request) {
	var in activityCreateJSON
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	a, err := h.app.Drills.RecordActivity(r.Context(), actor(r), drill.ActivityInput{OrgID: in.OrgID, Category: in.Category,
		HeldOn: in.HeldOn, Kind: in.Kind, Audience: in.Audience, Count: in.Count, Summary: in.Summary})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toActivity(*a))
}

type termJSON struct {
	Term string   `json:"term"`
	Met  int      `json:"met"`
	Due  int      `json:"due"`
	Rate *float64 `json:"rate"`
}

type unitScoreJSON struct {
	OrgID   int64      `json:"org_id"`
	OrgName string     `json:"org_name"`
	Terms   []termJSON `json:"terms"`
	Score   *float64   `json:"score"`
	Drills  int        `json:"drills"`
}

type scoreCardJSON struct {
	Year    int             `json:"year"`
	AsOf    time.Time       `json:"as_of"`
	Formula string          `json:"formula"`
	Weights map[string]int  `json:"weights"`
	Units   []unitScoreJSON `json:"units"`
}

func (h *Handler) getScoreCard(w http.ResponseWriter, r *http.Request) {
	y, err := h.year(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	card, err := h.app.Drills.ScoreCard(r.Context(), actor(r), y)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := scoreCardJSON{Year: card.Year, AsOf: card.AsOf, Weights: card.Config.Weights, Units: []unitScoreJSON{},
		Formula: card.Config.Weights.Formula(func(t string) string { return t })}
	for _, u := range card.Units {
		row := unitScoreJSON{OrgID: u.Org.ID, OrgName: u.Org.Name, Drills: u.Drills, Terms: []termJSON{}}
		for _, m := range u.Measures {
			t := termJSON{Term: m.Term, Met: m.Met, Due: m.Due}
			if m.Due > 0 {
				v := m.Rate()
				t.Rate = &v
			}
			row.Terms = append(row.Terms, t)
		}
		if u.Scored {
			v := u.Score
			row.Score = &v
		}
		out.Units = append(out.Units, row)
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) exportScoreCard(w http.ResponseWriter, r *http.Request) {
	y, err := h.year(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := h.app.Drills.ExportScoreCard(r.Context(), actor(r), y, &buf); err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="capability-%d.xlsx"`, y))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

type capabilityConfigJSON struct {
	Weights      map[string]int `json:"weights"`
	ListingMonth int            `json:"listing_month"`
	ListingDay   int            `json:"listing_day"`
	SetBy        int64          `json:"set_by,omitempty"`
}

func (h *Handler) getCapabilityConfig(w http.ResponseWriter, r *http.Request) {
	c, err := h.app.Drills.Config(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, capabilityConfigJSON{Weights: c.Weights, ListingMonth: c.ListingMonth, ListingDay: c.ListingDay, SetBy: c.OrgID})
}

func (h *Handler) putCapabilityConfig(w http.ResponseWriter, r *http.Request) {
	var in capabilityConfigJSON
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	c, err := h.app.Drills.SetConfig(r.Context(), actor(r), drill.Config{Weights: in.Weights, ListingMonth: in.ListingMonth, ListingDay: in.ListingDay})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, capabilityConfigJSON{Weights: c.Weights, ListingMonth: c.ListingMonth, ListingDay: c.ListingDay, SetBy: c.OrgID})
}

func drillSchemas() obj {
	terms := enum(fenghuo.ScoreTerms...)
	weights := obj{"type": "object", "description": "Weight (0–100) per term: " + fmt.Sprint(fenghuo.ScoreTerms), "additionalProperties": integer}
	drillProps := obj{"org_id": obj{"type": "integer", "description": "An org in scope; 0 or absent: the caller's own"},
		"kind": enum(fenghuo.DrillKinds...), "held_on": when, "title": str,
		"participants": obj{"type": "string", "description": "Who took part (departments, teams)"}, "headcount": integer,
		"plan_id": str, "playbook_id": obj{"type": "string", "description": "A playbook of the plan, optional"},
		"scenario": obj{"type": "string", "description": "The simulated incident"},
		"result":   obj{"type": "string", "description": "How it went, what the plan lacked"}, "improvements": str}
	return obj{
		"DrillCreate": object(merge(drillProps, obj{"run_id": obj{"type": "integer", "description": "An ended drill run (drill mode) this drill files; its unit, plan and playbook"}}), "kind", "held_on", "title", "participants", "headcount", "plan_id", "scenario", "result"),
		"Drill": object(merge(drillProps, obj{"id": integer, "year": integer,
			"filed_to_org_id": obj{"type": "integer", "description": "The office it was filed with (备案)"},
			"file_name":       str, "file_size": integer, "file_sm3": str, "created_at": when})),
		"DrillList": listOf("Drill"),
		"DrillMissing": object(merge(obj{"year": integer, "listed_from": when,
			"shown": obj{"type": "boolean", "description": "false before the listing date: items is then empty"}},
			obj{"items": arrayOf(ref("Org")), "total": integer, "limit": integer, "offset": integer, "total_capped": boolean})),
		"ActivityCreate": object(obj{"org_id": integer, "category": enum(fenghuo.ActivityCategories...), "held_on": when,
			"kind": obj{"type": "string", "description": "e.g. “专业技术培训”, “网络安全宣传周”"}, "audience": str,
			"count": obj{"type": "integer", "description": "People trained or reached"}, "summary": str},
			"category", "held_on", "kind", "audience", "count", "summary"),
		"Activity": object(obj{"id": integer, "org_id": integer, "category": enum(fenghuo.ActivityCategories...), "held_on": when,
			"kind": str, "audience": str, "count": integer, "summary": str, "created_at": when}),
		"ActivityList": listOf("Activity"),
		"ScoreCard": object(obj{"year": integer, "as_of": when,
			"formula": obj{"type": "string", "description": "score = weighted mean of the measured terms' rates × 100; terms with nothing due are left out"},
			"weights": weights,
			"units": arrayOf(object(obj{"org_id": integer, "org_name": str, "drills": integer,
				"score": obj{"type": []string{"number", "null"}, "description": "null when nothing weighted was measured"},
				"terms": arrayOf(object(obj{"term": terms, "met": integer, "due": integer,
					"rate": obj{"type": []string{"number", "null"}}}))}))}),
		"CapabilityConfig": object(obj{"weights": weights, "listing_month": integer, "listing_day": integer,
			"set_by": obj{"type": "integer", "description": "The office whose setting applies (absent: the defaults)"}},
			"weights", "listing_month", "listing_day"),
	}
}
