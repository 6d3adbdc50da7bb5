package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
)

const orgColumns = `id, parent_id, path, name, short_name, level, type, sector, operator_type, region_code,
	liaison_name, liaison_title, liaison_mobile, duty_phone, fax, report_email, address, plan_ids,
	plan_roles, created_at, updated_at, version, supervisor_id`

type scanner interface{ Scan(dest ...any) error }

func (tx *Tx) scanOrg(s scanner) (*fenghuo.Org, error) {
	var o fenghuo.Org
	var parent, supervisor sql.NullInt64
	var plans, roles string
	var created, updated int64
	err := s.Scan(&o.ID, &parent, &o.Path, &o.Name, &o.ShortName, &o.Level, &o.Type, &o.Sector, &o.OperatorType,
		&o.RegionCode, &o.Liaison.Name, &o.Liaison.Title, &o.Liaison.Mobile, &o.DutyPhone, &o.Fax, &o.ReportEmail,
		&o.Address, &plans, &roles, &created, &updated, &o.Version, &supervisor)
	if err != nil {
		return nil, err
	}
	if err := tx.openOrgContacts(&o); err != nil {
		return nil, err
	}
	o.ParentID, o.SupervisorID = parent.Int64, supervisor.Int64
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	if err := unmarshalList(plans, &o.PlanIDs); err != nil {
		return nil, fmt.Errorf("store: org %d plan_ids: %w", o.ID, err)
	}
	if err := unmarshalList(roles, &o.PlanRoles); err != nil {
		return nil, fmt.Errorf("store: org %d plan_roles: %w", o.ID, err)
	}
	return &o, nil
}

func (tx *Tx) queryOrgs(ctx context.Context, query string, args ...any) ([]fenghuo.Org, error) {
	rows, err := tx.c.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list orgs: %w", err)
	}
	defer rows.Close()
	orgs := []fenghuo.Org{}
	for rows.Next() {
		o, err := tx.scanOrg(rows)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, *o)
	}
	return orgs, rows.Err()
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

// unmarshalList reads a JSON list column; an empty list reads as nil, which
// is what a caller that never set the field holds.
func unmarshalList[T any](text string, dst *[]T) error {
	var v []T
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return err
	}
	if len(v) == 0 {
		v = nil
	}
	*dst = v
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// orgContacts are o's personal fields (personal.go).
func orgContacts(o *fenghuo.Org) []personal {
	return []personal{{"liaison_mobile", &o.Liaison.Mobile}, {"duty_phone", &o.DutyPhone}, {"fax", &o.Fax},
		{"report_email", &o.ReportEmail}}
}

func (tx *Tx) setOrgContacts(ctx context.Context, o *fenghuo.Org) error {
	return tx.setPersonal(ctx, "orgs", o.ID, orgContacts(o)...)
}

func (tx *Tx) openOrgContacts(o *fenghuo.Org) error {
	return tx.openPersonal("orgs", o.ID, orgContacts(o)...)
}

// CreateOrg validates o and inserts it under o.ParentID (0 for a root),
// setting o's ID, Path, timestamps and Version.
func (db *DB) CreateOrg(ctx context.Context, o *fenghuo.Org) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.CreateOrg(ctx, o) })
}

