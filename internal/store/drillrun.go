package store

import (
	"context"
	"fmt"

	"fenghuo/internal/fenghuo"
)

// Drill runs in drill mode (0022_drill_runs.sql): a run of a playbook and
// its drill tasks. Drill tasks have no incident and no obligation, so
// nothing here touches obligations, incidents or their counts.

const drillRunColumns = `id, org_id, title, plan_id, playbook_id, scenario, state, started_at, started_by, ended_at,
	ended_by, drill_id`

func scanDrillRun(sc scanner) (*fenghuo.DrillRun, error) {
	var r fenghuo.DrillRun
	var started, ended int64
	if err := sc.Scan(&r.ID, &r.OrgID, &r.Title, &r.PlanID, &r.PlaybookID, &r.Scenario, &r.State, &started, &r.StartedBy,
		&ended, &r.EndedBy, &r.DrillID); err != nil {
		return nil, err
	}
	r.StartedAt, r.EndedAt = fromMS(started), fromMS(ended)
	return &r, nil
}

const drillTaskColumns = `id, run_id, step_order, plan_id, playbook_id, step_id, title, body, owner_org_id, owner_note,
	mandatory, evidence, due_at, state, done_at, done_by, done_note, created_at, updated_at`

func scanDrillTask(sc scanner) (*fenghuo.DrillTask, error) {
	var t fenghuo.DrillTask
	var due, done, created, updated int64
	var evidence string
	if err := sc.Scan(&t.ID, &t.RunID, &t.Order, &t.PlanID, &t.PlaybookID, &t.StepID, &t.Title, &t.Text, &t.OwnerOrgID,
		&t.OwnerNote, &t.Mandatory, &evidence, &due, &t.State, &done, &t.DoneBy, &t.DoneNote, &created, &updated); err != nil {
		return nil, err
	}
	t.DueAt, t.DoneAt, t.CreatedAt, t.UpdatedAt = fromMS(due), fromMS(done), fromMS(created), fromMS(updated)
	if err := unmarshalList(evidence, &t.Evidence); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateDrillRun stores a running drill run (started now unless
// StartedAt is set) and its tasks, all open.
func (tx *Tx) CreateDrillRun(ctx context.Context, r *fenghuo.DrillRun, tasks []fenghuo.DrillTask) error {
	r.State = fenghuo.DrillRunRunning
	if r.StartedAt.IsZero() {
		r.StartedAt = tx.now
	}
	err := tx.c.queryRow(ctx, `INSERT INTO drill_runs (org_id, title, plan_id, playbook_id, scenario, state, started_at,
		started_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.OrgID, r.Title, r.PlanID, r.PlaybookID, r.Scenario,
		r.State, ms(r.StartedAt), r.StartedBy).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: create drill run: %w", err)
	}
	for i := range tasks {
		t := &tasks[i]
		t.RunID, t.State, t.CreatedAt, t.UpdatedAt = r.ID, fenghuo.TaskOpen, tx.now, tx.now
		err := tx.c.queryRow(ctx, `INSERT INTO drill_tasks (run_id, step_order, plan_id, playbook_id, step_id, title, body,
			owner_org_id, owner_note, mandatory, evidence, due_at, state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, t.RunID, t.Order, t.PlanID, t.PlaybookID,
			t.StepID, t.Title, t.Text, t.OwnerOrgID, t.OwnerNote, b2i(t.Mandatory), jsonText(t.Evidence), ms(t.DueAt),
			t.State, ms(tx.now), ms(tx.now)).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("store: create drill task: %w", err)
		}
	}
	return nil
}

// DrillRun returns one drill run.
func (tx *Tx) DrillRun(ctx context.Context, id int64) (*fenghuo.DrillRun, error) {
	r, err := scanDrillRun(tx.c.queryRow(ctx, "SELECT "+drillRunColumns+" FROM drill_runs WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Drill run", id)
	}
	return r, nil
}

// DrillRun returns one drill run.
func (db *DB) DrillRun(ctx context.Context, id int64) (*fenghuo.DrillRun, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.DrillRun, error) { return tx.DrillRun(ctx, id) })
}

// DrillRuns lists the drill runs of orgs of the subtree at orgPath, latest
// started first.
func (db *DB) DrillRuns(ctx context.Context, orgPath string, p Page) (ListResult[fenghuo.DrillRun], error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.DrillRun], error) {
		var res ListResult[fenghuo.DrillRun]
		where := `FROM drill_runs r WHERE r.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ? ESCAPE '\')`
		args := []any{likeEscape(orgPath) + "%"}
		var err error
		if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT 1 "+where, args); err != nil {
			return res, err
		}
		rows, err := tx.c.query(ctx, "SELECT "+qualify("r", drillRunColumns)+" "+where+" ORDER BY r.started_at DESC, r.id DESC LIMIT ? OFFSET ?",
			append(args, p.Limit, p.Offset)...)
		if err != nil {
			return res, fmt.Errorf("store: drill runs: %w", err)
		}
		defer rows.Close()
		res.Items = []fenghuo.DrillRun{}
		for rows.Next() {
			r, err := scanDrillRun(rows)
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, *r)
		}
		return res, rows.Err()
	})
}

// DrillTasks lists a run's tasks in playbook order.
func (tx *Tx) DrillTasks(ctx context.Context, runID int64) ([]fenghuo.DrillTask, error) {
	return tx.queryDrillTasks(ctx, "SELECT "+drillTaskColumns+" FROM drill_tasks WHERE run_id = ? ORDER BY step_order, id", runID)
}

