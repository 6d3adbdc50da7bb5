package api

import (
	"bytes"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
	"fenghuo/internal/fenghuo"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Warnings (预警) are issued by an office to targets in its subtree under
// the issuer rules of its governing plan (app.IssueWarning). They are
// visible to the issuer's side, to the office they were proposed to and to
// their targets; each target acknowledges and reports its measures done.

type warningCreate struct {
	OrgID       int64         `json:"org_id"`
	Color       string        `json:"color"`
	Category    string        `json:"category"`
	Title       string        `json:"title"`
	StartAt     *time.Time    `json:"start_at"`
	Scope       string        `json:"scope"`
	Items       string        `json:"items"`
	Measures    []measureJSON `json:"measures"`
	AckMinutes  int           `json:"ack_minutes"`
	Targets     targetingJSON `json:"targets"`
	MultiRegion bool          `json:"multi_region"`
}

func (in warningCreate) input() warning.WarningInput {
	out := warning.WarningInput{OrgID: in.OrgID, Color: fenghuo.Color(in.Color), Category: in.Category, Title: in.Title, Scope: in.Scope,
		Items: in.Items, AckMinutes: in.AckMinutes, Targeting: in.Targets.domain(), MultiRegion: in.MultiRegion}
	if in.StartAt != nil {
		out.StartAt = *in.StartAt
	}
	for _, m := range in.Measures {
		out.Measures = append(out.Measures, fenghuo.Measure(m))
	}
	return out
}

func (h *Handler) listWarnings(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Warnings.Warnings(r.Context(), actor(r), p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageOf(res, p, toWarning))
}

func (h *Handler) issueWarning(w http.ResponseWriter, r *http.Request) {
	var in warningCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	wa, err := h.app.Warnings.IssueWarning(r.Context(), actor(r), in.input())
	if err != nil {
		h.error(w, r, err)
		return
	}
	created(w, Prefix+"/warnings/"+itoa(wa.ID), toWarning(*wa))
}

// proposeWarning asks the higher office the plan names to issue a colour
// the caller's office may not.
func (h *Handler) proposeWarning(w http.ResponseWriter, r *http.Request) {
	var in warningCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	wa, err := h.app.Warnings.ProposeWarning(r.Context(), actor(r), in.input())
	if err != nil {
		h.error(w, r, err)
		return
	}
	created(w, Prefix+"/warnings/"+itoa(wa.ID), toWarning(*wa))
}

func (h *Handler) getWarning(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var d *warning.WarningDetail
		if d, err = h.app.Warnings.Warning(r.Context(), actor(r), id); err == nil {
			out := warningDetail(d, h.app.Core.Now())
			out.Signature = recordSignature(d.Signature, answerLang(r))
			writeJSON(w, http.StatusOK, out)
			return
		}
	}
	h.error(w, r, err)
}

// warningIssuerCheck says whether the caller's org may issue a colour, and
// whom to propose it to if not.
func (h *Handler) warningIssuerCheck(w http.ResponseWriter, r *http.Request) {
	c := fenghuo.Color(r.URL.Query().Get("color"))
	if !c.Valid() {
		h.error(w, r, fenghuo.FieldErrorf("color", "color must be red, orange, yellow or blue. / 请选择预警颜色。"))
		return
	}
	multi, err := queryBool(r, "multi_region")
	if err != nil {
		h.error(w, r, err)
		return
	}
	refusal, err := h.app.Warnings.WarningIssuerCheck(r.Context(), actor(r), c, multi)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := issuerCheckJSON{Color: string(c), MultiRegion: multi, Allowed: refusal == nil}
	if refusal != nil {
		out.PlanID, out.Clause, out.Rule, out.ProposeTo = refusal.PlanID, refusal.Clause, refusal.Rule, orgRef(refusal.ProposeTo)
	}
	writeJSON(w, http.StatusOK, out)
}

type warningDecision struct {
	Issue  *bool  `json:"issue"`
	Reason string `json:"reason"`
}

// decideWarning issues or declines a warning proposed to the caller's office.
func (h *Handler) decideWarning(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in warningDecision
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	if in.Issue == nil {
		h.error(w, r, fenghuo.FieldErrorf("issue", "Say whether to issue the proposed warning: true or false. / 请选择是否发布该预警。"))
		return
	}
	wa, err := h.app.Warnings.DecideProposal(r.Context(), actor(r), id, *in.Issue, strings.TrimSpace(in.Reason))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toWarning(*wa))
}

type warningColor struct {
	Color  string `json:"color"`
	Reason string `json:"reason"`
}

// changeWarningColor raises or lowers an active warning.
func (h *Handler) changeWarningColor(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in warningColor
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	wa, err := h.app.Warnings.ChangeWarningColor(r.Context(), actor(r), id, fenghuo.Color(in.Color), in.Reason)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toWarning(*wa))
}

