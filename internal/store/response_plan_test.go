package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// responseTables are the tables of migrations 0008–0011 and the ones their
// queries join; they grow with incidents, so no read may scan one whole.
var responseTables = map[string]bool{"response_activations": true, "command_members": true, "response_switches": true,
	"end_notice_recipients": true, "tasks": true, "task_comments": true, "aftermath_documents": true,
	"aftermath_approvals": true, "improvements": true, "accountability_records": true, "plan_versions": true,
	"incident_concealment": true, "obligations": true, "incidents": true}

// TestResponseQueriesUseIndexes seeds a thousand incidents with their
// response, tasks and aftermath, captures every read the store's list and
// lookup methods of 0008–0011 issue, and asks the engine (with statistics)
// how it would run each: none may read one of responseTables whole. On
// PostgreSQL, as in server's TestListQueriesUseIndexes, only tables the
// seeding made big (1,000 rows or more) are checked, since the planner
// rightly reads a few rows whole.
func TestResponseQueriesUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a thousand incidents")
	}
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		units := []*fenghuo.Org{tr.hospital, tr.school, tr.water}
		base := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		const n = 1000
		var ref struct {
			incident, activation, task, document int64
		}
		must(t, db.WithTx(bg, func(tx *Tx) error {
			for i := 0; i < n; i++ {
				at := base.Add(time.Duration(i) * time.Minute)
				unit := units[i%len(units)]
				inc := &fenghuo.Incident{OrgID: unit.ID, Title: fmt.Sprint("事件", i), Category: "MC01", Status: fenghuo.StatusReported,
					DiscoveredAt: at, Grade: "II", ComputedGrade: "II", Channel: fenghuo.ChannelUnit}
				if err := tx.CreateIncident(bg, inc); err != nil {
					return err
				}
				req := &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "III", State: fenghuo.ResponseRequested, HandUpOrgID: unit.ParentID}
				if err := tx.CreateActivation(bg, req); err != nil {
					return err
				}
				act := &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "II", State: fenghuo.ResponseActive, PreviousID: req.ID}
				if err := tx.CreateActivation(bg, act); err != nil {
					return err
				}
				for _, role := range []string{fenghuo.CommandCommander, fenghuo.CommandLiaison} {
					if err := tx.AddCommandMember(bg, &fenghuo.CommandMember{ActivationID: act.ID, Role: role, Name: "成员"}); err != nil {
						return err
					}
				}
				if err := tx.ApplySwitch(bg, &fenghuo.ResponseSwitch{ActivationID: act.ID, Key: "duty_24h"}); err != nil {
					return err
				}
				if err := tx.AddEndNoticeRecipient(bg, &fenghuo.EndNoticeRecipient{ActivationID: act.ID, OrgID: unit.ID}); err != nil {
					return err
				}
				var task fenghuo.Task
				for j := 0; j < 2; j++ {
					task = fenghuo.Task{IncidentID: inc.ID, ActivationID: act.ID, Title: "任务", OwnerOrgID: unit.ID, DueAt: at.Add(2 * time.Hour)}
					if err := tx.CreateTask(bg, &task, Duty{}); err != nil {
						return err
					}
				}
				if err := tx.AddTaskComment(bg, &fenghuo.TaskComment{TaskID: task.ID, Body: "进展"}); err != nil {
					return err
				}
				doc := &fenghuo.AftermathDocument{IncidentID: inc.ID, Kind: fenghuo.DocInvestigation, Body: fullBody(fenghuo.DocInvestigation, "x")}
				if err := tx.CreateDocumentVersion(bg, doc); err != nil {
					return err
				}
				if _, err := tx.SubmitDocument(bg, doc.ID); err != nil {
					return err
				}
				if _, err := tx.DecideDocument(bg, &fenghuo.Approval{DocumentID: doc.ID, ApproverOrgID: unit.ParentID, Decision: fenghuo.DecisionApprove}, false); err != nil {
					return err
				}
				if err := tx.CreateImprovement(bg, &fenghuo.Improvement{IncidentID: inc.ID, Text: "整改", OwnerOrgID: unit.ID, DueAt: at.Add(7 * 24 * time.Hour)}, Duty{}); err != nil {
					return err
				}
				if err := tx.CreateAccountabilityRecord(bg, &fenghuo.AccountabilityRecord{IncidentID: inc.ID, Kind: fenghuo.RecordReward, Subject: "单位", Basis: "§5.4.1", Decision: "表扬"}); err != nil {
					return err
				}
				// The initial report duty: most on time, some late, missed or open.
				report := &fenghuo.Obligation{Kind: "report", IncidentID: inc.ID, OwnerOrgID: unit.ID, Title: "初报", DueAt: at.Add(time.Hour)}
				if err := tx.CreateObligation(bg, report); err != nil {
					return err
				}
				if i%10 != 0 {
					report.Complete(at.Add(time.Duration(i%13)*time.Minute*10), "")
					if i%7 == 0 {
						report.State = fenghuo.ObligationMissed
					}
					if err := tx.UpdateObligation(bg, report); err != nil {
						return err
					}
				}
				if i%3 == 0 {
					if err := tx.MarkConcealment(bg, &fenghuo.ConcealmentMark{IncidentID: inc.ID, UnitOrgID: unit.ID, Reason: "监测发现"}); err != nil {
						return err
					}
				}
				if err := tx.CreatePlanVersion(bg, &fenghuo.PlanVersion{PlanID: fmt.Sprint("plan-", i%50), YAML: fmt.Sprint("v", i)}); err != nil {
					return err
				}
				if i == n/2 {
					ref.incident, ref.activation, ref.task, ref.document = inc.ID, act.ID, task.ID, doc.ID
				}
			}
			return nil
		}))
		must(t, db.Analyze(bg))

		var mu sync.Mutex
		queries := map[string][]any{}
		db.SetQueryLog(func(q string, args []any) {
			if strings.HasPrefix(strings.TrimSpace(q), "SELECT") {
				mu.Lock()
				queries[q] = args
				mu.Unlock()
			}
		})
		city, err := db.Org(bg, tr.city.ID)
		must(t, err)
		reads := []func() error{
			func() error { _, err := db.Activations(bg, ref.incident); return err },
			func() error {
				return db.View(bg, func(tx *Tx) error { _, err := tx.OpenActivation(bg, ref.incident); return ignoreNotFound(err) })
			},
			func() error { _, err := db.Activation(bg, ref.activation); return err },
			func() error { _, err := db.ActivationsHandedUpTo(bg, tr.countyA.ID, "", Page{}); return err },
			func() error { _, err := db.CommandMembers(bg, ref.activation); return err },
			func() error { _, err := db.Switches(bg, ref.activation); return err },
			func() error { _, err := db.EndNoticeRecipients(bg, ref.activation); return err },
			func() error { _, err := db.UnackedEndNotices(bg, tr.water.ID, Page{}); return err },
			func() error { _, err := db.IncidentTasks(bg, ref.incident); return err },
			func() error { _, err := db.Task(bg, ref.task); return err },
			func() error { _, err := db.OpenTasksOf(bg, tr.water.ID, Page{}); return err },
			func() error { _, err := db.TaskComments(bg, ref.task); return err },
			func() error { _, err := db.IncidentDocuments(bg, ref.incident); return err },
			func() error { _, err := db.Document(bg, ref.document); return err },
			func() error {
				return db.View(bg, func(tx *Tx) error {
					_, err := tx.LatestDocument(bg, ref.incident, fenghuo.DocInvestigation)
					return err
				})
			},
			func() error { _, err := db.Approvals(bg, ref.document); return err },
			func() error { _, err := db.IncidentImprovements(bg, ref.incident); return err },
			func() error { _, err := db.OpenImprovementsOf(bg, tr.water.ID, Page{}); return err },
			func() error { _, err := db.AccountabilityRecords(bg, ref.incident); return err },
			func() error { _, err := db.CurrentPlanVersion(bg, "plan-7"); return err },
			func() error { _, err := db.CurrentPlanVersions(bg); return err },
			func() error { _, err := db.PlanVersions(bg, "plan-7"); return err },
			func() error { _, err := db.PlanVersion(bg, "plan-7", 3); return err },
			func() error { _, err := db.Concealment(bg, ref.incident); return ignoreNotFound(err) },
			func() error {
				_, err := db.ReportingSignalsOf(bg, city.Path, base, base.Add(30*24*time.Hour), base.Add(24*time.Hour))
				return err
			},
		}
		for i, read := range reads {
			if err := read(); err != nil {
				t.Fatalf("read %d: %v", i, err)
			}
		}
		db.SetQueryLog(nil)

		big := responseTables
		if db.Engine() == Postgres {
			big = map[string]bool{}
			for name := range responseTables {
				if db.RowEstimate(bg, name) >= n {
					big[name] = true
				}
			}
			t.Logf("postgres: checking tables with %d rows or more: %v", n, big)
		}
		if len(queries) < len(reads) {
			t.Fatalf("captured %d queries for %d reads", len(queries), len(reads))
		}
		for q, args := range queries {
			scans, plan, err := db.FullScans(bg, q, args, big)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if len(scans) > 0 {
				t.Errorf("full scan of %v:\n%s\nplan:\n%s", scans, q, plan)
			}
		}
		// The check itself sees a scan where there is one.
		if scans, plan, err := db.FullScans(bg, "SELECT id FROM tasks WHERE body LIKE '%x%'", nil, big); err != nil || len(scans) == 0 {
			t.Fatalf("an unindexed filter on tasks is not reported (%v):\n%s", err, plan)
		}
		t.Logf("%s: %d read queries planned without a full scan", db.Engine(), len(queries))
	})
}

func ignoreNotFound(err error) error {
	if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
		return nil
	}
	return err
}