// CreateOrg is DB.CreateOrg inside tx.
func (tx *Tx) CreateOrg(ctx context.Context, o *fenghuo.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if err := tx.c.d.lockOrgTree(ctx, tx.c); err != nil {
		return fmt.Errorf("store: create org: %w", err)
	}
	parentPath := "/"
	if o.ParentID != 0 {
		parent, err := tx.Org(ctx, o.ParentID)
		if err != nil {
			return err
		}
		parentPath = parent.Path
	}
	// The path needs the new ID, so insert a unique placeholder first.
	// The path needs the new ID, and so do the sealed contacts (bound to
	// the row): they are written once the row exists.
	err := tx.c.queryRow(ctx, `INSERT INTO orgs (parent_id, path, name, short_name, level, type, sector, operator_type,
		region_code, liaison_name, liaison_title, address, plan_ids,
		plan_roles, created_at, updated_at, version, supervisor_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id`,
		nullID(o.ParentID), "new:"+rand.Text(), o.Name, o.ShortName, o.Level, o.Type, o.Sector,
		o.OperatorType, o.RegionCode, o.Liaison.Name, o.Liaison.Title,
		o.Address, jsonText(o.PlanIDs), jsonText(o.PlanRoles), ms(tx.now), ms(tx.now), nullID(o.SupervisorID)).Scan(&o.ID)
	if err != nil {
		return fmt.Errorf("store: create org: %w", err)
	}
	o.Path = parentPath + strconv.FormatInt(o.ID, 10) + "/"
	if _, err := tx.c.exec(ctx, "UPDATE orgs SET path = ? WHERE id = ?", o.Path, o.ID); err != nil {
		return fmt.Errorf("store: create org: %w", err)
	}
	if err := tx.setOrgContacts(ctx, o); err != nil {
		return err
	}
	o.CreatedAt, o.UpdatedAt, o.Version = tx.now, tx.now, 1
	return nil
}

// Org returns the org with the given ID, or ENOTFOUND.
func (db *DB) Org(ctx context.Context, id int64) (*fenghuo.Org, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.Org, error) { return tx.Org(ctx, id) })
}

// Org is DB.Org inside tx.
func (tx *Tx) Org(ctx context.Context, id int64) (*fenghuo.Org, error) {
	if o, ok := tx.orgs.org(id); ok {
		return o, nil
	}
	o, err := tx.scanOrg(tx.c.queryRow(ctx, "SELECT "+orgColumns+" FROM orgs WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Org", id)
	} else if err != nil {
		return nil, fmt.Errorf("store: org %d: %w", id, err)
	}
	tx.orgs.keep(o)
	return o, nil
}

// orgMemo holds the orgs a read-only transaction has read, by ID, and the
// children of the parents it has listed.
type orgMemo struct {
	byID     map[int64]fenghuo.Org
	children map[int64][]fenghuo.Org
}

// MemoOrgs makes tx keep every org it reads (Org, ChildOrgs, OrgAncestors,
// EffectivePlans) and answer the same read again from memory, for a
// transaction that resolves the same offices again and again (the demo
// seeder grading every kind of incident at a province's 10,000 units; an
// incident's writes). Only for transactions that write no org: a write
// would not be seen. Each answer is a copy.
func (tx *Tx) MemoOrgs() {
	tx.orgs = &orgMemo{byID: map[int64]fenghuo.Org{}, children: map[int64][]fenghuo.Org{}}
}

func (m *orgMemo) org(id int64) (*fenghuo.Org, bool) {
	if m == nil {
		return nil, false
	}
	o, ok := m.byID[id]
	if !ok {
		return nil, false
	}
	c := cloneOrg(o)
	return &c, true
}

func (m *orgMemo) keep(o *fenghuo.Org) {
	if m != nil {
		m.byID[o.ID] = cloneOrg(*o)
	}
}

// cloneOrg copies o with its own slices.
func cloneOrg(o fenghuo.Org) fenghuo.Org {
	o.PlanIDs = slices.Clone(o.PlanIDs)
	o.PlanRoles = slices.Clone(o.PlanRoles)
	return o
}

func cloneOrgs(list []fenghuo.Org) []fenghuo.Org {
	out := make([]fenghuo.Org, len(list))
	for i := range list {
		out[i] = cloneOrg(list[i])
	}
	return out
}

// UpdateOrg writes o's fields (all but ParentID and Path: see MoveOrg) if the
// stored version is still o.Version; otherwise it fails with ECONFLICT.
// On success o.Version and o.UpdatedAt are the new ones.
func (db *DB) UpdateOrg(ctx context.Context, o *fenghuo.Org) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.UpdateOrg(ctx, o) })
}

