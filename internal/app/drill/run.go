package drill

// Drill mode (issue 12 item 6): a drill may run a playbook's tasks. A run
// instantiates the steps of one playbook of a plan as drill tasks (owners
// as the playbook says, due times counted from the run's start), which
// their owners complete on the drill's page; ending the run closes the
// tasks still open as 演练结束, and the run's timeline (what was done
// when, what was late) can be quoted in the drill's written summary.
//
// Drill tasks are kept in their own table (store.CreateDrillRun), not as
// incident tasks: they belong to no incident and have no obligation, so a
// drill creates no reporting duty, no escalation to offices above, and no
// count in on-time statistics, score cards, incident lists or situational
// counts. Their owners are told at start by a notification marked 【演练】.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// DrillMark prefixes every notification and title of drill mode.
const DrillMark = "【演练】"

// RunInput is a drill run to start: the unit drilling (0: the actor's
// org), a title, the plan and the playbook drilled, and the scenario.
type RunInput struct {
	OrgID      int64
	Title      string
	PlanID     string
	PlaybookID string
	Scenario   string
}

// StartRun starts a drill run now: the playbook's steps become drill
// tasks owned as the playbook says (the unit for its own roles; the
// actor's org for "activator"; an organisation of the unit's subtree that
// plays the role; otherwise the unit itself, noted as standing in for the
// role, so that nothing reaches an office above), due relative to the
// start. Whoever may file drills for the unit may start one.
func (s *Service) StartRun(ctx context.Context, ac *app.Actor, in RunInput) (*fenghuo.DrillRun, []fenghuo.DrillTask, error) {
	if in.OrgID == 0 {
		in.OrgID = ac.Org.ID
	}
	in.Title, in.Scenario = strings.TrimSpace(in.Title), strings.TrimSpace(in.Scenario)
	if in.Title == "" {
		return nil, nil, fenghuo.FieldErrorf("title", "Name the drill. / 请填写演练名称。")
	}
	if in.Scenario == "" {
		return nil, nil, fenghuo.FieldErrorf("scenario", "Describe the simulated incident. / 请填写演练场景。")
	}
	if len([]rune(in.Title)) > 200 || len([]rune(in.Scenario)) > 5000 {
		return nil, nil, fenghuo.FieldErrorf("title", "Keep the title under 200 and the scenario under 5,000 characters. / 名称不超过200字，场景不超过5000字。")
	}
	p, err := s.core.Plans().Get(in.PlanID)
	if err != nil {
		return nil, nil, fenghuo.FieldErrorf("plan_id", "Choose the plan drilled. / 请选择演练的预案。")
	}
	pb, ok := p.Playbook(in.PlaybookID)
	if !ok || len(pb.Steps) == 0 {
		return nil, nil, fenghuo.FieldErrorf("playbook_id", "Choose a playbook of the plan to run. / 请选择该预案的处置流程。")
	}
	start := s.core.Now()
	r := &fenghuo.DrillRun{OrgID: in.OrgID, Title: in.Title, PlanID: p.ID, PlaybookID: pb.ID, Scenario: in.Scenario,
		StartedAt: start, StartedBy: ac.User.ID}
	var tasks []fenghuo.DrillTask
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		unit, err := tx.Org(ctx, in.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermIncidentWrite, unit.Path, "Org", in.OrgID); err != nil {
			return err
		}
		for i, st := range pb.Steps {
			t := fenghuo.DrillTask{Order: i + 1, PlanID: p.ID, PlaybookID: pb.ID, StepID: st.ID, Title: st.Title.ZH,
				Text: st.Text, Mandatory: st.Mandatory, Evidence: st.Evidence}
			if t.Title == "" {
				t.Title = st.Title.EN
			}
			owner, err := s.drillOwner(ctx, tx, ac, unit, st.EffectiveOwner())
			if err != nil {
				return err
			}
			if owner == nil {
				owner = unit
				t.OwnerNote = fmt.Sprintf("演练中由本单位模拟「%s」", plan.OwnerName(st.EffectiveOwner()).ZH)
			}
			t.OwnerOrgID = owner.ID
			if st.Due != "" {
				if sp, err := calendar.ParseSpan(st.Due); err == nil {
					t.DueAt = s.core.Calendar().Deadline(start, sp)
				}
			}
			tasks = append(tasks, t)
		}
		if err := tx.CreateDrillRun(ctx, r, tasks); err != nil {
			return err
		}
		counts := map[int64]int{}
		var owners []int64
		for _, t := range tasks {
			if counts[t.OwnerOrgID] == 0 {
				owners = append(owners, t.OwnerOrgID)
			}
			counts[t.OwnerOrgID]++
		}
		for _, id := range owners {
			if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: id, Kind: "drill.task",
				Title: fmt.Sprintf("%s演练任务%d项：%s", DrillMark, counts[id], r.Title),
				Body:  fmt.Sprintf("%s本通知为演练，不是真实事件，不产生报告义务。演练单位：%s；处置流程：%s", DrillMark, unit.Name, pb.Title.ZH),
				Link:  fmt.Sprintf("/drill-runs/%d", r.ID)}); err != nil {
				return err
			}
		}
		return s.core.Record(ctx, tx, ac, "drill.run.start", "drill_run", app.ObjectID(r.ID), "success",
			map[string]any{"org": r.OrgID, "plan": r.PlanID, "playbook": r.PlaybookID, "title": r.Title, "tasks": len(tasks)})
	})
	if err != nil {
		return nil, nil, err
	}
	return r, tasks, nil
}

