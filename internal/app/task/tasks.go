package task

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Row is a task as the console and the API show it: the task, its owner's
// name, its obligation (when it was reminded and escalated, and to whom),
// its comments, the evidence linked to it and whether the actor may act
// on it.
type Row struct {
	fenghuo.Task
	OwnerName     string
	OwnerUserName string
	// PlaybookTitle and StepTitle are the plan's words in both languages
	// (empty for an ad-hoc task).
	PlaybookTitle plan.Text
	StepTitle     plan.Text
	Clause        string
	// Obligation is the task's duty: RemindedAt is when the owner was
	// reminded, EscalatedAt when it was overdue and the owner and
	// EscalatedToName were told.
	Obligation      *fenghuo.Obligation
	EscalatedToName string
	Comments        []fenghuo.TaskComment
	EvidenceIDs     []int64
	// CanAct says the actor may change the task's state.
	CanAct bool
}

// Overdue reports whether the unfinished task is past its due time at now.
func (r *Row) Overdue(now time.Time) bool {
	return !fenghuo.TaskClosed(r.State) && !r.DueAt.IsZero() && !now.Before(r.DueAt)
}

// Late reports whether the task was done after its due time.
func (r *Row) Late() bool {
	return r.State == fenghuo.TaskDone && !r.DueAt.IsZero() && r.DoneAt.After(r.DueAt)
}

// Board is an incident's tasks.
type Board struct {
	Incident *fenghuo.Incident
	Unit     *fenghuo.Org
	Rows     []Row
	// Owners are the organisations a new task may be given to: the
	// incident's unit and the actor's own subtree.
	Owners []fenghuo.Org
	// CanAdd says the actor may add a task.
	CanAdd bool
}

// canAct reports whether the actor may work on a task owned by owner: it
// holds incident.write and the owner is in its subtree, or the task is the
// actor's own.
func canAct(ac *app.Actor, t *fenghuo.Task, owner *fenghuo.Org) bool {
	if !ac.Can(fenghuo.PermIncidentWrite) {
		return false
	}
	return (t.OwnerUserID != 0 && t.OwnerUserID == ac.User.ID) || fenghuo.InSubtree(ac.Org.Path, owner.Path)
}