// UpdateOrg is DB.UpdateOrg inside tx.
func (tx *Tx) UpdateOrg(ctx context.Context, o *fenghuo.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	res, err := tx.c.exec(ctx, `UPDATE orgs SET name = ?, short_name = ?, level = ?, type = ?, sector = ?,
		operator_type = ?, region_code = ?, liaison_name = ?, liaison_title = ?,
		address = ?, plan_ids = ?, plan_roles = ?, supervisor_id = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		o.Name, o.ShortName, o.Level, o.Type, o.Sector, o.OperatorType, o.RegionCode, o.Liaison.Name,
		o.Liaison.Title, o.Address, jsonText(o.PlanIDs),
		jsonText(o.PlanRoles), nullID(o.SupervisorID), ms(tx.now), o.ID, o.Version)
	if err != nil {
		return fmt.Errorf("store: update org %d: %w", o.ID, err)
	}
	if err := tx.checkVersioned(ctx, res, "orgs", "Org", o.ID); err != nil {
		return err
	}
	if err := tx.setOrgContacts(ctx, o); err != nil {
		return err
	}
	o.Version++
	o.UpdatedAt = tx.now
	return nil
}

// checkVersioned turns an optimistic UPDATE that matched no row into
// ENOTFOUND (no such row) or ECONFLICT (someone else changed it first).
// table comes from the caller's constant, never from input.
func (tx *Tx) checkVersioned(ctx context.Context, res sql.Result, table, what string, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s %d: %w", table, id, err)
	}
	if n == 1 {
		return nil
	}
	var exists int
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM "+table+" WHERE id = ?", id).Scan(&exists); err != nil {
		return fmt.Errorf("store: %s %d: %w", table, id, err)
	}
	if exists == 0 {
		return notFound(what, id)
	}
	return fenghuo.Errorf(fenghuo.ECONFLICT, "%s %d was changed by someone else since you loaded it: reload and try again. / 数据已被他人修改，请刷新后重试。", what, id)
}

// MoveOrg puts org id (at version) under newParentID (0: make it a root) and
// rewrites the paths of its whole subtree. An org cannot move into its own
// subtree.
func (db *DB) MoveOrg(ctx context.Context, id, newParentID int64, version int) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.MoveOrg(ctx, id, newParentID, version) })
}

// MoveOrg is DB.MoveOrg inside tx.
func (tx *Tx) MoveOrg(ctx context.Context, id, newParentID int64, version int) error {
	if err := tx.c.d.lockOrgTree(ctx, tx.c); err != nil {
		return fmt.Errorf("store: move org %d: %w", id, err)
	}
	res, err := tx.c.exec(ctx, "UPDATE orgs SET updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
		ms(tx.now), id, version)
	if err != nil {
		return fmt.Errorf("store: move org %d: %w", id, err)
	}
	if err := tx.checkVersioned(ctx, res, "orgs", "Org", id); err != nil {
		return err
	}
	o, err := tx.Org(ctx, id)
	if err != nil {
		return err
	}
	newPath := "/" + strconv.FormatInt(id, 10) + "/"
	if newParentID != 0 {
		parent, err := tx.Org(ctx, newParentID)
		if err != nil {
			return err
		}
		if fenghuo.InSubtree(o.Path, parent.Path) {
			return fenghuo.FieldErrorf("parent_id", "%s cannot move under %s, which lies inside its own subtree. / 不能移动到自己的下级机构之下。", o.Name, parent.Name)
		}
		newPath = parent.Path + strconv.FormatInt(id, 10) + "/"
	}
	if _, err := tx.c.exec(ctx, "UPDATE orgs SET parent_id = ? WHERE id = ?", nullID(newParentID), id); err != nil {
		return fmt.Errorf("store: move org %d: %w", id, err)
	}
	// The incidents the moved subtree sees change viewers above it.
	var affected []int64
	rows, err := tx.c.query(ctx, "SELECT incident_id FROM incident_scope WHERE org_id = ?", id)
	if err != nil {
		return fmt.Errorf("store: move org %d: %w", id, err)
	}
	for rows.Next() {
		var iid int64
		if err := rows.Scan(&iid); err != nil {
			rows.Close()
			return err
		}
		affected = append(affected, iid)
	}
	rows.Close()
	// Every path in the subtree starts with the old path; swap that prefix.
	_, err = tx.c.exec(ctx, `UPDATE orgs SET path = CAST(? AS TEXT) || substr(path, CAST(? AS INTEGER)), updated_at = ?
		WHERE path LIKE ?`, newPath, len(o.Path)+1, ms(tx.now), o.Path+"%")
	if err != nil {
		return fmt.Errorf("store: move org %d: %w", id, err)
	}
	if err := tx.rescopeFindingsUnder(ctx, id); err != nil { // findings ledger (P1)
		return err
	}
	if err := tx.rescopeAlertGroupsUnder(ctx, id); err != nil { // alert groups (issue 14)
		return err
	}
	return tx.rebuildScope(ctx, affected)
}

// DeleteOrg removes an org that has no children, users or systems.
func (db *DB) DeleteOrg(ctx context.Context, id int64, version int) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.DeleteOrg(ctx, id, version) })
}

// DeleteOrg is DB.DeleteOrg inside tx.
func (tx *Tx) DeleteOrg(ctx context.Context, id int64, version int) error {
	for _, dep := range []struct{ table, zh, en string }{
		{"orgs WHERE parent_id = ?", "下级机构", "child orgs"},
		{"users WHERE org_id = ?", "用户", "users"},
		{"systems WHERE org_id = ?", "系统", "systems"},
	} {
		var n int
		if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM "+dep.table, id).Scan(&n); err != nil {
			return fmt.Errorf("store: delete org %d: %w", id, err)
		}
		if n > 0 {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "Org %d still has %d %s: move or delete them first. / 该机构仍有%d个%s。", id, n, dep.en, n, dep.zh)
		}
	}
	res, err := tx.c.exec(ctx, "DELETE FROM orgs WHERE id = ? AND version = ?", id, version)
	if err != nil {
		return fmt.Errorf("store: delete org %d: %w", id, err)
	}
	return tx.checkVersioned(ctx, res, "orgs", "Org", id)
}

// CountOrgs returns how many orgs there are.
func (db *DB) CountOrgs(ctx context.Context) (int, error) {
	return view(ctx, db, func(tx *Tx) (int, error) { return tx.CountOrgs(ctx) })
}

// CountOrgs is DB.CountOrgs inside tx.
func (tx *Tx) CountOrgs(ctx context.Context) (int, error) {
	var n int
	err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM orgs").Scan(&n)
	return n, err
}

// ChildOrgs lists the direct children of parentID (0: the roots) by name.
func (db *DB) ChildOrgs(ctx context.Context, parentID int64) ([]fenghuo.Org, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Org, error) { return tx.ChildOrgs(ctx, parentID) })
}

// ChildOrgs is DB.ChildOrgs inside tx.
func (tx *Tx) ChildOrgs(ctx context.Context, parentID int64) ([]fenghuo.Org, error) {
	if tx.orgs != nil {
		if list, ok := tx.orgs.children[parentID]; ok {
			return cloneOrgs(list), nil
		}
	}
	var list []fenghuo.Org
	var err error
	if parentID == 0 {
		list, err = tx.queryOrgs(ctx, "SELECT "+orgColumns+" FROM orgs WHERE parent_id IS NULL ORDER BY name, id")
	} else {
		list, err = tx.queryOrgs(ctx, "SELECT "+orgColumns+" FROM orgs WHERE parent_id = ? ORDER BY name, id", parentID)
	}
	if err == nil && tx.orgs != nil {
		tx.orgs.children[parentID] = cloneOrgs(list)
	}
	return list, err
}

// OrgFilter narrows SubtreeOrgs.
type OrgFilter struct {
	// Query matches name or short name, case-insensitively, anywhere; a
	// phone number or an e-mail address matches the liaison's mobile or the
	// report mailbox exactly (by digest).
	Query string
	Type  fenghuo.OrgType
	Level fenghuo.OrgLevel
}

// SubtreeOrgs lists rootID and every org below it (rootID 0: every org),
// matching f, ordered by path depth then name.
func (db *DB) SubtreeOrgs(ctx context.Context, rootID int64, f OrgFilter, p Page) (ListResult[fenghuo.Org], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.Org], error) { return tx.SubtreeOrgs(ctx, rootID, f, p) })
}

// SubtreeOrgs is DB.SubtreeOrgs inside tx.
func (tx *Tx) SubtreeOrgs(ctx context.Context, rootID int64, f OrgFilter, p Page) (ListResult[fenghuo.Org], error) {
	var res ListResult[fenghuo.Org]
	var where []string
	var args []any
	if rootID != 0 {
		root, err := tx.Org(ctx, rootID)
		if err != nil {
			return res, err
		}
		where, args = append(where, "path LIKE ?"), append(args, root.Path+"%")
	}
	if f.Query != "" {
		q := "%" + likeEscape(strings.ToLower(f.Query)) + "%"
		cond := `lower(name) LIKE ? ESCAPE '\' OR lower(short_name) LIKE ? ESCAPE '\'`
		args = append(args, q, q)
		if kind, ok := searchKind(f.Query); ok {
			// A mobile or an e-mail address finds the org whose liaison or
			// report mailbox it is, by digest: the columns are sealed.
			col := "liaison_mobile_digest"
			if kind == pii.Email {
				col = "report_email_digest"
			}
			dc, arg := tx.digestMatch(col, kind, f.Query)
			cond, args = cond+" OR "+dc, append(args, arg...)
		}
		where = append(where, "("+cond+")")
	}
	if f.Type != "" {
		where, args = append(where, "type = ?"), append(args, f.Type)
	}
	if f.Level != "" {
		where, args = append(where, "level = ?"), append(args, f.Level)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM orgs"+cond, args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("store: count orgs: %w", err)
	}
	p = p.norm()
	items, err := tx.queryOrgs(ctx, "SELECT "+orgColumns+" FROM orgs"+cond+" ORDER BY length(path), name, id LIMIT ? OFFSET ?",
		append(args, p.Limit, p.Offset)...)
	res.Items = items
	return res, err
}