// drillOwner resolves a step owner for a drill of unit; nil when no
// organisation of the unit's subtree (or the actor's own) plays the role.
func (s *Service) drillOwner(ctx context.Context, tx *store.Tx, ac *app.Actor, unit *fenghuo.Org, owner string) (*fenghuo.Org, error) {
	switch {
	case owner == plan.OwnerUnit || owner == plan.RoleOperator || owner == "" || slices.Contains(unit.PlanRoles, owner):
		return unit, nil
	case owner == plan.OwnerActivator:
		return &ac.Org, nil
	}
	o, err := incident.ResolveParty(ctx, tx, unit, plan.Party{Role: owner})
	if err != nil || o == nil {
		return nil, err
	}
	if fenghuo.InSubtree(unit.Path, o.Path) {
		return o, nil
	}
	return nil, nil
}

// RunTask is a drill task as the drill's page shows it.
type RunTask struct {
	fenghuo.DrillTask
	OwnerName string
	// StepTitle is the plan's words for the step in both languages.
	StepTitle plan.Text
	Comments  []fenghuo.DrillTaskComment
	// CanAct says the actor may change the task's state (its owner, or an
	// office over the owner, holding incident.write, while the run runs).
	CanAct bool
}

// Overdue reports whether the unfinished task is past its due time at now.
func (t *RunTask) Overdue(now time.Time) bool {
	return !fenghuo.DrillTaskClosed(t.State) && !t.DueAt.IsZero() && !now.Before(t.DueAt)
}

// RunView is a drill run with its tasks and timeline.
type RunView struct {
	Run   *fenghuo.DrillRun
	Unit  *fenghuo.Org
	Tasks []RunTask
	// CanEnd says the actor may end the run (or file the drill once ended).
	CanEnd   bool
	Timeline []TimelineLine
}

// TimelineLine is one event of a run's timeline.
type TimelineLine struct {
	At   time.Time
	Text string
	Late bool
}

// Summary is the timeline as text to quote in the drill's written summary.
func (v *RunView) Summary() string {
	var b strings.Builder
	for _, l := range v.Timeline {
		fmt.Fprintf(&b, "%s %s\n", l.At.In(calendar.Shanghai).Format("01-02 15:04"), l.Text)
	}
	return b.String()
}

// Open reports how many tasks are not finished.
func (v *RunView) Open() int {
	n := 0
	for _, t := range v.Tasks {
		if !fenghuo.DrillTaskClosed(t.State) {
			n++
		}
	}
	return n
}

func canActDrill(ac *app.Actor, run *fenghuo.DrillRun, owner *fenghuo.Org) bool {
	return run.State == fenghuo.DrillRunRunning && ac.Can(fenghuo.PermIncidentWrite) && fenghuo.InSubtree(ac.Org.Path, owner.Path)
}

