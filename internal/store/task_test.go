package store

import (
	"errors"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestTaskIsAnObligation(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		inc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", now)

		// "Switch to the standby system if repair exceeds 2 h" (seed 004 §3(三)).
		standby := &fenghuo.Task{IncidentID: inc.ID, PlanID: "wushen-county", PlaybookID: "ransomware", StepID: "standby",
			Title: "启用备用系统", OwnerOrgID: tr.water.ID, OwnerRole: "duty_officer", Anchor: fenghuo.AnchorDiscovery,
			DueAt: now.Add(2 * time.Hour), Mandatory: true, Evidence: []string{"切换记录"}, CreatedBy: 3}
		adhoc := &fenghuo.Task{IncidentID: inc.ID, Title: "整理日志", OwnerOrgID: tr.water.ID, OwnerUserID: 8}
		police := &fenghuo.Task{IncidentID: inc.ID, Title: "向公安机关报告", OwnerOrgID: tr.water.ID, DueAt: now.Add(time.Hour)}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.CreateTask(bg, standby, Duty{RecipientOrgID: tr.countyB.ID, RemindAt: now.Add(90 * time.Minute), Clause: "004 §3(三)"}); err != nil {
				return err
			}
			if err := tx.CreateTask(bg, adhoc, Duty{}); err != nil {
				return err
			}
			return tx.CreateTask(bg, police, Duty{})
		}))
		o, err := obligationOf(db, standby.ObligationID)
		must(t, err)
		if o.Kind != ObligationKindTask || o.SubjectID != standby.ID || o.OwnerOrgID != tr.water.ID || o.RecipientOrgID != tr.countyB.ID ||
			o.Title != "任务：启用备用系统" || !o.DueAt.Equal(standby.DueAt) || o.RuleID != "ransomware/standby" ||
			!o.RemindAt.Equal(now.Add(90*time.Minute)) || o.State != fenghuo.ObligationOpen || o.Clause != "004 §3(三)" {
			t.Fatalf("obligation: %+v", o)
		}
		got, err := db.Task(bg, standby.ID)
		must(t, err)
		if got.ObligationID != o.ID || got.State != fenghuo.TaskOpen || !got.Mandatory || len(got.Evidence) != 1 || got.OwnerRole != "duty_officer" {
			t.Fatalf("task: %+v", got)
		}
		// The incident's tasks: soonest due first, the undated last.
		list, err := db.IncidentTasks(bg, inc.ID)
		must(t, err)
		if len(list) != 3 || list[0].ID != police.ID || list[1].ID != standby.ID || list[2].ID != adhoc.ID {
			t.Fatalf("order: %+v", list)
		}
		// The scheduler sees the standby task when it passes 2 h.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			due, err := tx.ClaimDueObligations(bg, EventEscalate, now.Add(2*time.Hour+time.Minute), 10)
			if len(due) != 2 || due[1].ID != o.ID {
				t.Errorf("escalations: %+v", due)
			}
			return err
		}))

		// A mandatory step cannot be set aside; an optional one can, with a reason.
		now = now.Add(3 * time.Hour)
		err = db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetTaskState(bg, standby.ID, fenghuo.TaskNotApplicable, 3, "无备用系统")
			return err
		})
		wantCode(t, err, fenghuo.ECONFLICT)
		err = db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetTaskState(bg, adhoc.ID, fenghuo.TaskNotApplicable, 3, "")
			return err
		})
		wantCode(t, err, fenghuo.EINVALID)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if _, err := tx.SetTaskState(bg, standby.ID, fenghuo.TaskInProgress, 3, ""); err != nil {
				return err
			}
			if _, err := tx.SetTaskState(bg, standby.ID, fenghuo.TaskDone, 3, "已切换"); err != nil {
				return err
			}
			_, err := tx.SetTaskState(bg, adhoc.ID, fenghuo.TaskNotApplicable, 3, "日志已由公安提取")
			return err
		}))
		// Done after its due time: the obligation is late; set aside: cancelled.
		o, err = obligationOf(db, standby.ObligationID)
		must(t, err)
		if o.State != fenghuo.ObligationLate || !o.DoneAt.Equal(now) || o.DoneNote != "已切换" {
			t.Fatalf("done task's obligation: %+v", o)
		}
		o, err = obligationOf(db, adhoc.ObligationID)
		must(t, err)
		if o.State != fenghuo.ObligationCancelled {
			t.Fatalf("set-aside task's obligation: %+v", o)
		}
		got, err = db.Task(bg, standby.ID)
		must(t, err)
		if got.State != fenghuo.TaskDone || got.DoneBy != 3 || !got.DoneAt.Equal(now) {
			t.Fatalf("done task: %+v", got)
		}
		// Finished is final.
		err = db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetTaskState(bg, standby.ID, fenghuo.TaskOpen, 3, "")
			return err
		})
		wantCode(t, err, fenghuo.ECONFLICT)

		// Moving a due time moves the obligation's and re-arms its escalation.
		later := now.Add(4 * time.Hour)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetTaskDue(bg, police.ID, later, later.Add(-30*time.Minute))
			return err
		}))
		o, err = obligationOf(db, police.ObligationID)
		must(t, err)
		if !o.DueAt.Equal(later) || !o.EscalatedAt.IsZero() || !o.RemindAt.Equal(later.Add(-30*time.Minute)) {
			t.Fatalf("moved obligation: %+v", o)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { _, err := tx.SetTaskState(bg, police.ID, fenghuo.TaskDone, 3, ""); return err }))
		o, err = obligationOf(db, police.ObligationID)
		must(t, err)
		if o.State != fenghuo.ObligationOnTime {
			t.Fatalf("on-time task's obligation: %+v", o)
		}
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetTaskDue(bg, police.ID, later, later.Add(-30*time.Minute))
			return err
		}), fenghuo.ECONFLICT)

		open, err := db.OpenTasksOf(bg, tr.water.ID, Page{})
		must(t, err)
		if len(open) != 0 {
			t.Fatalf("open tasks: %+v", open)
		}
	})
}

