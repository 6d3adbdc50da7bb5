package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"fenghuo/internal/fenghuo"
)

// Systems keep their exposure and components in child tables, so that a
// risk notice about a component can find every system that runs it.

const systemColumns = `s.id, s.org_id, s.name, s.department, s.responsible_person, s.responsible_phone,
	s.protection_level, s.cii, s.key_kinds, s.description, s.status, s.created_at, s.updated_at, s.version`

func (tx *Tx) scanSystem(sc scanner) (*fenghuo.System, error) {
	var s fenghuo.System
	var kinds string
	var created, updated int64
	err := sc.Scan(&s.ID, &s.OrgID, &s.Name, &s.Department, &s.ResponsiblePerson, &s.ResponsiblePhone,
		&s.ProtectionLevel, &s.CII, &kinds, &s.Description, &s.Status, &created, &updated, &s.Version)
	if err != nil {
		return nil, err
	}
	if err := tx.openPersonal("systems", s.ID, personal{"responsible_phone", &s.ResponsiblePhone}); err != nil {
		return nil, err
	}
	s.CreatedAt, s.UpdatedAt = fromMS(created), fromMS(updated)
	if err := unmarshalList(kinds, &s.KeyKinds); err != nil {
		return nil, fmt.Errorf("store: system %d key_kinds: %w", s.ID, err)
	}
	return &s, nil
}

// CreateSystem validates s and inserts it with its exposure and components,
// setting ID, timestamps and Version.
func (db *DB) CreateSystem(ctx context.Context, s *fenghuo.System) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.CreateSystem(ctx, s) })
}