type reasonBody struct {
	Reason string `json:"reason"`
}

func (h *Handler) liftWarning(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in reasonBody
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	wa, err := h.app.Warnings.LiftWarning(r.Context(), actor(r), id, strings.TrimSpace(in.Reason))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toWarning(*wa))
}

// ackWarningTarget acknowledges receipt of a warning for a target org; a
// second acknowledgement changes nothing.
func (h *Handler) ackWarningTarget(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var t *fenghuo.WarningTarget
		if t, err = h.app.Warnings.AckWarning(r.Context(), actor(r), id); err == nil {
			writeJSON(w, http.StatusOK, toWarningTarget(*t))
			return
		}
	}
	h.error(w, r, err)
}

type measuresDone struct {
	Note string `json:"note"`
}

func (h *Handler) reportMeasuresDone(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in measuresDone
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	t, err := h.app.Warnings.ReportMeasuresDone(r.Context(), actor(r), id, in.Note)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toWarningTarget(*t))
}

// Protection periods (重要保障期) and their daily reports.

type periodCreate struct {
	OrgID      int64   `json:"org_id"`
	Name       string  `json:"name"`
	FirstDay   string  `json:"first_day"`
	LastDay    string  `json:"last_day"`
	Cutoff     string  `json:"cutoff"`
	LeaderDuty bool    `json:"leader_duty"`
	RoundClock bool    `json:"round_clock"`
	UnitIDs    []int64 `json:"unit_ids"`
}

func (h *Handler) listPeriods(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	all, err := h.app.Periods.Periods(r.Context(), actor(r))
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pageSlice(all, p, toPeriod))
}

func (h *Handler) createPeriod(w http.ResponseWriter, r *http.Request) {
	var in periodCreate
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	p, err := h.app.Periods.CreatePeriod(r.Context(), actor(r), period.PeriodInput{OrgID: in.OrgID, Name: in.Name, FirstDay: in.FirstDay,
		LastDay: in.LastDay, Cutoff: in.Cutoff, LeaderDuty: in.LeaderDuty, RoundClock: in.RoundClock, UnitIDs: in.UnitIDs})
	if err != nil {
		h.error(w, r, err)
		return
	}
	created(w, Prefix+"/periods/"+itoa(p.ID), toPeriod(*p))
}

// periodBoard shows a day of a period (?day=YYYY-MM-DD; default the day
// whose cut-off is nearest) for the units the caller may see.
func (h *Handler) periodBoard(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	day := r.URL.Query().Get("day")
	if day != "" {
		if _, err := time.Parse("2006-01-02", day); err != nil {
			h.error(w, r, fenghuo.FieldErrorf("day", "day must be a date YYYY-MM-DD. / 日期格式为YYYY-MM-DD。"))
			return
		}
	}
	b, err := h.app.Periods.DailyBoard(r.Context(), actor(r), id, day)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toBoard(b))
}

type dailyReportSubmit struct {
	OrgID       int64   `json:"org_id"`
	Day         string  `json:"day"`
	Quiet       bool    `json:"quiet"`
	IncidentIDs []int64 `json:"incident_ids"`
	Note        string  `json:"note"`
}

// fileDailyReport files (or corrects) a unit's report for a day: quiet
// (平安) or the day's incidents.
func (h *Handler) fileDailyReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in dailyReportSubmit
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	rep, err := h.app.Periods.FileDailyReport(r.Context(), actor(r), period.DailyReportInput{PeriodID: id, OrgID: in.OrgID, Day: in.Day,
		Quiet: in.Quiet, IncidentIDs: in.IncidentIDs, Note: in.Note})
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toDailyReport(*rep))
}

type chaseRequest struct {
	OrgID int64  `json:"org_id"`
	Day   string `json:"day"`
}

// chaseUnit reminds a unit that has not filed a period day's report (催报),
// as the console's board does, and says whom the reminder reached.
func (h *Handler) chaseUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in chaseRequest
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Periods.Chase(r.Context(), actor(r), id, in.OrgID, in.Day)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toChase(res))
}

func (h *Handler) exportDailyReports(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	q := r.URL.Query()
	day := q.Get("day")
	if day == "" {
		day = "all"
	}
	if day != "all" {
		if _, err := time.Parse("2006-01-02", day); err != nil {
			h.error(w, r, fenghuo.FieldErrorf("day", "day must be a date YYYY-MM-DD or all. / 日期格式为YYYY-MM-DD或all。"))
			return
		}
	}
	var buf bytes.Buffer
	if err := h.app.Periods.DailyXLSX(r.Context(), actor(r), id, day, q.Get("lang"), &buf); err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="daily-%d-%s.xlsx"`, id, day))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
