package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestDrillRunTasksEndAndLink(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 5, 12, 1, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		r := &fenghuo.DrillRun{OrgID: tr.hospital.ID, Title: "勒索病毒实战演练", PlanID: "cac-2025", PlaybookID: "ransomware", StartedBy: 7}
		tasks := []fenghuo.DrillTask{
			{Order: 1, PlanID: "cac-2025", PlaybookID: "ransomware", StepID: "isolate", Title: "隔离", OwnerOrgID: tr.hospital.ID,
				Mandatory: true, Evidence: []string{"隔离记录"}, DueAt: now.Add(time.Hour)},
			{Order: 2, PlanID: "cac-2025", PlaybookID: "ransomware", StepID: "police", Title: "报告公安", OwnerOrgID: tr.hospital.ID,
				OwnerNote: "模拟公安机关", DueAt: now.Add(2 * time.Hour)},
			{Order: 3, PlanID: "cac-2025", PlaybookID: "ransomware", StepID: "restore", Title: "恢复", OwnerOrgID: tr.school.ID},
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateDrillRun(bg, r, tasks) }))
		if r.ID == 0 || r.State != fenghuo.DrillRunRunning || tasks[2].ID == 0 {
			t.Fatalf("run %+v tasks %+v", r, tasks)
		}
		// No obligation of any kind was created.
		obs, err := db.Obligations(bg, ObligationFilter{}, Page{Limit: MaxLimit})
		must(t, err)
		if obs.Total != 0 {
			t.Fatalf("obligations: %+v", obs.Items)
		}
		open, err := db.OpenDrillTasksOf(bg, tr.hospital.ID, Page{Limit: 10})
		must(t, err)
		if len(open) != 2 || open[0].Title != "隔离" || open[1].OwnerNote != "模拟公安机关" || open[0].Evidence[0] != "隔离记录" {
			t.Fatalf("open: %+v", open)
		}

		// Done late; a mandatory task cannot be set aside.
		now = now.Add(90 * time.Minute)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			done, err := tx.SetDrillTaskState(bg, tasks[0].ID, fenghuo.TaskDone, 7, "")
			if err != nil {
				return err
			}
			if !done.Late() || !done.DoneAt.Equal(now) {
				t.Errorf("done: %+v", done)
			}
			return tx.AddDrillTaskComment(bg, &fenghuo.DrillTaskComment{TaskID: tasks[0].ID, UserID: 7, UserName: "张三", Body: "已断网"})
		}))
		err = db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetDrillTaskState(bg, tasks[0].ID, fenghuo.TaskOpen, 7, "")
			return err
		})
		if fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
			t.Fatalf("reopen done: %v", err)
		}

		// Filing before the end is refused; ending closes the open tasks.
		err = db.WithTx(bg, func(tx *Tx) error { return tx.LinkDrillRun(bg, r.ID, 99) })
		if fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
			t.Fatalf("link while running: %v", err)
		}
		var closed int
		must(t, db.WithTx(bg, func(tx *Tx) error {
			closed, err = tx.EndDrillRun(bg, r.ID, 8)
			return err
		}))
		if closed != 2 {
			t.Fatalf("closed %d", closed)
		}
		err = db.WithTx(bg, func(tx *Tx) error { _, err := tx.EndDrillRun(bg, r.ID, 8); return err })
		if fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
			t.Fatalf("end twice: %v", err)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetDrillTaskState(bg, tasks[1].ID, fenghuo.TaskDone, 7, "")
			if fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
				t.Errorf("done after end: %v", err)
			}
			got, err := tx.DrillTasks(bg, r.ID)
			if err != nil {
				return err
			}
			if got[0].State != fenghuo.TaskDone || got[1].State != fenghuo.DrillTaskEnded || got[2].State != fenghuo.DrillTaskEnded ||
				got[1].DoneNote != "演练结束" {
				t.Errorf("tasks: %+v", got)
			}
			cs, err := tx.DrillTaskComments(bg, r.ID)
			if err != nil || len(cs) != 1 || cs[0].Body != "已断网" {
				t.Errorf("comments %+v %v", cs, err)
			}
			return tx.LinkDrillRun(bg, r.ID, 99)
		}))
		open, err = db.OpenDrillTasksOf(bg, tr.hospital.ID, Page{Limit: 10})
		must(t, err)
		if len(open) != 0 {
			t.Fatalf("open after end: %+v", open)
		}
		got, err := db.DrillRun(bg, r.ID)
		must(t, err)
		if got.State != fenghuo.DrillRunEnded || got.DrillID != 99 || !got.EndedAt.Equal(now) || got.EndedBy != 8 {
			t.Fatalf("run: %+v", got)
		}
		// Listed in the county's subtree, not in the other county's.
		list, err := db.DrillRuns(bg, tr.countyA.Path, Page{Limit: 10})
		must(t, err)
		if list.Total != 1 || list.Items[0].ID != r.ID {
			t.Fatalf("county A: %+v", list)
		}
		list, err = db.DrillRuns(bg, tr.countyB.Path, Page{Limit: 10})
		must(t, err)
		if list.Total != 0 {
			t.Fatalf("county B: %+v", list)
		}
	})
}
