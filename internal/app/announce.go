package app

import (
	"context"

	"fenghuo/internal/store"
)

// The console's change feed (docs/live.md): every change that an open page
// should show without a reload leaves a store.LiveEvent in the change's own
// transaction, for the org it concerns. Two writers feed it: NotifyOrg (an
// office told of a report, a warning, an overdue duty: the event concerns
// the office told) and Record, for the actions in announcedActions (the
// event concerns the acting org, whose ancestors see it too).

// announcedActions are the audited actions that change what an open
// console page shows, with the event kind each becomes.
var announcedActions = map[string]string{
	"incident.create":         "incident.created",
	"incident.status":         "incident.status",
	"incident.grade.override": "incident.grade",
	"incident.facts":          "incident.grade",
	"incident.concealment":    "incident.status",
	"incident.report.submit":  "report.filed",
	"incident.report.receive": "report.signed",
	"incident.report.forward": "report.forwarded",
	"obligation.complete":     "obligation.met",
	"period.daily_report":     "daily_report.filed",
	"warning.issue":           "warning.issued",
	"warning.ack":             "warning.acknowledged",
	"warning.done":            "warning.done",
	"warning.lift":            "warning.lifted",
	"auth.logout":             "session.ended",
}

// Announce writes events to the change feed in tx.
func (a *Core) Announce(ctx context.Context, tx *store.Tx, evs ...store.LiveEvent) error {
	return tx.AddLiveEvents(ctx, evs...)
}

// announceRecord is Record's share of the feed: the object as the subject
// (the page reader resolves it), the acting org as the org concerned.
func (a *Core) announceRecord(ctx context.Context, tx *store.Tx, ac *Actor, action, objectType, objectID string) error {
	kind, ok := announcedActions[action]
	if !ok || ac.Org.ID == 0 {
		return nil
	}
	ev := store.LiveEvent{OrgID: ac.Org.ID, Kind: kind}
	switch {
	case action == "auth.logout":
		// The hub closes that session's streams (the hash of its token,
		// never the token).
		ev.Subject = ac.SessionHash
	case objectType == "incident" && objectID != "":
		ev.Link = "/incidents/" + objectID
	case objectType == "warning" && objectID != "":
		ev.Link = "/warnings/" + objectID
	}
	return tx.AddLiveEvents(ctx, ev)
}

// NoticeEvent is the feed's event of a notice: Live names its kind when it
// is finer than the notice's (report.initial for a report.received).
func NoticeEvent(n Notice) store.LiveEvent {
	kind := n.Kind
	if n.Live != "" {
		kind = n.Live
	}
	return store.LiveEvent{OrgID: n.OrgID, Kind: kind, Subject: n.Title, Link: n.Link}
}