// AllSubtreeOrgs lists every org under rootID (rootID itself included;
// every org when 0) in one read, in SubtreeOrgs' order. It has no count
// and no offset: paging SubtreeOrgs through a subtree stops at MaxOffset,
// where a province's 11,000 orgs would read the same last page forever.
func (tx *Tx) AllSubtreeOrgs(ctx context.Context, rootID int64) ([]fenghuo.Org, error) {
	if rootID == 0 {
		return tx.queryOrgs(ctx, "SELECT "+orgColumns+" FROM orgs ORDER BY length(path), name, id")
	}
	root, err := tx.Org(ctx, rootID)
	if err != nil {
		return nil, err
	}
	return tx.queryOrgs(ctx, "SELECT "+orgColumns+" FROM orgs WHERE path LIKE ? ORDER BY length(path), name, id", root.Path+"%")
}

// OrgNode is an org as a tree draws it: no contacts to open, no plans.
type OrgNode struct {
	ID, ParentID int64
	Name         string
	Level        fenghuo.OrgLevel
}

// SubtreeNodes lists the orgs whose path starts with path (the org of the
// path included), as tree nodes, in one read.
func (db *DB) SubtreeNodes(ctx context.Context, path string) ([]OrgNode, error) {
	return view(ctx, db, func(tx *Tx) ([]OrgNode, error) {
		rows, err := tx.c.query(ctx, "SELECT id, parent_id, name, level FROM orgs WHERE path LIKE ?", path+"%")
		if err != nil {
			return nil, fmt.Errorf("store: subtree nodes: %w", err)
		}
		defer rows.Close()
		out := []OrgNode{}
		for rows.Next() {
			var n OrgNode
			var parent sql.NullInt64
			if err := rows.Scan(&n.ID, &parent, &n.Name, &n.Level); err != nil {
				return nil, err
			}
			n.ParentID = parent.Int64
			out = append(out, n)
		}
		return out, rows.Err()
	})
}

