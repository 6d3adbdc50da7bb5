package intake

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// GroupFilter selects alert groups: those of OrgID's subtree (0: the
// actor's org), the rest as store.AlertGroupFilter.
type GroupFilter struct {
	OrgID                      int64
	State, Level, Kind, RuleID string
	From, To                   time.Time
}

// Groups lists the alert groups of the actor's subtree, latest activity
// first, with the counts by state, level and kind of the same scope and
// time range.
func (s *Service) Groups(ctx context.Context, ac *app.Actor, f GroupFilter, p store.Page) (store.ListResult[store.AlertGroup], store.AlertFacets, error) {
	var res store.ListResult[store.AlertGroup]
	var facets store.AlertFacets
	if err := app.Require(ac, fenghuo.PermIncidentRead); err != nil {
		return res, facets, err
	}
	var bad fenghuo.Invalid
	if f.State != "" && !slices.Contains([]string{store.AlertOpen, store.AlertAssigned, store.AlertDismissed, store.AlertPromoted}, f.State) {
		bad.Add(fenghuo.FieldErrorf("state", "Unknown state %q: open, assigned, dismissed or promoted. / 状态不正确。", f.State))
	}
	if f.Level != "" && !slices.Contains(Levels, f.Level) {
		bad.Add(fenghuo.FieldErrorf("level", "Unknown level %q: %s. / 级别不正确。", f.Level, strings.Join(Levels, ", ")))
	}
	if err := bad.Err(); err != nil {
		return res, facets, err
	}
	orgID := ac.Org.ID
	if f.OrgID != 0 {
		o, err := s.core.VisibleOrg(ctx, ac, f.OrgID)
		if err != nil {
			return res, facets, err
		}
		orgID = o.ID
	}
	sf := store.AlertGroupFilter{OrgID: orgID, State: f.State, Level: f.Level, Kind: f.Kind, RuleID: f.RuleID, From: f.From, To: f.To}
	res, err := s.core.DB().AlertGroups(ctx, sf, p)
	if err != nil {
		return res, facets, err
	}
	facets, err = s.core.DB().AlertGroupFacets(ctx, sf)
	return res, facets, err
}

// GroupDetail is an alert group with its latest events and the names a
// page shows.
type GroupDetail struct {
	Group    store.AlertGroup
	OrgName  string
	Assignee string // display name, "" when unassigned
	Samples  []store.StoredEvent
	// Category is the GB/T 20986-2023 code a promotion would give.
	Category string
}