// OpenDrillTasksOf lists the open and in-progress drill tasks an org owns,
// by due time (those without one first).
func (db *DB) OpenDrillTasksOf(ctx context.Context, orgID int64, p Page) ([]fenghuo.DrillTask, error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) ([]fenghuo.DrillTask, error) {
		return tx.queryDrillTasks(ctx, "SELECT "+drillTaskColumns+` FROM drill_tasks WHERE owner_org_id = ?
			AND state IN ('open', 'in_progress') ORDER BY due_at, id LIMIT ? OFFSET ?`, orgID, p.Limit, p.Offset)
	})
}

func (tx *Tx) queryDrillTasks(ctx context.Context, q string, args ...any) ([]fenghuo.DrillTask, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: drill tasks: %w", err)
	}
	defer rows.Close()
	out := []fenghuo.DrillTask{}
	for rows.Next() {
		t, err := scanDrillTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// DrillTask returns one drill task.
func (tx *Tx) DrillTask(ctx context.Context, id int64) (*fenghuo.DrillTask, error) {
	t, err := scanDrillTask(tx.c.queryRow(ctx, "SELECT "+drillTaskColumns+" FROM drill_tasks WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Drill task", id)
	}
	return t, nil
}

// SetDrillTaskState moves a drill task to state under its row lock,
// refusing (ECONFLICT) what fenghuo.TaskTransitionAllowed forbids or a
// task whose run has ended. It returns the task as stored.
func (tx *Tx) SetDrillTaskState(ctx context.Context, id int64, state string, userID int64, note string) (*fenghuo.DrillTask, error) {
	t, err := scanDrillTask(tx.c.queryRow(ctx, "UPDATE drill_tasks SET updated_at = updated_at WHERE id = ? RETURNING "+drillTaskColumns, id))
	if err != nil {
		return nil, notFoundOr(err, "Drill task", id)
	}
	if t.State == fenghuo.DrillTaskEnded {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The drill has ended. / 演练已结束。")
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
	if _, err := tx.c.exec(ctx, "UPDATE drill_tasks SET state = ?, done_by = ?, done_at = ?, done_note = ?, updated_at = ? WHERE id = ?",
		t.State, t.DoneBy, ms(t.DoneAt), t.DoneNote, ms(tx.now), id); err != nil {
		return nil, fmt.Errorf("store: update drill task %d: %w", id, err)
	}
	return t, nil
}

// EndDrillRun ends a running run now (ECONFLICT when it has ended) and
// closes its open and in-progress tasks as ended (演练结束). It returns
// the number of tasks it closed.
func (tx *Tx) EndDrillRun(ctx context.Context, id, userID int64) (int, error) {
	res, err := tx.c.exec(ctx, "UPDATE drill_runs SET state = ?, ended_at = ?, ended_by = ? WHERE id = ? AND state = ?",
		fenghuo.DrillRunEnded, ms(tx.now), userID, id, fenghuo.DrillRunRunning)
	if err != nil {
		return 0, fmt.Errorf("store: end drill run: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.DrillRun(ctx, id); err != nil {
			return 0, err
		}
		return 0, fenghuo.Errorf(fenghuo.ECONFLICT, "The drill has ended. / 演练已结束。")
	}
	res, err = tx.c.exec(ctx, `UPDATE drill_tasks SET state = ?, done_at = ?, done_by = ?, done_note = ?, updated_at = ?
		WHERE run_id = ? AND state IN ('open', 'in_progress')`, fenghuo.DrillTaskEnded, ms(tx.now), userID, "演练结束", ms(tx.now), id)
	if err != nil {
		return 0, fmt.Errorf("store: end drill tasks: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// LinkDrillRun records the drill filed for an ended run that has none
// (ECONFLICT otherwise).
func (tx *Tx) LinkDrillRun(ctx context.Context, runID, drillID int64) error {
	res, err := tx.c.exec(ctx, "UPDATE drill_runs SET drill_id = ? WHERE id = ? AND drill_id = 0 AND state = ?",
		drillID, runID, fenghuo.DrillRunEnded)
	if err != nil {
		return fmt.Errorf("store: link drill run: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "End the drill before filing it, once. / 演练结束后方可备案，且只能备案一次。")
	}
	return nil
}

// AddDrillTaskComment stores a comment on a drill task.
func (tx *Tx) AddDrillTaskComment(ctx context.Context, c *fenghuo.DrillTaskComment) error {
	if c.Body == "" {
		return fenghuo.FieldErrorf("body", "Write a comment. / 请填写内容。")
	}
	c.At = tx.now
	return tx.c.queryRow(ctx, `INSERT INTO drill_task_comments (task_id, user_id, user_name, body, at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, c.TaskID, c.UserID, c.UserName, c.Body, ms(tx.now)).Scan(&c.ID)
}

// DrillTaskComments lists the comments of a run's tasks, oldest first.
func (tx *Tx) DrillTaskComments(ctx context.Context, runID int64) ([]fenghuo.DrillTaskComment, error) {
	rows, err := tx.c.query(ctx, `SELECT c.id, c.task_id, c.user_id, c.user_name, c.body, c.at FROM drill_task_comments c
		WHERE c.task_id IN (SELECT t.id FROM drill_tasks t WHERE t.run_id = ?) ORDER BY c.task_id, c.id`, runID)
	if err != nil {
		return nil, fmt.Errorf("store: drill task comments: %w", err)
	}
	defer rows.Close()
	out := []fenghuo.DrillTaskComment{}
	for rows.Next() {
		var c fenghuo.DrillTaskComment
		var at int64
		if err := rows.Scan(&c.ID, &c.TaskID, &c.UserID, &c.UserName, &c.Body, &at); err != nil {
			return nil, err
		}
		c.At = fromMS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