// Tasks returns an incident's tasks, soonest due first, for an actor who
// may see the incident.
func (s *Service) Tasks(ctx context.Context, ac *app.Actor, incidentID int64) (*Board, error) {
	b := &Board{}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if b.Incident, b.Unit, err = s.incidents.AccessTx(ctx, tx, ac, incidentID, fenghuo.PermIncidentRead); err != nil {
			return err
		}
		tasks, err := tx.IncidentTasks(ctx, incidentID)
		if err != nil {
			return err
		}
		obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: incidentID, Kind: store.ObligationKindTask}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		byID := map[int64]*fenghuo.Obligation{}
		for i := range obs.Items {
			byID[obs.Items[i].ID] = &obs.Items[i]
		}
		orgs := map[int64]*fenghuo.Org{b.Unit.ID: b.Unit}
		org := func(id int64) (*fenghuo.Org, error) {
			if o, ok := orgs[id]; ok {
				return o, nil
			}
			o, err := tx.Org(ctx, id)
			if err != nil {
				return nil, err
			}
			orgs[id] = o
			return o, nil
		}
		for _, t := range tasks {
			owner, err := org(t.OwnerOrgID)
			if err != nil {
				return err
			}
			r := Row{Task: t, OwnerName: owner.Name, Obligation: byID[t.ObligationID], CanAct: canAct(ac, &t, owner)}
			if t.OwnerUserID != 0 {
				if u, err := tx.User(ctx, t.OwnerUserID); err == nil {
					r.OwnerUserName = u.DisplayName
				}
			}
			if r.Obligation != nil && r.Obligation.RecipientOrgID != 0 {
				to, err := org(r.Obligation.RecipientOrgID)
				if err != nil {
					return err
				}
				r.EscalatedToName = to.Name
			}
			s.stepWords(&r)
			b.Rows = append(b.Rows, r)
		}
		b.CanAdd = ac.Can(fenghuo.PermIncidentWrite)
		if b.CanAdd {
			b.Owners = append(b.Owners, *b.Unit)
			sub, err := app.AllSubtree(ctx, tx, ac.Org.ID)
			if err != nil {
				return err
			}
			for _, o := range sub {
				if o.ID != b.Unit.ID {
					b.Owners = append(b.Owners, o)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range b.Rows {
		r := &b.Rows[i]
		if r.Comments, err = s.core.DB().TaskComments(ctx, r.ID); err != nil {
			return nil, err
		}
		for _, c := range r.Comments {
			if c.EvidenceID != 0 {
				r.EvidenceIDs = append(r.EvidenceIDs, c.EvidenceID)
			}
		}
	}
	return b, nil
}

// stepWords fills the plan's words of a playbook task.
func (s *Service) stepWords(r *Row) {
	if strings.HasPrefix(r.StepID, StandbyStep) { // a standby task: the level's words
		if a := TitleWords(s.core.Plans(), r.Task); a.EN != "" {
			r.StepTitle = plan.Text{ZH: a.ZH, EN: a.EN}
		}
		return
	}
	if r.PlaybookID == "" {
		return
	}
	p, err := s.core.Plans().Get(r.PlanID)
	if err != nil {
		return
	}
	pb, ok := p.Playbook(r.PlaybookID)
	if !ok {
		return
	}
	r.PlaybookTitle, r.Clause = pb.Title, pb.Clause
	for _, st := range pb.Steps {
		if st.ID == r.StepID {
			r.StepTitle = st.Title
		}
	}
}

// Task returns one task the actor may see, with its comments.
func (s *Service) Task(ctx context.Context, ac *app.Actor, id int64) (*Row, error) {
	t, err := s.core.DB().Task(ctx, id)
	if err != nil {
		return nil, err
	}
	b, err := s.Tasks(ctx, ac, t.IncidentID)
	if err != nil {
		return nil, err
	}
	for i := range b.Rows {
		if b.Rows[i].ID == id {
			return &b.Rows[i], nil
		}
	}
	return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Task %d not found. / 未找到该任务。", id)
}

// Input is an ad-hoc task: what to do, who owns it (an organisation, or
// one account of it) and by when.
type Input struct {
	Title       string
	Text        string
	OwnerOrgID  int64
	OwnerUserID int64
	DueAt       time.Time // zero: no due time
	Mandatory   bool
	Evidence    []string
}

// AddTask adds an ad-hoc task to an incident the actor may change, owned
// by the incident's unit or an organisation in the actor's subtree (or one
// of its accounts). Its obligation is reminded before the due time and,
// when overdue, escalated to the actor's organisation if another owns it;
// the owner is told at once.
func (s *Service) AddTask(ctx context.Context, ac *app.Actor, incidentID int64, in Input) (*fenghuo.Task, error) {
	in.Title, in.Text = strings.TrimSpace(in.Title), strings.TrimSpace(in.Text)
	if in.Title == "" {
		return nil, fenghuo.FieldErrorf("title", "Give the task a title. / 请填写任务名称。")
	}
	if len([]rune(in.Title)) > 200 {
		return nil, fenghuo.FieldErrorf("title", "Keep the title under 200 characters. / 任务名称不超过200字。")
	}
	now := s.core.Now()
	if !in.DueAt.IsZero() && !in.DueAt.After(now) {
		return nil, fenghuo.FieldErrorf("due_at", "The due time has passed: give a later one. / 完成时限须晚于当前时间。")
	}
	var t *fenghuo.Task
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		inc, unit, err := s.incidents.AccessTx(ctx, tx, ac, incidentID, fenghuo.PermIncidentWrite)
		if err != nil {
			return err
		}
		if inc.Status == fenghuo.StatusClosed {
			return fenghuo.Errorf(fenghuo.EINVALID, "The incident is closed. / 事件已结束，不能再添加任务。")
		}
		if in.OwnerUserID != 0 {
			u, err := tx.User(ctx, in.OwnerUserID)
			if err != nil || u.Disabled || (in.OwnerOrgID != 0 && u.OrgID != in.OwnerOrgID) {
				return fenghuo.FieldErrorf("owner_user_id", "Choose a person of the owning organisation. / 请选择责任单位的人员。")
			}
			in.OwnerOrgID = u.OrgID
		}
		if in.OwnerOrgID == 0 {
			return fenghuo.FieldErrorf("owner_org_id", "Choose the organisation that owns the task. / 请选择任务责任单位。")
		}
		owner, err := tx.Org(ctx, in.OwnerOrgID)
		if err != nil || (owner.ID != unit.ID && !fenghuo.InSubtree(ac.Org.Path, owner.Path)) {
			return fenghuo.FieldErrorf("owner_org_id", "Choose the incident's unit or an organisation in your scope. / 请选择事发单位或您管辖范围内的单位。")
		}
		t = &fenghuo.Task{IncidentID: inc.ID, Title: in.Title, Text: in.Text, OwnerOrgID: owner.ID, OwnerUserID: in.OwnerUserID,
			DueAt: in.DueAt, Mandatory: in.Mandatory, Evidence: in.Evidence, CreatedBy: ac.User.ID}
		duty := store.Duty{RemindAt: remindAt(now, in.DueAt), Clause: "临时任务"}
		if ac.Org.ID != owner.ID {
			duty.RecipientOrgID = ac.Org.ID
		}
		if err := tx.CreateTask(ctx, t, duty); err != nil {
			return err
		}
		if ac.Org.ID != owner.ID {
			due := "无时限"
			if !in.DueAt.IsZero() {
				due = in.DueAt.In(shanghai()).Format("2006-01-02 15:04")
			}
			if err := s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: owner.ID, Kind: "task.assigned",
				Title: fmt.Sprintf("新任务：%s", t.Title), Body: fmt.Sprintf("事件：%s；完成时限：%s；交办单位：%s", inc.Title, due, ac.Org.Name),
				Link: fmt.Sprintf("/incidents/%d/tasks", inc.ID)}); err != nil {
				return err
			}
		}
		detail := map[string]any{"task": t.ID, "title": t.Title, "owner_org": owner.ID, "owner_user": in.OwnerUserID, "due_at": in.DueAt}
		if err := s.timeline(ctx, tx, ac, inc.ID, "task", phrase.New("task.added", "title", s.taskTitleArg(t), "owner", owner.Name), detail); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "task.create", "task", ref(t.ID), "success", detail)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// SetState moves a task to state (in_progress, done, not_applicable, or