// Group returns one alert group of the actor's subtree with its samples.
func (s *Service) Group(ctx context.Context, ac *app.Actor, id int64) (*GroupDetail, error) {
	var d GroupDetail
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		g, org, err := s.visibleGroup(ctx, tx, ac, id, fenghuo.PermIncidentRead, false)
		if err != nil {
			return err
		}
		d.Group, d.OrgName, d.Category = *g, org.Name, attackMapping.CategoryOf(g.Kind, g.Tags)
		if g.AssigneeID != 0 {
			if u, err := tx.User(ctx, g.AssigneeID); err == nil {
				d.Assignee = displayName(u)
			}
		}
		ids, err := tx.AlertSampleIDs(ctx, g.ID)
		if err != nil {
			return err
		}
		d.Samples, err = tx.EventsByIDs(ctx, ids)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func displayName(u *fenghuo.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// visibleGroup reads (locked when lock) a group whose unit is in the
// actor's subtree and checks p; a group outside it is ENOTFOUND.
func (s *Service) visibleGroup(ctx context.Context, tx *store.Tx, ac *app.Actor, id int64, p fenghuo.Permission, lock bool) (*store.AlertGroup, *fenghuo.Org, error) {
	read := tx.AlertGroup
	if lock {
		read = tx.LockAlertGroup
	}
	g, err := read(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	org, err := tx.Org(ctx, g.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if err := app.RequireAt(ac, p, org.Path, "Alert group", id); err != nil {
		return nil, nil, err
	}
	return g, org, nil
}

// triage runs one change to a group: read it locked with the rights
// check, let change decide and edit it, store it and record the audit
// entry, in one transaction.
func (s *Service) triage(ctx context.Context, ac *app.Actor, id int64, action string, change func(tx *store.Tx, g *store.AlertGroup, org *fenghuo.Org) (map[string]any, error)) (*store.AlertGroup, error) {
	var out *store.AlertGroup
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		g, org, err := s.visibleGroup(ctx, tx, ac, id, fenghuo.PermIncidentWrite, true)
		if err != nil {
			return err
		}
		from := g.State
		detail, err := change(tx, g, org)
		if err != nil {
			return err
		}
		if err := tx.UpdateAlertGroup(ctx, g); err != nil {
			return err
		}
		if detail == nil {
			detail = map[string]any{}
		}
		detail["from"], detail["to"] = from, g.State
		out = g
		return s.core.Record(ctx, tx, ac, action, "alert_group", app.ObjectID(g.ID), "success", detail)
	})
	return out, err
}

func stateConflict(g *store.AlertGroup, what string) error {
	return fenghuo.Errorf(fenghuo.ECONFLICT, "This alert group is %s: it cannot be %s. / 该告警当前状态不允许此操作。", g.State, what)
}

// Assign gives a group to an account that sees it (its org is in the
// actor's subtree and the group's unit is in the account's).
func (s *Service) Assign(ctx context.Context, ac *app.Actor, id, userID int64) (*store.AlertGroup, error) {
	return s.triage(ctx, ac, id, "alert.assign", func(tx *store.Tx, g *store.AlertGroup, org *fenghuo.Org) (map[string]any, error) {
		if g.State == store.AlertDismissed || g.State == store.AlertPromoted {
			return nil, stateConflict(g, "assigned")
		}
		u, err := tx.User(ctx, userID)
		if err != nil {
			return nil, fenghuo.FieldErrorf("user_id", "Choose an account of your unit or below. / 请选择本级或下级单位的账号。")
		}
		uorg, err := tx.Org(ctx, u.OrgID)
		if err != nil || u.Disabled || !fenghuo.InSubtree(ac.Org.Path, uorg.Path) || !fenghuo.InSubtree(uorg.Path, org.Path) ||
			!u.Can(fenghuo.PermIncidentRead) {
			return nil, fenghuo.FieldErrorf("user_id", "Choose an active account that can see this alert (its unit or an office above it, within your scope). / 请选择能查看该告警的在用账号。")
		}
		g.AssigneeID, g.State = u.ID, store.AlertAssigned
		return map[string]any{"assignee_id": u.ID, "assignee": u.Username}, nil
	})
}

// Dismiss closes a group as not needing action; the reason is required.
func (s *Service) Dismiss(ctx context.Context, ac *app.Actor, id int64, reason string) (*store.AlertGroup, error) {
	reason = fenghuo.CleanText(strings.TrimSpace(reason), 1000)
	if reason == "" {
		return nil, fenghuo.FieldErrorf("reason", "Say why the alert needs no action. / 请填写忽略原因。")
	}
	return s.triage(ctx, ac, id, "alert.dismiss", func(tx *store.Tx, g *store.AlertGroup, org *fenghuo.Org) (map[string]any, error) {
		if g.State == store.AlertDismissed || g.State == store.AlertPromoted {
			return nil, stateConflict(g, "dismissed")
		}
		g.State, g.DismissReason = store.AlertDismissed, reason
		return map[string]any{"reason": reason}, nil
	})
}

// Reopen brings a dismissed group back (assigned again if it had an
// assignee).
func (s *Service) Reopen(ctx context.Context, ac *app.Actor, id int64) (*store.AlertGroup, error) {
	return s.triage(ctx, ac, id, "alert.reopen", func(tx *store.Tx, g *store.AlertGroup, org *fenghuo.Org) (map[string]any, error) {
		if g.State != store.AlertDismissed {
			return nil, stateConflict(g, "reopened")
		}
		g.State, g.DismissReason = store.AlertOpen, ""
		if g.AssigneeID != 0 {
			g.State = store.AlertAssigned
		}
		return nil, nil
	})
}

// Promote opens a draft incident for the group's unit, its category from
// the rule's ATT&CK tags, its discovery time the group's first event, its
// description the group's summary and its systems those of the unit whose
// registered addresses the events name; the group links it.
func (s *Service) Promote(ctx context.Context, ac *app.Actor, id int64) (*store.AlertGroup, *fenghuo.Incident, error) {
	var inc *fenghuo.Incident
	g, err := s.triage(ctx, ac, id, "alert.promote", func(tx *store.Tx, g *store.AlertGroup, org *fenghuo.Org) (map[string]any, error) {
		if g.State == store.AlertDismissed || g.State == store.AlertPromoted {
			return nil, stateConflict(g, "promoted")
		}
		systems, err := s.affectedSystems(ctx, tx, g)
		if err != nil {
			return nil, err
		}
		category := attackMapping.CategoryOf(g.Kind, g.Tags)
		var created bool
		inc, created, err = s.incidents.OpenDraftFromExternalAlertTx(ctx, tx, ac, incident.ExternalAlert{OrgID: g.OrgID,
			Category: category, Title: promotedTitle(g), Summary: summary(g), SystemIDs: systems, DetectedAt: g.FirstSeen,
			Source: fmt.Sprintf("alert-group:%d", g.ID)})
		if err != nil {
			return nil, err
		}
		g.State, g.IncidentID = store.AlertPromoted, inc.ID
		return map[string]any{"incident_id": inc.ID, "category": category, "created": created}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return g, inc, nil
}

func promotedTitle(g *store.AlertGroup) string {
	if g.Entity == "" {
		return "告警：" + g.Title
	}
	return "告警：" + g.Title + "（" + g.Entity + "）"
}

// summary is a promoted incident's description: what the group says.
func summary(g *store.AlertGroup) string {
	at := func(t time.Time) string { return t.In(calendar.Shanghai).Format("2006-01-02 15:04:05") }
	var b strings.Builder
	fmt.Fprintf(&b, "检测规则：%s（%s）\n", g.Title, g.RuleID)
	if g.Entity != "" {
		fmt.Fprintf(&b, "对象：%s\n", g.Entity)
	}
	fmt.Fprintf(&b, "告警次数：%d\n首次发现：%s\n最近发现：%s\n级别：%s", g.Count, at(g.FirstSeen), at(g.LastSeen), levelInWords(g.Level))
	if len(g.Tags) > 0 {
		fmt.Fprintf(&b, "\n标签：%s", tagsInWords(g.Tags))
	}
	return b.String()
}

// affectedSystems are the unit's systems whose registered exposure (an IP,
// a prefix or a host name) is named by the group's entity or its sample
// events' destination or host fields.
func (s *Service) affectedSystems(ctx context.Context, tx *store.Tx, g *store.AlertGroup) ([]int64, error) {
	names := map[string]bool{}
	if _, v, ok := strings.Cut(g.Entity, "="); ok {
		names[strings.ToLower(v)] = true
	} else if g.Entity != "" {
		names[strings.ToLower(g.Entity)] = true
	}
	ids, err := tx.AlertSampleIDs(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	evs, err := tx.EventsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		for _, v := range []string{e.DestinationIP, e.HostName} {
			if v != "" {
				names[strings.ToLower(v)] = true
			}
		}
	}
	systems, err := tx.SubtreeSystems(ctx, g.OrgID, store.SystemFilter{OrgID: g.OrgID, Status: fenghuo.SystemActive}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, sys := range systems.Items {
		for _, x := range sys.Exposure {
			if exposureNamed(x.Value, names) {
				out = append(out, sys.ID)
				break
			}
		}
	}
	return out, nil
}

func exposureNamed(value string, names map[string]bool) bool {
	value = strings.ToLower(strings.TrimSpace(value))
	if names[value] {
		return true
	}
	p, err := parsePrefix(value)
	if err != nil {
		return false
	}
	for n := range names {
		if a, err := netip.ParseAddr(n); err == nil && p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}