// OrgAncestors returns the orgs above id, the root first; empty for a root.
func (db *DB) OrgAncestors(ctx context.Context, id int64) ([]fenghuo.Org, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Org, error) { return tx.OrgAncestors(ctx, id) })
}

// OrgAncestors is DB.OrgAncestors inside tx.
func (tx *Tx) OrgAncestors(ctx context.Context, id int64) ([]fenghuo.Org, error) {
	o, err := tx.Org(ctx, id)
	if err != nil {
		return nil, err
	}
	ids := o.PathIDs()
	ids = ids[:len(ids)-1]
	if len(ids) == 0 {
		return []fenghuo.Org{}, nil
	}
	if tx.orgs != nil {
		var orgs []fenghuo.Org
		for _, id := range ids {
			if a, ok := tx.orgs.org(id); ok {
				orgs = append(orgs, *a)
			}
		}
		if len(orgs) == len(ids) {
			return orgs, nil // in path order: the root first
		}
	}
	args := make([]any, len(ids))
	for i, v := range ids {
		args[i] = v
	}
	orgs, err := tx.queryOrgs(ctx, "SELECT "+orgColumns+" FROM orgs WHERE id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	sort.Slice(orgs, func(i, j int) bool { return len(orgs[i].Path) < len(orgs[j].Path) })
	for i := range orgs {
		tx.orgs.keep(&orgs[i])
	}
	return orgs, nil
}

// EffectivePlans returns the plans that govern org id: its own PlanIDs, or
// else the nearest ancestor's that has any. from is the org they were set on
// (0 and no plans when no org on the way up names one).
func (db *DB) EffectivePlans(ctx context.Context, id int64) (plans []string, from int64, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		plans, from, err = tx.EffectivePlans(ctx, id)
		return err
	})
	return plans, from, err
}