// back to open) for an actor who may act on it. Done needs the evidence
// the task asks for attached first (at least one file linked by a
// comment) and closes its obligation on time or late; not applicable
// needs a reason and is refused for a step the plan makes mandatory.
func (s *Service) SetState(ctx context.Context, ac *app.Actor, id int64, state, note string) (*fenghuo.Task, error) {
	note = strings.TrimSpace(note)
	switch state {
	case fenghuo.TaskOpen, fenghuo.TaskInProgress, fenghuo.TaskDone, fenghuo.TaskNotApplicable:
	default:
		return nil, fenghuo.FieldErrorf("state", "Choose in progress, done or not applicable. / 请选择进行中、已完成或不适用。")
	}
	if state == fenghuo.TaskNotApplicable && note == "" {
		return nil, fenghuo.FieldErrorf("note", "Say why the task does not apply. / 请说明不适用的理由。")
	}
	before, err := s.core.DB().Task(ctx, id)
	if err != nil {
		return nil, err
	}
	if state == fenghuo.TaskDone && len(before.Evidence) > 0 {
		comments, err := s.core.DB().TaskComments(ctx, id)
		if err != nil {
			return nil, err
		}
		linked := false
		for _, c := range comments {
			linked = linked || c.EvidenceID != 0
		}
		if !linked {
			return nil, fenghuo.FieldErrorf("evidence", "Attach the evidence the task asks for (%s) before marking it done. / 请先上传证据（%s）再标记完成。",
				strings.Join(before.Evidence, ", "), strings.Join(before.Evidence, "、"))
		}
	}
	var t *fenghuo.Task
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.Task(ctx, id)
		if err != nil {
			return err
		}
		if _, _, err := s.incidents.AccessTx(ctx, tx, ac, cur.IncidentID, fenghuo.PermIncidentRead); err != nil {
			return err
		}
		owner, err := tx.Org(ctx, cur.OwnerOrgID)
		if err != nil {
			return err
		}
		if !canAct(ac, cur, owner) {
			return app.ErrForbidden
		}
		from := cur.State
		if t, err = tx.SetTaskState(ctx, id, state, ac.User.ID, note); err != nil {
			return err
		}
		detail := map[string]any{"task": id, "from": from, "to": state, "note": note}
		key := "task.state"
		if state == fenghuo.TaskDone && !t.DueAt.IsZero() && t.DoneAt.After(t.DueAt) {
			key += ".late"
			detail["late"] = true
		}
		if note != "" {
			key += ".note"
		}
		body := phrase.New(key, "title", s.taskTitleArg(t), "state", phrase.TaskState(state), "note", note)
		if err := s.timeline(ctx, tx, ac, t.IncidentID, "task", body, detail); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "task.state", "task", ref(id), "success", detail)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Comment adds a comment to a task, optionally linking a file already
