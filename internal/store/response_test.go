package store

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// mustIncidentAt creates a reported incident of unit discovered at t.
func mustIncidentAt(tb testing.TB, db *DB, unit int64, title string, t time.Time) *fenghuo.Incident {
	tb.Helper()
	inc := &fenghuo.Incident{OrgID: unit, Title: title, Category: "MC01", Status: fenghuo.StatusReported, DiscoveredAt: t,
		Grade: "II", ComputedGrade: "II", Channel: fenghuo.ChannelUnit}
	must(tb, db.WithTx(bg, func(tx *Tx) error { return tx.CreateIncident(bg, inc) }))
	return inc
}

func TestResponseActivationHistory(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		inc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", now)

		// The unit requests level II; it is handed up to its county.
		req := &fenghuo.ResponseActivation{IncidentID: inc.ID, PlanID: "wushen-county", Level: "II",
			State: fenghuo.ResponseRequested, RequestedBy: 5, RequestedOrgID: tr.water.ID, HandUpOrgID: tr.countyB.ID}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateActivation(bg, req) }))
		waiting, err := db.ActivationsHandedUpTo(bg, tr.countyB.ID, "", Page{})
		must(t, err)
		if len(waiting) != 1 || waiting[0].ID != req.ID || !waiting[0].RequestedAt.Equal(now) {
			t.Fatalf("handed up: %+v", waiting)
		}
		// A second open activation is refused.
		err = db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateActivation(bg, &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "III", State: fenghuo.ResponseActive})
		})
		wantCode(t, err, fenghuo.ECONFLICT)

		// The county activates it, with the clause.
		now = now.Add(10 * time.Minute)
		var act *fenghuo.ResponseActivation
		must(t, db.WithTx(bg, func(tx *Tx) error {
			act, err = tx.SetActivationState(bg, req.ID, fenghuo.ResponseActive, func(a *fenghuo.ResponseActivation) {
				a.DecidedBy, a.DecidedOrgID, a.Clause = 9, tr.countyB.ID, "001 §4.2.2"
			})
			return err
		}))
		if !act.ActivatedAt.Equal(now) || !act.DecidedAt.Equal(now) || act.Clause != "001 §4.2.2" {
			t.Fatalf("activated: %+v", act)
		}
		// Deciding the same request again (a second officer) is refused.
		err = db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetActivationState(bg, req.ID, fenghuo.ResponseRefused, nil)
			return err
		})
		wantCode(t, err, fenghuo.ECONFLICT)

		// Raised to level I: one call supersedes the active level.
		now = now.Add(time.Hour)
		raised := &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "I", State: fenghuo.ResponseActive,
			DecidedBy: 11, DecidedOrgID: tr.city.ID, PreviousID: req.ID, Reason: "影响扩大"}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateActivation(bg, raised) }))
		// A change naming an activation no longer open is refused.
		err = db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateActivation(bg, &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "II", State: fenghuo.ResponseActive, PreviousID: req.ID})
		})
		wantCode(t, err, fenghuo.ECONFLICT)

		// Ended with an end notice.
		now = now.Add(24 * time.Hour)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.SetActivationState(bg, raised.ID, fenghuo.ResponseEnded, func(a *fenghuo.ResponseActivation) {
				a.EndedBy, a.EndClause, a.EndNotice = 11, "001 §4.3.1", "Ⅰ级响应结束"
			})
			return err
		}))
		hist, err := db.Activations(bg, inc.ID)
		must(t, err)
		if len(hist) != 2 || hist[0].State != fenghuo.ResponseSuperseded || hist[1].State != fenghuo.ResponseEnded ||
			!hist[0].EndedAt.Equal(now.Add(-24*time.Hour)) || hist[0].EndedBy != 11 || hist[1].EndNotice != "Ⅰ级响应结束" || hist[1].PreviousID != req.ID {
			t.Fatalf("history: %+v", hist)
		}
		err = db.View(bg, func(tx *Tx) error { _, err := tx.OpenActivation(bg, inc.ID); return err })
		wantCode(t, err, fenghuo.ENOTFOUND)
		// Nothing is waiting for the county any more.
		waiting, err = db.ActivationsHandedUpTo(bg, tr.countyB.ID, "", Page{})
		must(t, err)
		if len(waiting) != 0 {
			t.Fatalf("still waiting: %+v", waiting)
		}
		// An invalid level never reaches the table.
		err = db.WithTx(bg, func(tx *Tx) error {
			return tx.CreateActivation(bg, &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "V", State: fenghuo.ResponseActive})
		})
		wantCode(t, err, fenghuo.EINVALID)
	})
}

// Two officers decide one request at once: exactly one succeeds.
func TestActivationDecidedOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		inc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", time.Now())
		req := &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "II", State: fenghuo.ResponseRequested}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateActivation(bg, req) }))
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				state := fenghuo.ResponseActive
				if i%2 == 1 {
					state = fenghuo.ResponseRefused
				}
				errs[i] = db.WithTx(bg, func(tx *Tx) error {
					_, err := tx.SetActivationState(bg, req.ID, state, nil)
					return err
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
		if ok != 1 {
			t.Fatalf("%d decisions succeeded, want 1: %v", ok, errs)
		}
	})
}