// A task and its obligation are one write: a failure after both leaves
// neither.
func TestTaskAndObligationCommitTogether(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		inc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", time.Now())
		boom := errors.New("later step failed")
		var task fenghuo.Task
		err := db.WithTx(bg, func(tx *Tx) error {
			task = fenghuo.Task{IncidentID: inc.ID, Title: "隔离", OwnerOrgID: tr.water.ID, DueAt: time.Now().Add(time.Hour)}
			if err := tx.CreateTask(bg, &task, Duty{}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		wantCode(t, func() error { _, err := db.Task(bg, task.ID); return err }(), fenghuo.ENOTFOUND)
		obs, err := db.Obligations(bg, ObligationFilter{IncidentID: inc.ID}, Page{})
		must(t, err)
		if obs.Total != 0 {
			t.Fatalf("obligation left behind: %+v", obs.Items)
		}
		// An invalid task creates nothing either.
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateTask(bg, &fenghuo.Task{IncidentID: inc.ID, Title: "x"}, Duty{})
		}), fenghuo.EINVALID)
	})
}

func TestTaskComments(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		inc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", now)
		task := &fenghuo.Task{IncidentID: inc.ID, Title: "保护现场", OwnerOrgID: tr.water.ID}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateTask(bg, task, Duty{}) }))
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.AddTaskComment(bg, &fenghuo.TaskComment{TaskID: task.ID, UserID: 4, UserName: "王工", Body: "已断网"}); err != nil {
				return err
			}
			return tx.AddTaskComment(bg, &fenghuo.TaskComment{TaskID: task.ID, UserID: 4, EvidenceID: 77})
		}))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.AddTaskComment(bg, &fenghuo.TaskComment{TaskID: task.ID}) }), fenghuo.EINVALID)
		cs, err := db.TaskComments(bg, task.ID)
		must(t, err)
		if len(cs) != 2 || cs[0].Body != "已断网" || cs[0].UserName != "王工" || !cs[0].At.Equal(now) || cs[1].EvidenceID != 77 {
			t.Fatalf("comments: %+v", cs)
		}
	})
}

// obligationOf reads one obligation.
func obligationOf(db *DB, id int64) (*fenghuo.Obligation, error) {
	return view(bg, db, func(tx *Tx) (*fenghuo.Obligation, error) { return tx.Obligation(bg, id) })
}
