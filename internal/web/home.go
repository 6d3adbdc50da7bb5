package web

import (
	"net/http"
	"strconv"

	"fenghuo/internal/app/awareness"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// listCount is a count on the dashboard; Capped counts stopped at
// store.CountCap and read "1000+".
type listCount struct {
	N      int
	Capped bool
}

func (c listCount) String() string {
	if c.Capped {
		return strconv.Itoa(c.N) + "+"
	}
	return strconv.Itoa(c.N)
}

type homeData struct {
	Orgs, Systems, Users int
	Inbox                listCount
	Notifications        []store.Notification
	// Duties are what the viewer's own org must do next.
	Duties      []fenghuo.Obligation
	DutiesTotal listCount
	Plans       []string
	// MyTasks are the viewer's org's unfinished tasks (task capability).
	MyTasks []fenghuo.Task
	// MyDrillTasks are its unfinished drill tasks (drill mode), marked 演练.
	MyDrillTasks []fenghuo.DrillTask
	// Responses wait for the viewer's office to decide (R1).
	Responses []responseQueueItem
	// Aware is the situational awareness of the viewer's subtree (issue
	// 13 item 1); Unit says the viewer's org is a unit, not an office.
	Aware *awareView
	Unit  bool
}

// home is the dashboard: who you are, your scope, and what needs you.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	ctx := r.Context()
	var d homeData
	if ac.Can(fenghuo.PermOrgRead) {
		if res, err := h.app.Directory.Orgs(ctx, ac, store.OrgFilter{}, store.Page{Limit: 1}); err == nil {
			d.Orgs = res.Total
		}
	}
	if ac.Can(fenghuo.PermSystemRead) {
		if n, err := h.app.Directory.CountSystems(ctx, ac); err == nil {
			d.Systems = n
		}
	}
	if ac.Can(fenghuo.PermUserRead) {
		if res, err := h.app.Accounts.Users(ctx, ac, store.UserFilter{}, store.Page{Limit: 1}); err == nil {
			d.Users = res.Total
		}
	}
	if ac.Can(fenghuo.PermIncidentRead) {
		if res, err := h.app.Incidents.Inbox(ctx, ac, store.Page{Limit: 1}); err == nil {
			d.Inbox = listCount{res.Total, res.Capped}
		}
		if res, err := h.app.Incidents.MyDuties(ctx, ac, 10); err == nil {
			d.Duties, d.DutiesTotal = res.Items, listCount{res.Total, res.Capped}
		}
		d.MyTasks, _ = h.app.Tasks.MyTasks(ctx, ac, store.Page{Limit: 10}) // task capability
		d.Responses = h.responseQueue(r, ac)                               // response levels (R1)
		// Drill mode (issue 12 item 6): drill tasks, marked 演练.
		d.MyDrillTasks, _ = h.app.Drills.MyDrillTasks(ctx, ac, store.Page{Limit: 10})
		// Situational awareness per level (issue 13 item 1).
		a, err := h.awareness(r, ac, clocksShown)
		if err != nil {
			h.fail(w, r, ac, err)
			return
		}
		d.Aware, d.Unit = a, awareness.LevelOf(&ac.Org) == awareness.LevelUnit
		if d.Unit {
			h.unitHome(r, ac, a, &d)
		}
	}
	d.Notifications, _ = h.app.Core.DB().Notifications(ctx, ac.Org.ID, ac.User.ID, 10)
	d.Plans, _, _ = h.app.Directory.EffectivePlans(ctx, ac, ac.Org.ID)
	h.render(w, r, http.StatusOK, "home", &view{Actor: ac, Title: "home.title", Nav: "home", Data: d})
}