// uploaded as the incident's evidence (the evidence upload of the
// incident); anyone who may write to or receive the incident may comment.
func (s *Service) Comment(ctx context.Context, ac *app.Actor, taskID int64, body string, evidenceID int64) (*fenghuo.TaskComment, error) {
	body = strings.TrimSpace(body)
	if len([]rune(body)) > 4000 {
		return nil, fenghuo.FieldErrorf("body", "Keep the comment under 4,000 characters. / 内容不超过4000字。")
	}
	if !ac.Can(fenghuo.PermIncidentWrite) && !ac.Can(fenghuo.PermIncidentReceive) {
		return nil, app.ErrForbidden
	}
	t, err := s.core.DB().Task(ctx, taskID)
	if err != nil {
		return nil, err
	}
	if evidenceID != 0 {
		ev, err := s.core.DB().Evidence(ctx, evidenceID)
		if err != nil || ev.IncidentID != t.IncidentID {
			return nil, fenghuo.FieldErrorf("evidence_id", "Choose evidence of this incident. / 请选择本事件的证据。")
		}
	}
	c := &fenghuo.TaskComment{TaskID: taskID, UserID: ac.User.ID, UserName: ac.User.DisplayName, Body: body, EvidenceID: evidenceID}
	if c.UserName == "" {
		c.UserName = ac.User.Username
	}
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if _, _, err := s.incidents.AccessTx(ctx, tx, ac, t.IncidentID, fenghuo.PermIncidentRead); err != nil {
			return err
		}
		if err := tx.AddTaskComment(ctx, c); err != nil {
			return err
		}
		return s.core.Record(ctx, tx, ac, "task.comment", "task", ref(taskID), "success",
			map[string]any{"comment": c.ID, "evidence": evidenceID})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// MyTasks lists the unfinished tasks with a due time that the actor's
// organisation owns, soonest due first.
func (s *Service) MyTasks(ctx context.Context, ac *app.Actor, p store.Page) ([]fenghuo.Task, error) {
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return nil, err
	}
	return s.core.DB().OpenTasksOf(ctx, ac.Org.ID, p)
}

func (s *Service) timeline(ctx context.Context, tx *store.Tx, ac *app.Actor, incidentID int64, kind string, body any, data any) error {
	e, err := app.TimelineEntry(ac, incidentID, kind, body, data)
	if err != nil {
		return err
	}
	return tx.AppendTimeline(ctx, e)
}

func ref(id int64) string { return strconv.FormatInt(id, 10) }

func shanghai() *time.Location { return calendar.Shanghai }