// CreateSystem is DB.CreateSystem inside tx.
func (tx *Tx) CreateSystem(ctx context.Context, s *fenghuo.System) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := NormaliseComponents(s); err != nil {
		return err
	}
	if _, err := tx.Org(ctx, s.OrgID); err != nil {
		return err
	}
	err := tx.c.queryRow(ctx, `INSERT INTO systems (org_id, name, department, responsible_person,
		protection_level, cii, key_kinds, description, status, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		s.OrgID, s.Name, s.Department, s.ResponsiblePerson, s.ProtectionLevel, b2i(s.CII),
		jsonText(s.KeyKinds), s.Description, s.Status, ms(tx.now), ms(tx.now)).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("store: create system: %w", err)
	}
	// Sealed once the row exists: the seal is bound to its id.
	if err := tx.setPersonal(ctx, "systems", s.ID, personal{"responsible_phone", &s.ResponsiblePhone}); err != nil {
		return err
	}
	s.CreatedAt, s.UpdatedAt, s.Version = tx.now, tx.now, 1
	return tx.writeSystemChildren(ctx, s)
}

func (tx *Tx) writeSystemChildren(ctx context.Context, s *fenghuo.System) error {
	for _, table := range []string{"system_exposures", "system_components"} {
		if _, err := tx.c.exec(ctx, "DELETE FROM "+table+" WHERE system_id = ?", s.ID); err != nil {
			return fmt.Errorf("store: system %d: %w", s.ID, err)
		}
	}
	for i, e := range s.Exposure {
		if _, err := tx.c.exec(ctx, "INSERT INTO system_exposures (system_id, position, kind, value, note) VALUES (?, ?, ?, ?, ?)",
			s.ID, i, e.Kind, e.Value, e.Note); err != nil {
			return fmt.Errorf("store: system %d exposure: %w", s.ID, err)
		}
	}
	for i, c := range s.Components {
		if _, err := tx.c.exec(ctx, `INSERT INTO system_components (system_id, position, name, name_key, version, vendor)
			VALUES (?, ?, ?, ?, ?, ?)`, s.ID, i, c.Name, strings.ToLower(c.Name), c.Version, c.Vendor); err != nil {
			return fmt.Errorf("store: system %d component: %w", s.ID, err)
		}
	}
	return nil
}

// loadSystemChildren fills Exposure and Components of the given systems.
func (tx *Tx) loadSystemChildren(ctx context.Context, systems []*fenghuo.System) error {
	if len(systems) == 0 {
		return nil
	}
	byID := map[int64]*fenghuo.System{}
	args := make([]any, len(systems))
	for i, s := range systems {
		byID[s.ID] = s
		args[i] = s.ID
	}
	in := "(" + placeholders(len(args)) + ")"
	rows, err := tx.c.query(ctx, "SELECT system_id, kind, value, note FROM system_exposures WHERE system_id IN "+in+" ORDER BY system_id, position", args...)
	if err != nil {
		return fmt.Errorf("store: system exposure: %w", err)
	}
	for rows.Next() {
		var id int64
		var e fenghuo.Exposure
		if err := rows.Scan(&id, &e.Kind, &e.Value, &e.Note); err != nil {
			rows.Close()
			return err
		}
		byID[id].Exposure = append(byID[id].Exposure, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.c.query(ctx, "SELECT system_id, name, version, vendor FROM system_components WHERE system_id IN "+in+" ORDER BY system_id, position", args...)
	if err != nil {
		return fmt.Errorf("store: system components: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c fenghuo.Component
		if err := rows.Scan(&id, &c.Name, &c.Version, &c.Vendor); err != nil {
			return err
		}
		byID[id].Components = append(byID[id].Components, c)
	}
	return rows.Err()
}

// System returns the system with the given ID, with exposure and components.
func (db *DB) System(ctx context.Context, id int64) (*fenghuo.System, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.System, error) { return tx.System(ctx, id) })
}

// System is DB.System inside tx.
func (tx *Tx) System(ctx context.Context, id int64) (*fenghuo.System, error) {
	s, err := tx.scanSystem(tx.c.queryRow(ctx, "SELECT "+systemColumns+" FROM systems s WHERE s.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("System", id)
	} else if err != nil {
		return nil, fmt.Errorf("store: system %d: %w", id, err)
	}
	return s, tx.loadSystemChildren(ctx, []*fenghuo.System{s})
}

// UpdateSystem writes s, replacing its exposure and components, if the
// stored version is still s.Version; otherwise ECONFLICT. Moving a system
// to another unit is changing OrgID.
func (db *DB) UpdateSystem(ctx context.Context, s *fenghuo.System) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.UpdateSystem(ctx, s) })
}

// UpdateSystem is DB.UpdateSystem inside tx.
func (tx *Tx) UpdateSystem(ctx context.Context, s *fenghuo.System) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := NormaliseComponents(s); err != nil {
		return err
	}
	res, err := tx.c.exec(ctx, `UPDATE systems SET org_id = ?, name = ?, department = ?, responsible_person = ?,
		protection_level = ?, cii = ?, key_kinds = ?, description = ?, status = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		s.OrgID, s.Name, s.Department, s.ResponsiblePerson, s.ProtectionLevel, b2i(s.CII),
		jsonText(s.KeyKinds), s.Description, s.Status, ms(tx.now), s.ID, s.Version)
	if err != nil {
		return fmt.Errorf("store: update system %d: %w", s.ID, err)
	}
	if err := tx.checkVersioned(ctx, res, "systems", "System", s.ID); err != nil {
		return err
	}
	if err := tx.setPersonal(ctx, "systems", s.ID, personal{"responsible_phone", &s.ResponsiblePhone}); err != nil {
		return err
	}
	s.Version++
	s.UpdatedAt = tx.now
	return tx.writeSystemChildren(ctx, s)
}

// DeleteSystem removes a system (at version) with its exposure and components.
func (db *DB) DeleteSystem(ctx context.Context, id int64, version int) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.DeleteSystem(ctx, id, version) })
}

