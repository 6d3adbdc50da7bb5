package web

// Drill mode (issue 12 item 6): /drill-runs/new starts a drill that runs
// a playbook's tasks (开始演练 is its one primary action); /drill-runs/{id}
// is the drill's page: the tasks marked 演练 with their states, countdowns
// and comments, worked by their owners; 结束演练 closes the open ones, and
// the ended drill's timeline is quoted in the summary filed with the
// office.

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app/drill"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// registerDrillRuns adds the drill-mode routes (called from routes).
func (h *Handler) registerDrillRuns(mux *http.ServeMux) {
	mux.HandleFunc("GET /drill-runs/new", h.authed(h.drillRunNew))
	mux.HandleFunc("POST /drill-runs", h.authed(h.startDrillRun))
	mux.HandleFunc("GET /drill-runs/{id}", h.authed(h.drillRunPage))
	mux.HandleFunc("POST /drill-runs/{id}/end", h.authed(h.endDrillRun))
	mux.HandleFunc("POST /drill-runs/{id}/file", h.authed(h.fileDrillRun))
	mux.HandleFunc("POST /drill-tasks/{id}/state", h.authed(h.drillTaskState))
	mux.HandleFunc("POST /drill-tasks/{id}/comment", h.authed(h.drillTaskComment))
}

type drillRunNewData struct {
	Units     []fenghuo.Org
	Playbooks []playbookChoice
	Runs      store.ListResult[fenghuo.DrillRun]
	OrgNames  map[int64]string
	Form      map[string]string
}

func (h *Handler) drillRunNew(w http.ResponseWriter, r *http.Request) {
	h.renderDrillRunNew(w, r, http.StatusOK, nil)
}

func (h *Handler) renderDrillRunNew(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	ac := actor(r)
	if !ac.Can(fenghuo.PermIncidentWrite) {
		h.fail(w, r, ac, fenghuo.Errorf(fenghuo.EFORBIDDEN, "You may not start drills. / 您无权组织演练。"))
		return
	}
	d := drillRunNewData{Form: map[string]string{}, OrgNames: map[int64]string{}}
	var err error
	if d.Runs, err = h.app.Drills.Runs(r.Context(), ac, store.Page{Limit: 20}); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	if units, err := h.subtreeOrgs(r); err == nil {
		d.Units = units
		for _, o := range units {
			d.OrgNames[o.ID] = o.Name
		}
	}
	for _, id := range h.app.Core.Plans().IDs() {
		pl, err := h.app.Core.Plans().Get(id)
		if err != nil {
			continue
		}
		for _, pb := range pl.Playbooks {
			if len(pb.Steps) > 0 {
				d.Playbooks = append(d.Playbooks, playbookChoice{PlanID: id, ID: pb.ID, Title: pl.Name.String() + " · " + pb.Title.String()})
			}
		}
	}
	if formErr != nil {
		for _, k := range []string{"org_id", "title", "playbook", "scenario"} {
			d.Form[k] = r.FormValue(k)
		}
	}
	v := &view{Actor: ac, Title: "drillrun.new.title", Nav: "drills", Data: d}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "drill_run_new", v)
}

func (h *Handler) startDrillRun(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	planID, playbookID, _ := strings.Cut(r.FormValue("playbook"), "/")
	run, _, err := h.app.Drills.StartRun(r.Context(), ac, drill.RunInput{OrgID: formInt(r, "org_id"), Title: r.FormValue("title"),
		PlanID: planID, PlaybookID: playbookID, Scenario: r.FormValue("scenario")})
	next := ""
	if err == nil {
		next = fmt.Sprintf("/drill-runs/%d", run.ID)
	}
	h.finishAction(w, r, err, next, func(err error) {
		var fe *fenghuo.Error
		if errors.As(err, &fe) && (fe.Field == "plan_id" || fe.Field == "playbook_id") {
			fe.Field = "playbook"
		}
		h.renderDrillRunNew(w, r, http.StatusBadRequest, err)
	})
}

type drillRunData struct {
	V        *drill.RunView
	Now      time.Time
	Playbook string
	Kinds    []string
	Drill    *fenghuo.Drill
	ErrTask  int64
	Form     map[string]string
}