// Run returns a drill run the actor may see (incident.read over its unit)
// with its tasks, their comments and the timeline.
func (s *Service) Run(ctx context.Context, ac *app.Actor, id int64) (*RunView, error) {
	v := &RunView{}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if v.Run, err = tx.DrillRun(ctx, id); err != nil {
			return err
		}
		if v.Unit, err = tx.Org(ctx, v.Run.OrgID); err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermIncidentRead, v.Unit.Path, "DrillRun", id); err != nil {
			return err
		}
		v.CanEnd = ac.Can(fenghuo.PermIncidentWrite)
		tasks, err := tx.DrillTasks(ctx, id)
		if err != nil {
			return err
		}
		comments, err := tx.DrillTaskComments(ctx, id)
		if err != nil {
			return err
		}
		byTask := map[int64][]fenghuo.DrillTaskComment{}
		for _, c := range comments {
			byTask[c.TaskID] = append(byTask[c.TaskID], c)
		}
		orgs := map[int64]*fenghuo.Org{v.Unit.ID: v.Unit}
		for _, t := range tasks {
			o, ok := orgs[t.OwnerOrgID]
			if !ok {
				if o, err = tx.Org(ctx, t.OwnerOrgID); err != nil {
					return err
				}
				orgs[o.ID] = o
			}
			v.Tasks = append(v.Tasks, RunTask{DrillTask: t, OwnerName: o.Name, Comments: byTask[t.ID], CanAct: canActDrill(ac, v.Run, o)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if p, err := s.core.Plans().Get(v.Run.PlanID); err == nil {
		if pb, ok := p.Playbook(v.Run.PlaybookID); ok {
			for i := range v.Tasks {
				for _, st := range pb.Steps {
					if st.ID == v.Tasks[i].StepID {
						v.Tasks[i].StepTitle = st.Title
					}
				}
			}
		}
	}
	v.Timeline = timeline(v)
	return v, nil
}

// timeline lists what happened in a run in time order: the start, every
// task finished (late ones marked) with its comments, and the end.
func timeline(v *RunView) []TimelineLine {
	out := []TimelineLine{{At: v.Run.StartedAt, Text: "开始演练：" + v.Run.Title}}
	for _, t := range v.Tasks {
		for _, c := range t.Comments {
			out = append(out, TimelineLine{At: c.At, Text: fmt.Sprintf("「%s」%s：%s", t.Title, c.UserName, c.Body)})
		}
		switch t.State {
		case fenghuo.TaskDone:
			l := TimelineLine{At: t.DoneAt, Text: fmt.Sprintf("「%s」完成", t.Title)}
			if t.Late() {
				l.Late = true
				l.Text += fmt.Sprintf("（超时%s）", lateBy(t.DoneAt.Sub(t.DueAt)))
			}
			out = append(out, l)
		case fenghuo.TaskNotApplicable:
			out = append(out, TimelineLine{At: t.DoneAt, Text: fmt.Sprintf("「%s」不适用：%s", t.Title, t.DoneNote)})
		case fenghuo.DrillTaskEnded:
			l := TimelineLine{At: t.DoneAt, Text: fmt.Sprintf("「%s」演练结束时未完成", t.Title)}
			if !t.DueAt.IsZero() && t.DoneAt.After(t.DueAt) {
				l.Late = true
				l.Text += fmt.Sprintf("（已超时%s）", lateBy(t.DoneAt.Sub(t.DueAt)))
			}
			out = append(out, l)
		}
	}
	if v.Run.State == fenghuo.DrillRunEnded {
		out = append(out, TimelineLine{At: v.Run.EndedAt, Text: "结束演练"})
	}
	slices.SortStableFunc(out, func(a, b TimelineLine) int { return a.At.Compare(b.At) })
	return out
}

// lateBy says a lateness in hours and minutes.
func lateBy(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d分钟", m)
	}
	if m%60 == 0 {
		return fmt.Sprintf("%d小时", m/60)
	}
	return fmt.Sprintf("%d小时%d分钟", m/60, m%60)
}

// Runs lists the drill runs of the actor's subtree, latest first.
func (s *Service) Runs(ctx context.Context, ac *app.Actor, p store.Page) (store.ListResult[fenghuo.DrillRun], error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return store.ListResult[fenghuo.DrillRun]{}, err
	}
	return s.core.DB().DrillRuns(ctx, ac.Org.Path, p)
}

// MyDrillTasks lists the unfinished drill tasks the actor's org owns.
func (s *Service) MyDrillTasks(ctx context.Context, ac *app.Actor, p store.Page) ([]fenghuo.DrillTask, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	return s.core.DB().OpenDrillTasksOf(ctx, ac.Org.ID, p)
}

