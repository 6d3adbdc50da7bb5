package store

import (
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

func TestIncidentsReportsObligations(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		sys := mustSystem(t, db, tr.school.ID, "校园网")
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		inc := &fenghuo.Incident{OrgID: tr.school.ID, Title: "网页篡改", Category: "NA09", Status: fenghuo.StatusDraft,
			DiscoveredAt: now, SystemIDs: []int64{sys.ID}, Facts: map[string]any{"social_impact": "serious"},
			Grade: "II", ComputedGrade: "II", Channel: fenghuo.ChannelUnit}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateIncident(bg, inc) }))
		got, err := db.Incident(bg, inc.ID)
		must(t, err)
		if got.Title != inc.Title || len(got.SystemIDs) != 1 || got.Facts["social_impact"] != "serious" || !got.DiscoveredAt.Equal(now) {
			t.Fatalf("round trip: %+v", got)
		}
		// Optimistic locking.
		stale := *got
		got.Status = fenghuo.StatusReported
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.UpdateIncident(bg, got) }))
		err = db.WithTx(bg, func(tx *Tx) error { return tx.UpdateIncident(bg, &stale) })
		if fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		// Visibility: the school's county sees it, the other county only once a report reaches it.
		list, err := db.Incidents(bg, IncidentFilter{ScopeOrgID: tr.countyA.ID}, Page{})
		must(t, err)
		other, err := db.Incidents(bg, IncidentFilter{ScopeOrgID: tr.countyB.ID}, Page{})
		must(t, err)
		if list.Total != 1 || other.Total != 0 {
			t.Fatalf("visibility: %d / %d", list.Total, other.Total)
		}
		rep := &fenghuo.Report{IncidentID: inc.ID, Kind: fenghuo.ReportInitial, Number: 1, Revision: 1,
			Content: map[string]string{"event_details": "首页出现赌博信息"}, SubmittedAt: now}
		var d *Delivery
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.CreateReport(bg, rep); err != nil {
				return err
			}
			d = &Delivery{ReportID: rep.ID, IncidentID: inc.ID, FromOrgID: tr.school.ID, ToOrgID: tr.countyB.ID}
			return tx.CreateDelivery(bg, d)
		}))
		other, _ = db.Incidents(bg, IncidentFilter{ScopeOrgID: tr.countyB.ID}, Page{})
		if other.Total != 1 {
			t.Fatal("a delivered report does not share the incident")
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.ReceiveDelivery(bg, d.ID, 7) }))
		if err := db.WithTx(bg, func(tx *Tx) error { return tx.ReceiveDelivery(bg, d.ID, 7) }); fenghuo.ErrorCode(err) != fenghuo.ECONFLICT {
			t.Fatalf("double receipt: %v", err)
		}
		inbox, err := db.Inbox(bg, tr.countyB.ID, Page{})
		must(t, err)
		if inbox.Total != 1 || inbox.Items[0].ReceivedAt.IsZero() {
			t.Fatalf("inbox %+v", inbox)
		}
		// Obligations: due, reminder, escalation claimed once, overdue filter.
		o := &fenghuo.Obligation{Kind: "report", IncidentID: inc.ID, OwnerOrgID: tr.school.ID, RecipientOrgID: tr.countyA.ID,
			Title: "报告", DueAt: now.Add(2 * time.Hour), RemindAt: now.Add(90 * time.Minute)}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateObligation(bg, o) }))
		must(t, db.View(bg, func(tx *Tx) error {
			next, err := tx.NextObligationEvent(bg, now)
			if err == nil && !next.Equal(o.RemindAt) {
				t.Errorf("next event %v, want %v", next, o.RemindAt)
			}
			return err
		}))
		later := now.Add(3 * time.Hour)
		var claimedTwice bool
		must(t, db.WithTx(bg, func(tx *Tx) error {
			due, err := tx.DueEscalations(bg, later, 10)
			if err != nil || len(due) != 1 {
				t.Fatalf("due escalations %v %v", due, err)
			}
			first, _ := tx.ClaimObligationEvent(bg, o.ID, "escalated_at", later)
			second, _ := tx.ClaimObligationEvent(bg, o.ID, "escalated_at", later)
			claimedTwice = first && second
			return nil
		}))
		if claimedTwice {
			t.Fatal("an escalation was claimed twice")
		}
		overdue, err := db.Incidents(bg, IncidentFilter{ScopeOrgID: tr.city.ID, Overdue: true, Now: later}, Page{})
		must(t, err)
		if overdue.Total != 1 {
			t.Fatalf("overdue filter: %d", overdue.Total)
		}
		recs, err := db.ReportingRecords(bg, tr.city.Path, later)
		must(t, err)
		if len(recs) != 1 || recs[0].Overdue != 1 {
			t.Fatalf("records %+v", recs)
		}
		// The timeline chain shows an edited entry.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			for _, body := range []string{"登记", "初报", "签收"} {
				if err := tx.AppendTimeline(bg, &TimelineEntry{IncidentID: inc.ID, Kind: "note", Body: body}); err != nil {
					return err
				}
			}
			return nil
		}))
		entries, broken, err := db.Timeline(bg, inc.ID)
		must(t, err)
		if len(entries) != 3 || broken != 0 {
			t.Fatalf("timeline %d entries, broken %d", len(entries), broken)
		}
		_, err = db.write.Exec(db.d.rebind("UPDATE timeline SET body = ? WHERE incident_id = ? AND seq = 2"), "改过", inc.ID)
		must(t, err)
		if _, broken, _ = db.Timeline(bg, inc.ID); broken != 2 {
			t.Fatalf("edited entry 2 not detected: broken = %d", broken)
		}
		// Jobs: claimed once under a lease, retried after a failure.
		j := &Job{Kind: "notify", Payload: `{}`}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.EnqueueJob(bg, j) }))
		got1, err := db.ClaimJobs(bg, "test", now, time.Minute, 10)
		must(t, err)
		got2, err := db.ClaimJobs(bg, "test", now, time.Minute, 10)
		must(t, err)
		if len(got1) != 1 || len(got2) != 0 {
			t.Fatalf("claims %d then %d", len(got1), len(got2))
		}
		must(t, db.FinishJob(bg, got1[0], errTest, now.Add(30*time.Second)))
		if again, _ := db.ClaimJobs(bg, "test", now.Add(time.Minute), time.Minute, 10); len(again) != 1 || again[0].Attempts != 2 {
			t.Fatalf("retry: %+v", again)
		}
	})
}

type testError string

func (e testError) Error() string { return string(e) }

var errTest = testError("receiver down")