// DeleteSystem is DB.DeleteSystem inside tx.
func (tx *Tx) DeleteSystem(ctx context.Context, id int64, version int) error {
	res, err := tx.c.exec(ctx, "DELETE FROM systems WHERE id = ? AND version = ?", id, version)
	if err != nil {
		return fmt.Errorf("store: delete system %d: %w", id, err)
	}
	return tx.checkVersioned(ctx, res, "systems", "System", id)
}

// SystemFilter narrows SubtreeSystems. Zero fields do not filter.
type SystemFilter struct {
	// OrgID keeps the systems owned by exactly that org (within the subtree).
	OrgID int64
	// Query matches the name, department or responsible person,
	// case-insensitively, or an exposure value exactly (a domain, URL or IP).
	Query    string
	Status   string
	KeyKind  fenghuo.KeyKind
	CIIOnly  bool
	MinLevel int
	// Component matches a component name, case-insensitively, anywhere.
	Component string
}

// SubtreeSystems lists the systems of orgID's subtree (0: all) matching f,
// by name, with exposure and components.
func (db *DB) SubtreeSystems(ctx context.Context, orgID int64, f SystemFilter, p Page) (ListResult[fenghuo.System], error) {
	return view(ctx, db, func(tx *Tx) (ListResult[fenghuo.System], error) { return tx.SubtreeSystems(ctx, orgID, f, p) })
}