// runTask loads a drill task, its run and its owner, and checks the actor
// may act on it.
func (s *Service) runTask(ctx context.Context, tx *store.Tx, ac *app.Actor, taskID int64) (*fenghuo.DrillTask, *fenghuo.DrillRun, error) {
	t, err := tx.DrillTask(ctx, taskID)
	if err != nil {
		return nil, nil, err
	}
	run, err := tx.DrillRun(ctx, t.RunID)
	if err != nil {
		return nil, nil, err
	}
	owner, err := tx.Org(ctx, t.OwnerOrgID)
	if err != nil {
		return nil, nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermIncidentWrite, owner.Path, "DrillTask", taskID); err != nil {
		return nil, nil, err
	}
	if run.State != fenghuo.DrillRunRunning {
		return nil, nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The drill has ended. / 演练已结束。")
	}
	return t, run, nil
}

// SetTaskState moves a drill task to state (in_progress, done,
// not_applicable, or back to open) for its owner or an office over it,
// while the run runs. A task that asks for evidence is done only with a
// note or a comment saying what was shown (a drill files no evidence).
func (s *Service) SetTaskState(ctx context.Context, ac *app.Actor, taskID int64, state, note string) (*fenghuo.DrillTask, error) {
	note = strings.TrimSpace(note)
	switch state {
	case fenghuo.TaskOpen, fenghuo.TaskInProgress, fenghuo.TaskDone, fenghuo.TaskNotApplicable:
	default:
		return nil, fenghuo.FieldErrorf("state", "Choose in progress, done or not applicable. / 请选择进行中、已完成或不适用。")
	}
	var out *fenghuo.DrillTask
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		t, _, err := s.runTask(ctx, tx, ac, taskID)
		if err != nil {
			return err
		}
		if state == fenghuo.TaskDone && len(t.Evidence) > 0 && note == "" {
			comments, err := tx.DrillTaskComments(ctx, t.RunID)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(comments, func(c fenghuo.DrillTaskComment) bool { return c.TaskID == taskID }) {
				return fenghuo.FieldErrorf("note", "Say what evidence was shown (%s). / 请说明演练中形成的材料（%s）。",
					strings.Join(t.Evidence, ", "), strings.Join(t.Evidence, "、"))
			}
		}
		from := t.State
		if out, err = tx.SetDrillTaskState(ctx, taskID, state, ac.User.ID, note); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "drill.task.state", "drill_task", app.ObjectID(taskID), "success",
			map[string]any{"run": t.RunID, "from": from, "to": state, "note": note, "late": out.Late()})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CommentTask adds a comment to a drill task, by whoever may act on it.
func (s *Service) CommentTask(ctx context.Context, ac *app.Actor, taskID int64, body string) (*fenghuo.DrillTaskComment, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, fenghuo.FieldErrorf("body", "Write a comment. / 请填写内容。")
	}
	if len([]rune(body)) > 4000 {
		return nil, fenghuo.FieldErrorf("body", "Keep the comment under 4,000 characters. / 内容不超过4000字。")
	}
	c := &fenghuo.DrillTaskComment{TaskID: taskID, UserID: ac.User.ID, UserName: ac.User.DisplayName, Body: body}
	if c.UserName == "" {
		c.UserName = ac.User.Username
	}
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		t, _, err := s.runTask(ctx, tx, ac, taskID)
		if err != nil {
			return err
		}
		if err := tx.AddDrillTaskComment(ctx, c); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "drill.task.comment", "drill_task", app.ObjectID(taskID), "success",
			map[string]any{"run": t.RunID, "comment": c.ID})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// EndRun ends a running drill run, by whoever may file drills for its
// unit; its open tasks close as 演练结束.
func (s *Service) EndRun(ctx context.Context, ac *app.Actor, id int64) (*fenghuo.DrillRun, error) {
	var run *fenghuo.DrillRun
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		r, err := tx.DrillRun(ctx, id)
		if err != nil {
			return err
		}
		unit, err := tx.Org(ctx, r.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermIncidentWrite, unit.Path, "DrillRun", id); err != nil {
			return err
		}
		closed, err := tx.EndDrillRun(ctx, id, ac.User.ID)
		if err != nil {
			return err
		}
		if run, err = tx.DrillRun(ctx, id); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "drill.run.end", "drill_run", app.ObjectID(id), "success",
			map[string]any{"org": r.OrgID, "closed_tasks": closed})
	})
	if err != nil {
		return nil, err
	}
	return run, nil
}
