package store

import (
	"context"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

// Tasks (0009_tasks.sql). Every task has an obligation of kind "task"
// (subject_id = the task, owner = the task's owner org, title "任务：" +
// the task's title, due = the task's due time), created with the task and
// closed with it in the same transaction, so that the scheduler reminds and
// escalates tasks like every other duty and the on-time statistics count
// them. Obligation kinds are named by these constants.
const (
	ObligationKindTask        = "task"
	ObligationKindImprovement = "improvement"
)

// Duty says how the obligation that tracks a task or improvement measure is
// escalated: RemindAt (zero: no reminder before the due time),
// RecipientOrgID (the office told when it is overdue, e.g. the office that
// activated the response; 0: the owner alone) and Clause (the plan clause
// shown with the reminder).
type Duty struct {
	RemindAt       time.Time
	RecipientOrgID int64
	Clause         string
}

const taskColumns = `id, incident_id, activation_id, plan_id, playbook_id, step_id, title, body, owner_org_id, owner_role,
	owner_user_id, anchor, due_at, state, mandatory, evidence, obligation_id, created_by, created_at, updated_at, done_by,
	done_at, done_note`

func scanTask(sc scanner) (*fenghuo.Task, error) {
	var t fenghuo.Task
	var due, created, updated, done int64
	var evidence string
	if err := sc.Scan(&t.ID, &t.IncidentID, &t.ActivationID, &t.PlanID, &t.PlaybookID, &t.StepID, &t.Title, &t.Text,
		&t.OwnerOrgID, &t.OwnerRole, &t.OwnerUserID, &t.Anchor, &due, &t.State, &t.Mandatory, &evidence, &t.ObligationID,
		&t.CreatedBy, &created, &updated, &t.DoneBy, &done, &t.DoneNote); err != nil {
		return nil, err
	}
	t.DueAt, t.CreatedAt, t.UpdatedAt, t.DoneAt = fromMS(due), fromMS(created), fromMS(updated), fromMS(done)
	if err := unmarshalList(evidence, &t.Evidence); err != nil {
		return nil, err
	}
	return &t, nil
}

// TaskObligationTitle is the title of a task's obligation, as reminders
// and the duty lists show it.
func TaskObligationTitle(title string) string { return "任务：" + title }

// CreateTask validates and stores a task (state open unless given as
// in_progress) and its obligation, and links them.
func (tx *Tx) CreateTask(ctx context.Context, t *fenghuo.Task, duty Duty) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if t.State == "" {
		t.State = fenghuo.TaskOpen
	}
	t.CreatedAt, t.UpdatedAt = tx.now, tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO tasks (incident_id, activation_id, plan_id, playbook_id, step_id, title, body,
		owner_org_id, owner_role, owner_user_id, anchor, due_at, state, mandatory, evidence, obligation_id, created_by,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id`,
		t.IncidentID, t.ActivationID, t.PlanID, t.PlaybookID, t.StepID, t.Title, t.Text, t.OwnerOrgID, t.OwnerRole,
		t.OwnerUserID, t.Anchor, ms(t.DueAt), t.State, b2i(t.Mandatory), jsonText(t.Evidence), t.CreatedBy, ms(tx.now),
		ms(tx.now)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: create task: %w", err)
	}
	ruleID := t.StepID
	if t.PlaybookID != "" {
		ruleID = t.PlaybookID + "/" + t.StepID
	}
	o := &fenghuo.Obligation{Kind: ObligationKindTask, IncidentID: t.IncidentID, SubjectID: t.ID, OwnerOrgID: t.OwnerOrgID,
		RecipientOrgID: duty.RecipientOrgID, PlanID: t.PlanID, RuleID: ruleID, Clause: duty.Clause,
		Title: TaskObligationTitle(t.Title), DueAt: t.DueAt, RemindAt: duty.RemindAt}
	if err := tx.CreateObligation(ctx, o); err != nil {
		return fmt.Errorf("store: task obligation: %w", err)
	}
	t.ObligationID = o.ID
	if _, err := tx.c.exec(ctx, "UPDATE tasks SET obligation_id = ? WHERE id = ?", o.ID, t.ID); err != nil {
		return fmt.Errorf("store: link task obligation: %w", err)
	}
	return nil
}

// Task returns one task.
func (db *DB) Task(ctx context.Context, id int64) (*fenghuo.Task, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.Task, error) { return tx.Task(ctx, id) })
}

// Task is DB.Task inside tx.
func (tx *Tx) Task(ctx context.Context, id int64) (*fenghuo.Task, error) {
	t, err := scanTask(tx.c.queryRow(ctx, "SELECT "+taskColumns+" FROM tasks WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Task", id)
	}
	return t, nil
}

// LockTask returns a task and holds its row locked until tx ends
// (PostgreSQL), for a read-decide-write in one transaction.
func (tx *Tx) LockTask(ctx context.Context, id int64) (*fenghuo.Task, error) {
	t, err := scanTask(tx.c.queryRow(ctx, "UPDATE tasks SET updated_at = updated_at WHERE id = ? RETURNING "+taskColumns, id))
	if err != nil {
		return nil, notFoundOr(err, "Task", id)
	}
	return t, nil
}

// IncidentTasks lists an incident's tasks, soonest due first, those
// without a due time last (by creation).
func (db *DB) IncidentTasks(ctx context.Context, incidentID int64) ([]fenghuo.Task, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Task, error) { return tx.IncidentTasks(ctx, incidentID) })
}

// IncidentTasks is DB.IncidentTasks inside tx.
func (tx *Tx) IncidentTasks(ctx context.Context, incidentID int64) ([]fenghuo.Task, error) {
	dated, err := tx.queryTasks(ctx, "SELECT "+taskColumns+" FROM tasks WHERE incident_id = ? AND due_at > 0 ORDER BY due_at, id", incidentID)
	if err != nil {
		return nil, err
	}
	rest, err := tx.queryTasks(ctx, "SELECT "+taskColumns+" FROM tasks WHERE incident_id = ? AND due_at = 0 ORDER BY id", incidentID)
	return append(dated, rest...), err
}

// OpenTasksOf lists the open and in-progress tasks an org owns, soonest
// due first (those without a due time are not listed: they are on the
// incident's page).
func (db *DB) OpenTasksOf(ctx context.Context, orgID int64, p Page) ([]fenghuo.Task, error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Task, error) {
		return tx.queryTasks(ctx, "SELECT "+taskColumns+` FROM tasks WHERE owner_org_id = ? AND state IN ('open', 'in_progress')
			AND due_at > 0 ORDER BY due_at, id LIMIT ? OFFSET ?`, orgID, p.Limit, p.Offset)
	})
}

func (tx *Tx) queryTasks(ctx context.Context, q string, args ...any) ([]fenghuo.Task, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: tasks: %w", err)
	}
	defer rows.Close()
	out := []fenghuo.Task{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// SetTaskState moves a task to state under its row lock, refusing
// (ECONFLICT) what fenghuo.TaskTransitionAllowed forbids, and closes its
// obligation in the same transaction: done completes it (on time or late
// against the due time), not applicable cancels it. userID and note are
// recorded as who finished it and why (the note is required for not
// applicable). It returns the task as stored.
func (tx *Tx) SetTaskState(ctx context.Context, id int64, state string, userID int64, note string) (*fenghuo.Task, error) {
	t, err := tx.LockTask(ctx, id)
	if err != nil {
		return nil, err
	}
	if !fenghuo.TaskTransitionAllowed(t.State, state, t.Mandatory) {
		if state == fenghuo.TaskNotApplicable && t.Mandatory && !fenghuo.TaskClosed(t.State) {
			return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "This task is required by the plan and cannot be set aside. / 该任务为预案规定的必办事项，不能标为不适用。")
		}
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The task is %s and cannot become %s. / 任务状态已变化，无法执行此操作。", t.State, state)
	}
	if state == fenghuo.TaskNotApplicable && note == "" {
		return nil, fenghuo.FieldErrorf("note", "Say why the task does not apply. / 请说明不适用的理由。")
	}
	t.State, t.UpdatedAt = state, tx.now
	if fenghuo.TaskClosed(state) {
		t.DoneBy, t.DoneAt, t.DoneNote = userID, tx.now, note
	}
	if _, err := tx.c.exec(ctx, "UPDATE tasks SET state = ?, done_by = ?, done_at = ?, done_note = ?, updated_at = ? WHERE id = ?",
		t.State, t.DoneBy, ms(t.DoneAt), t.DoneNote, ms(tx.now), id); err != nil {
		return nil, fmt.Errorf("store: update task %d: %w", id, err)
	}
	if fenghuo.TaskClosed(state) {
		if err := tx.closeDuty(ctx, t.ObligationID, state == fenghuo.TaskDone, note); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// SetTaskDue moves an unfinished task's due time, and its obligation's due
// and reminder times (remindAt zero: no reminder); its reminder and
// escalation are then to do again.
func (tx *Tx) SetTaskDue(ctx context.Context, id int64, due, remindAt time.Time) (*fenghuo.Task, error) {
	t, err := tx.LockTask(ctx, id)
	if err != nil {
		return nil, err
	}
	if fenghuo.TaskClosed(t.State) {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The task is finished. / 任务已结束。")
	}
	t.DueAt, t.UpdatedAt = due, tx.now
	if _, err := tx.c.exec(ctx, "UPDATE tasks SET due_at = ?, updated_at = ? WHERE id = ?", ms(due), ms(tx.now), id); err != nil {
		return nil, err
	}
	if t.ObligationID != 0 {
		o, err := tx.Obligation(ctx, t.ObligationID)
		if err != nil {
			return nil, err
		}
		o.DueAt, o.RemindAt, o.EscalatedAt, o.RemindedAt = due, remindAt, time.Time{}, time.Time{}
		if err := tx.UpdateObligation(ctx, o); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// closeDuty closes the obligation id (0: none) if it is still open: done
// completes it on time or late, otherwise it is cancelled.
func (tx *Tx) closeDuty(ctx context.Context, id int64, done bool, note string) error {
	if id == 0 {
		return nil
	}
	o, err := tx.Obligation(ctx, id)
	if err != nil {
		return err
	}
	if o.State != fenghuo.ObligationOpen {
		return nil
	}
	if done {
		o.Complete(tx.now, note)
	} else {
		o.State, o.DoneAt, o.DoneNote = fenghuo.ObligationCancelled, tx.now, note
	}
	return tx.UpdateObligation(ctx, o)
}

// AddTaskComment stores a comment on a task (At is the transaction's time).
func (tx *Tx) AddTaskComment(ctx context.Context, c *fenghuo.TaskComment) error {
	if c.Body == "" && c.EvidenceID == 0 {
		return fenghuo.FieldErrorf("body", "Write a comment or attach evidence. / 请填写内容或附上证据。")
	}
	c.At = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO task_comments (task_id, user_id, user_name, body, evidence_id, at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, c.TaskID, c.UserID, c.UserName, c.Body, c.EvidenceID, ms(tx.now)).Scan(&c.ID)
}

// TaskComments lists a task's comments, oldest first.
func (db *DB) TaskComments(ctx context.Context, taskID int64) ([]fenghuo.TaskComment, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.TaskComment, error) {
		rows, err := tx.c.query(ctx, `SELECT id, task_id, user_id, user_name, body, evidence_id, at FROM task_comments
			WHERE task_id = ? ORDER BY id`, taskID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []fenghuo.TaskComment{}
		for rows.Next() {
			var c fenghuo.TaskComment
			var at int64
			if err := rows.Scan(&c.ID, &c.TaskID, &c.UserID, &c.UserName, &c.Body, &c.EvidenceID, &at); err != nil {
				return nil, err
			}
			c.At = fromMS(at)
			out = append(out, c)
		}
		return out, rows.Err()
	})
}