func (h *Handler) drillRunPage(w http.ResponseWriter, r *http.Request) {
	h.renderDrillRun(w, r, http.StatusOK, 0, nil)
}

func (h *Handler) renderDrillRun(w http.ResponseWriter, r *http.Request, status int, errTask int64, formErr error) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	v, err := h.app.Drills.Run(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := drillRunData{V: v, Now: h.app.Core.Now(), Kinds: fenghuo.DrillKinds, ErrTask: errTask, Form: map[string]string{}}
	if pl, err := h.app.Core.Plans().Get(v.Run.PlanID); err == nil {
		d.Playbook = pl.Name.String()
		if pb, ok := pl.Playbook(v.Run.PlaybookID); ok {
			d.Playbook += " · " + pb.Title.String()
		}
	}
	if v.Run.DrillID != 0 {
		d.Drill, _ = h.app.Drills.Drill(r.Context(), ac, v.Run.DrillID)
	}
	if formErr != nil {
		for _, k := range []string{"kind", "participants", "headcount", "result", "improvements", "note", "body"} {
			d.Form[k] = r.FormValue(k)
		}
	}
	view := &view{Actor: ac, Title: "drillrun.title", Nav: "drills", Data: d}
	if formErr != nil {
		view.Errors, view.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "drill_run", view)
}

func (h *Handler) endDrillRun(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	_, err := h.app.Drills.EndRun(r.Context(), ac, id)
	h.finishAction(w, r, err, fmt.Sprintf("/drill-runs/%d", id), func(err error) { h.renderDrillRun(w, r, http.StatusConflict, 0, err) })
}

// fileDrillRun files the drill of an ended run with the office, its
// summary quoting the run's timeline (prefilled in the form).
func (h *Handler) fileDrillRun(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	run, err := h.app.Drills.Run(r.Context(), ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	headcount, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("headcount")))
	_, err = h.app.Drills.RecordDrill(r.Context(), ac, drill.DrillInput{RunID: id, Kind: r.FormValue("kind"),
		HeldOn: run.Run.StartedAt, Title: run.Run.Title, Participants: r.FormValue("participants"), Headcount: headcount,
		Scenario: run.Run.Scenario, Result: r.FormValue("result"), Improvements: r.FormValue("improvements")})
	h.finishAction(w, r, err, fmt.Sprintf("/drill-runs/%d", id), func(err error) { h.renderDrillRun(w, r, http.StatusBadRequest, 0, err) })
}

// drillTaskRun returns the run of a drill task the actor may see, for the
// redirect back to the drill's page.
func (h *Handler) drillTaskRun(r *http.Request, taskID int64) int64 {
	var runID int64
	h.app.Core.DB().View(r.Context(), func(tx *store.Tx) error {
		t, err := tx.DrillTask(r.Context(), taskID)
		if err == nil {
			runID = t.RunID
		}
		return err
	})
	return runID
}

func (h *Handler) drillTaskState(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	_, err := h.app.Drills.SetTaskState(r.Context(), ac, id, r.FormValue("state"), r.FormValue("note"))
	h.afterDrillTask(w, r, id, err)
}

func (h *Handler) drillTaskComment(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.ParseForm()
	_, err := h.app.Drills.CommentTask(r.Context(), ac, id, r.FormValue("body"))
	h.afterDrillTask(w, r, id, err)
}

func (h *Handler) afterDrillTask(w http.ResponseWriter, r *http.Request, taskID int64, err error) {
	runID := h.drillTaskRun(r, taskID)
	if runID == 0 {
		h.fail(w, r, actor(r), fenghuo.Errorf(fenghuo.ENOTFOUND, "Drill task %d not found. / 未找到该演练任务。", taskID))
		return
	}
	h.finishAction(w, r, err, fmt.Sprintf("/drill-runs/%d#dtask-%d", runID, taskID), func(err error) {
		r.SetPathValue("id", strconv.FormatInt(runID, 10))
		h.renderDrillRun(w, r, http.StatusBadRequest, taskID, err)
	})
}

// DrillTaskStateLabel names a drill task's state (演练结束 besides the task
// states).
func (v *view) DrillTaskStateLabel(s string) string {
	if s == fenghuo.DrillTaskEnded {
		return v.T("drillrun.state.drill_ended")
	}
	return v.TaskStateLabel(s)
}
