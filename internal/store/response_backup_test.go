package store

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// A backup carries every table of 0008–0011, on either engine into either,
// and the restored database goes on numbering after the restored rows.
func TestBackupCarriesResponseTables(t *testing.T) {
	for _, src := range engines() {
		for _, dst := range engines() {
			t.Run(string(src)+"-to-"+string(dst), func(t *testing.T) {
				db := MustOpenDB(t, src)
				tr := mustTree(t, db)
				now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
				inc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", now)
				var task fenghuo.Task
				must(t, db.WithTx(bg, func(tx *Tx) error {
					a := &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "II", State: fenghuo.ResponseActive, Clause: "001 §4.2.2"}
					steps := []func() error{
						func() error { return tx.CreateActivation(bg, a) },
						func() error {
							return tx.AddCommandMember(bg, &fenghuo.CommandMember{ActivationID: a.ID, Role: fenghuo.CommandCommander, Name: "李明"})
						},
						func() error { return tx.ApplySwitch(bg, &fenghuo.ResponseSwitch{ActivationID: a.ID, Key: "duty_24h"}) },
						func() error {
							return tx.AddEndNoticeRecipient(bg, &fenghuo.EndNoticeRecipient{ActivationID: a.ID, OrgID: tr.countyB.ID})
						},
						func() error {
							task = fenghuo.Task{IncidentID: inc.ID, Title: "启用备用系统", OwnerOrgID: tr.water.ID, DueAt: now.Add(2 * time.Hour),
								Evidence: []string{"切换记录"}}
							return tx.CreateTask(bg, &task, Duty{})
						},
						func() error { return tx.AddTaskComment(bg, &fenghuo.TaskComment{TaskID: task.ID, Body: "进行中"}) },
						func() error {
							d := &fenghuo.AftermathDocument{IncidentID: inc.ID, Kind: fenghuo.DocSummary, Body: fullBody(fenghuo.DocSummary, "总结")}
							if err := tx.CreateDocumentVersion(bg, d); err != nil {
								return err
							}
							if _, err := tx.SubmitDocument(bg, d.ID); err != nil {
								return err
							}
							_, err := tx.DecideDocument(bg, &fenghuo.Approval{DocumentID: d.ID, ApproverOrgID: tr.countyB.ID, Decision: fenghuo.DecisionApprove}, true)
							return err
						},
						func() error {
							return tx.CreateImprovement(bg, &fenghuo.Improvement{IncidentID: inc.ID, Text: "关闭端口", OwnerOrgID: tr.water.ID}, Duty{})
						},
						func() error {
							return tx.CreateAccountabilityRecord(bg, &fenghuo.AccountabilityRecord{IncidentID: inc.ID, Kind: fenghuo.RecordReward,
								Subject: "支撑队伍", Basis: "001 §5.4.1", Decision: "表扬"})
						},
						func() error {
							return tx.CreatePlanVersion(bg, &fenghuo.PlanVersion{PlanID: "wushen-county", YAML: "id: wushen-county\n"})
						},
						func() error {
							return tx.MarkConcealment(bg, &fenghuo.ConcealmentMark{IncidentID: inc.ID, UnitOrgID: tr.water.ID, Reason: "监测发现"})
						},
					}
					for _, step := range steps {
						if err := step(); err != nil {
							return err
						}
					}
					return nil
				}))
				var buf bytes.Buffer
				must(t, db.Backup(bg, &buf))
				restored := MustOpenDB(t, dst)
				must(t, restored.Restore(bg, bytes.NewReader(buf.Bytes())))
				got := rowCounts(t, restored)
				for _, table := range []string{"response_activations", "command_members", "response_switches", "end_notice_recipients",
					"tasks", "task_comments", "aftermath_documents", "aftermath_approvals", "improvements", "accountability_records",
					"plan_versions", "incident_concealment"} {
					if got[table] != 1 {
						t.Errorf("restored %s: %d rows, want 1", table, got[table])
					}
				}
				rt, err := restored.Task(bg, task.ID)
				must(t, err)
				if rt.ObligationID != task.ObligationID || len(rt.Evidence) != 1 || !rt.DueAt.Equal(task.DueAt) {
					t.Fatalf("restored task: %+v", rt)
				}
				cur, err := restored.CurrentPlanVersion(bg, "wushen-county")
				must(t, err)
				if cur.SM3 != PlanDigest("id: wushen-county\n") {
					t.Fatalf("restored plan version: %+v", cur)
				}
				next := fenghuo.Task{IncidentID: inc.ID, Title: "恢复数据", OwnerOrgID: tr.water.ID}
				must(t, restored.WithTx(bg, func(tx *Tx) error { return tx.CreateTask(bg, &next, Duty{}) }))
				if next.ID <= task.ID {
					t.Fatalf("new task after restore got ID %d, not past %d", next.ID, task.ID)
				}
			})
		}
	}
}

// Uploads of one plan at once: each either becomes the next version or
// fails with ECONFLICT; one version stays active and the numbers have no gap.
func TestPlanVersionUploadsAtOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.WithTx(bg, func(tx *Tx) error {
					return tx.CreatePlanVersion(bg, &fenghuo.PlanVersion{PlanID: "cac-2025", YAML: fmt.Sprint("rev: ", i)})
				})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
				t.Fatalf("unexpected error: %v", err)
			}
		}
		list, err := db.PlanVersions(bg, "cac-2025")
		must(t, err)
		active := 0
		for i, v := range list {
			if v.Version != len(list)-i {
				t.Errorf("versions: %+v", list)
			}
			if v.State == fenghuo.PlanVersionActive {
				active++
			}
		}
		if ok == 0 || len(list) != ok || active != 1 || list[0].State != fenghuo.PlanVersionActive {
			t.Fatalf("%d uploads succeeded; versions %+v", ok, list)
		}
		t.Logf("%s: %d of %d simultaneous uploads stored", db.Engine(), ok, len(errs))
	})
}