func TestCommandSwitchesRecipients(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		inc := mustIncidentAt(t, db, tr.water.ID, "勒索病毒", now)
		a := &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "II", State: fenghuo.ResponseActive, DecidedOrgID: tr.countyB.ID}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.CreateActivation(bg, a) }))

		must(t, db.WithTx(bg, func(tx *Tx) error {
			for _, m := range []fenghuo.CommandMember{
				{ActivationID: a.ID, Role: fenghuo.CommandCommander, Name: "李明", OrgID: tr.countyB.ID, Phone: "0477-1"},
				{ActivationID: a.ID, Role: fenghuo.CommandOnsiteTeam, Name: "现场工作组"},
				{ActivationID: a.ID, Role: fenghuo.CommandExpert, Name: "张专家"},
			} {
				if err := tx.AddCommandMember(bg, &m); err != nil {
					return err
				}
			}
			return nil
		}))
		err := db.WithTx(bg, func(tx *Tx) error {
			return tx.AddCommandMember(bg, &fenghuo.CommandMember{ActivationID: a.ID, Role: "chief", Name: "x"})
		})
		wantCode(t, err, fenghuo.EINVALID)
		members, err := db.CommandMembers(bg, a.ID)
		must(t, err)
		if len(members) != 3 || members[0].Role != fenghuo.CommandCommander || members[0].Phone != "0477-1" {
			t.Fatalf("members: %+v", members)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.RemoveCommandMember(bg, a.ID, members[2].ID) }))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.RemoveCommandMember(bg, a.ID, members[2].ID) }), fenghuo.ENOTFOUND)

		// Switches: each once.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			if err := tx.ApplySwitch(bg, &fenghuo.ResponseSwitch{ActivationID: a.ID, Key: "duty_24h"}); err != nil {
				return err
			}
			return tx.ApplySwitch(bg, &fenghuo.ResponseSwitch{ActivationID: a.ID, Key: "standby", Detail: json.RawMessage(`{"tasks":[1,2]}`)})
		}))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.ApplySwitch(bg, &fenghuo.ResponseSwitch{ActivationID: a.ID, Key: "duty_24h"})
		}), fenghuo.ECONFLICT)
		wantCode(t, db.WithTx(bg, func(tx *Tx) error {
			return tx.ApplySwitch(bg, &fenghuo.ResponseSwitch{ActivationID: a.ID, Key: "x", Detail: json.RawMessage(`{`)})
		}), fenghuo.EINVALID)
		sw, err := db.Switches(bg, a.ID)
		must(t, err)
		if len(sw) != 2 || sw[0].Key != "duty_24h" || string(sw[0].Detail) != "{}" || !sw[0].AppliedAt.Equal(now) {
			t.Fatalf("switches: %+v", sw)
		}
		var detail map[string][]int
		if err := json.Unmarshal(sw[1].Detail, &detail); err != nil || len(detail["tasks"]) != 2 {
			t.Fatalf("detail: %s", sw[1].Detail)
		}

		// Recipients: those told of the activation get the end notice.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			for _, r := range []fenghuo.EndNoticeRecipient{{ActivationID: a.ID, OrgID: tr.water.ID}, {ActivationID: a.ID, OrgID: tr.city.ID},
				{ActivationID: a.ID, Name: "县公安局"}} {
				if err := tx.AddEndNoticeRecipient(bg, &r); err != nil {
					return err
				}
			}
			return nil
		}))
		rs, err := db.EndNoticeRecipients(bg, a.ID)
		must(t, err)
		if len(rs) != 3 || rs[0].Delivery != fenghuo.DeliveryPending || !rs[0].NotifiedAt.Equal(now) || !rs[0].EndSentAt.IsZero() {
			t.Fatalf("recipients: %+v", rs)
		}
		// Not sent yet: nothing to acknowledge.
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.AckEndNotice(bg, rs[0].ID, 3) }), fenghuo.ECONFLICT)
		now = now.Add(48 * time.Hour)
		var sent []fenghuo.EndNoticeRecipient
		must(t, db.WithTx(bg, func(tx *Tx) error {
			var err error
			sent, err = tx.MarkEndNoticeSent(bg, a.ID)
			return err
		}))
		if len(sent) != 3 || !sent[0].EndSentAt.Equal(now) {
			t.Fatalf("sent: %+v", sent)
		}
		// Sending again sends to nobody twice.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			again, err := tx.MarkEndNoticeSent(bg, a.ID)
			if len(again) != 0 {
				t.Errorf("sent twice: %+v", again)
			}
			return err
		}))
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.SetEndNoticeDelivery(bg, rs[2].ID, fenghuo.DeliveryFailed, "传真忙") }))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.SetEndNoticeDelivery(bg, rs[2].ID, "lost", "") }), fenghuo.EINVALID)
		unacked, err := db.UnackedEndNotices(bg, tr.water.ID, Page{})
		must(t, err)
		if len(unacked) != 1 || unacked[0].ID != rs[0].ID {
			t.Fatalf("unacked: %+v", unacked)
		}
		must(t, db.WithTx(bg, func(tx *Tx) error { return tx.AckEndNotice(bg, rs[0].ID, 3) }))
		wantCode(t, db.WithTx(bg, func(tx *Tx) error { return tx.AckEndNotice(bg, rs[0].ID, 4) }), fenghuo.ECONFLICT)
		rs, err = db.EndNoticeRecipients(bg, a.ID)
		must(t, err)
		if rs[0].AckedBy != 3 || !rs[0].AckedAt.Equal(now) || rs[2].Delivery != fenghuo.DeliveryFailed || rs[2].DeliveryNote != "传真忙" {
			t.Fatalf("after ack: %+v", rs)
		}
		unacked, err = db.UnackedEndNotices(bg, tr.water.ID, Page{})
		must(t, err)
		if len(unacked) != 0 {
			t.Fatalf("still unacked: %+v", unacked)
		}
	})
}