// SubtreeSystems is DB.SubtreeSystems inside tx.
func (tx *Tx) SubtreeSystems(ctx context.Context, orgID int64, f SystemFilter, p Page) (ListResult[fenghuo.System], error) {
	var res ListResult[fenghuo.System]
	from, args, err := tx.systemsFrom(ctx, orgID, f)
	if err != nil {
		return res, err
	}
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*)"+from, args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("store: count systems: %w", err)
	}
	p = p.norm()
	rows, err := tx.c.query(ctx, "SELECT "+systemColumns+from+" ORDER BY s.name, s.id LIMIT ? OFFSET ?", append(args, p.Limit, p.Offset)...)
	if err != nil {
		return res, fmt.Errorf("store: list systems: %w", err)
	}
	var list []*fenghuo.System
	for rows.Next() {
		s, err := tx.scanSystem(rows)
		if err != nil {
			rows.Close()
			return res, err
		}
		list = append(list, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	if err := tx.loadSystemChildren(ctx, list); err != nil {
		return res, err
	}
	res.Items = make([]fenghuo.System, len(list))
	for i, s := range list {
		res.Items[i] = *s
	}
	return res, nil
}

// CountSubtreeSystems counts the systems SubtreeSystems lists, reading
// none: the dashboard's figure, where a page of one system would still sort
// a province's 50,000 by name.
func (db *DB) CountSubtreeSystems(ctx context.Context, orgID int64, f SystemFilter) (int, error) {
	return view(ctx, db, func(tx *Tx) (int, error) {
		from, args, err := tx.systemsFrom(ctx, orgID, f)
		if err != nil {
			return 0, err
		}
		var n int
		if err := tx.c.queryRow(ctx, "SELECT COUNT(*)"+from, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("store: count systems: %w", err)
		}
		return n, nil
	})
}

// systemsFrom is the FROM and WHERE of SubtreeSystems with their arguments.
func (tx *Tx) systemsFrom(ctx context.Context, orgID int64, f SystemFilter) (string, []any, error) {
	where := []string{"1 = 1"}
	var args []any
	if orgID != 0 {
		root, err := tx.Org(ctx, orgID)
		if err != nil {
			return "", nil, err
		}
		where, args = append(where, "o.path LIKE ?"), append(args, root.Path+"%")
	}
	if f.Query != "" {
		q := "%" + likeEscape(strings.ToLower(f.Query)) + "%"
		where = append(where, `(lower(s.name) LIKE ? ESCAPE '\' OR lower(s.department) LIKE ? ESCAPE '\'
			OR lower(s.responsible_person) LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM system_exposures x WHERE x.system_id = s.id AND x.value = ?))`)
		args = append(args, q, q, q, strings.TrimSpace(f.Query))
	}
	if f.OrgID != 0 {
		where, args = append(where, "s.org_id = ?"), append(args, f.OrgID)
	}
	if f.Status != "" {
		where, args = append(where, "s.status = ?"), append(args, f.Status)
	}
	if f.KeyKind != "" {
		if !f.KeyKind.Valid() {
			return "", nil, fenghuo.FieldErrorf("key_kind", "Key-system kind %q is unknown.", f.KeyKind)
		}
		// Kinds are a closed set of identifiers, so the JSON text can be matched.
		where, args = append(where, "s.key_kinds LIKE ?"), append(args, `%"`+string(f.KeyKind)+`"%`)
	}
	if f.CIIOnly {
		where = append(where, "s.cii = 1")
	}
	if f.MinLevel > 0 {
		where, args = append(where, "s.protection_level >= ?"), append(args, f.MinLevel)
	}
	if f.Component != "" {
		where = append(where, `EXISTS (SELECT 1 FROM system_components c WHERE c.system_id = s.id AND c.name_key LIKE ? ESCAPE '\')`)
		args = append(args, "%"+likeEscape(strings.ToLower(f.Component))+"%")
	}
	return " FROM systems s JOIN orgs o ON o.id = s.org_id WHERE " + strings.Join(where, " AND "), args, nil
}

// ComponentMatch is one component of one system found by SystemsByComponent.
type ComponentMatch struct {
	SystemID   int64
	SystemName string
	OrgID      int64
	Component  fenghuo.Component
}

// SystemsByComponent finds the active systems in orgID's subtree (0: all)
// running a component whose name contains name, ignoring case ("weblogic"
// finds "Oracle WebLogic Server"). version, when not empty, keeps the
// components whose version equals it or starts with it followed by "." or
// "-" ("12.1" matches "12.1.3"). Versions are stored as the unit wrote
// them; range checks ("< 2.5.13") are the caller's to make on the result.
func (db *DB) SystemsByComponent(ctx context.Context, orgID int64, name, version string) ([]ComponentMatch, error) {
	return view(ctx, db, func(tx *Tx) ([]ComponentMatch, error) { return tx.SystemsByComponent(ctx, orgID, name, version) })
}

// SystemsByComponent is DB.SystemsByComponent inside tx.
func (tx *Tx) SystemsByComponent(ctx context.Context, orgID int64, name, version string) ([]ComponentMatch, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, fenghuo.FieldErrorf("name", "Give a component name to look for, e.g. weblogic. / 请填写组件名称。")
	}
	where := []string{`c.name_key LIKE ? ESCAPE '\'`, "s.status = ?"}
	args := []any{"%" + likeEscape(strings.ToLower(name)) + "%", fenghuo.SystemActive}
	if orgID != 0 {
		root, err := tx.Org(ctx, orgID)
		if err != nil {
			return nil, err
		}
		where, args = append(where, "o.path LIKE ?"), append(args, root.Path+"%")
	}
	if version = strings.TrimSpace(version); version != "" {
		v := likeEscape(version)
		where = append(where, `(c.version = ? OR c.version LIKE ? ESCAPE '\' OR c.version LIKE ? ESCAPE '\')`)
		args = append(args, version, v+".%", v+"-%")
	}
	rows, err := tx.c.query(ctx, `SELECT s.id, s.name, s.org_id, c.name, c.version, c.vendor
		FROM system_components c JOIN systems s ON s.id = c.system_id JOIN orgs o ON o.id = s.org_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY s.id, c.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: systems by component: %w", err)
	}
	defer rows.Close()
	list := []ComponentMatch{}
	for rows.Next() {
		var m ComponentMatch
		if err := rows.Scan(&m.SystemID, &m.SystemName, &m.OrgID, &m.Component.Name, &m.Component.Version, &m.Component.Vendor); err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, rows.Err()
}