// EffectivePlans is DB.EffectivePlans inside tx.
func (tx *Tx) EffectivePlans(ctx context.Context, id int64) ([]string, int64, error) {
	o, err := tx.Org(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if len(o.PlanIDs) > 0 {
		return o.PlanIDs, o.ID, nil
	}
	ancestors, err := tx.OrgAncestors(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	for i := len(ancestors) - 1; i >= 0; i-- {
		if len(ancestors[i].PlanIDs) > 0 {
			return ancestors[i].PlanIDs, ancestors[i].ID, nil
		}
	}
	return []string{}, 0, nil
}

// OrgsByID returns the orgs with the given ids, by id, in one query (a
// board or a target list names hundreds of units).
func (db *DB) OrgsByID(ctx context.Context, ids []int64) (map[int64]fenghuo.Org, error) {
	return view(ctx, db, func(tx *Tx) (map[int64]fenghuo.Org, error) { return tx.OrgsByID(ctx, ids) })
}

// OrgsByID is DB.OrgsByID inside tx.
func (tx *Tx) OrgsByID(ctx context.Context, ids []int64) (map[int64]fenghuo.Org, error) {
	out := make(map[int64]fenghuo.Org, len(ids))
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(start+500, len(ids))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		orgs, err := tx.queryOrgs(ctx, "SELECT "+orgColumns+" FROM orgs WHERE id IN ("+placeholders(len(batch))+")", args...)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			out[o.ID] = o
		}
	}
	return out, nil
}
