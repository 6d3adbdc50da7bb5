package store

import (
	"cmp"
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"fenghuo/internal/fenghuo"
)

// Plan versions and reporting-honesty signals (0011_plans_signals.sql).

const planVersionColumns = "id, plan_id, version, yaml, sm3, uploaded_by, uploaded_at, state, note"

func scanPlanVersion(sc scanner) (*fenghuo.PlanVersion, error) {
	var v fenghuo.PlanVersion
	var at int64
	if err := sc.Scan(&v.ID, &v.PlanID, &v.Version, &v.YAML, &v.SM3, &v.UploadedBy, &at, &v.State, &v.Note); err != nil {
		return nil, err
	}
	v.UploadedAt = fromMS(at)
	return &v, nil
}

// PlanDigest is the hex SM3 digest of a plan's YAML text, as stored.
func PlanDigest(yaml string) string {
	sum := sm3.Sum([]byte(yaml))
	return hex.EncodeToString(sum[:])
}

// CreatePlanVersion stores v.YAML (validated by the caller) as the next
// version of v.PlanID and makes it the active one, superseding the version
// active before, in one transaction: Version, SM3, State and UploadedAt are
// set here. Two uploads of one plan at once: the second fails with
// ECONFLICT (unique plan and version, one active version per plan), never
// two active versions.
func (tx *Tx) CreatePlanVersion(ctx context.Context, v *fenghuo.PlanVersion) error {
	if v.PlanID == "" {
		return fenghuo.FieldErrorf("plan_id", "The plan has no id. / 预案缺少编号。")
	}
	if v.YAML == "" {
		return fenghuo.FieldErrorf("yaml", "The plan text is empty. / 预案内容为空。")
	}
	var latest int
	if err := tx.c.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM plan_versions WHERE plan_id = ?", v.PlanID).Scan(&latest); err != nil {
		return fmt.Errorf("store: plan versions: %w", err)
	}
	if _, err := tx.c.exec(ctx, "UPDATE plan_versions SET state = 'superseded' WHERE plan_id = ? AND state = 'active'", v.PlanID); err != nil {
		return fmt.Errorf("store: supersede plan version: %w", err)
	}
	v.Version, v.SM3, v.State, v.UploadedAt = latest+1, PlanDigest(v.YAML), fenghuo.PlanVersionActive, tx.now
	return tx.c.queryRow(ctx, `INSERT INTO plan_versions (plan_id, version, yaml, sm3, uploaded_by, uploaded_at, state, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.PlanID, v.Version, v.YAML, v.SM3, v.UploadedBy, ms(tx.now), v.State,
		v.Note).Scan(&v.ID)
}

// CurrentPlanVersion returns the active version of a plan, or ENOTFOUND
// (the plan was never uploaded in the product: the built-in text applies).
func (db *DB) CurrentPlanVersion(ctx context.Context, planID string) (*fenghuo.PlanVersion, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.PlanVersion, error) { return tx.CurrentPlanVersion(ctx, planID) })
}

// CurrentPlanVersion is DB.CurrentPlanVersion inside tx.
func (tx *Tx) CurrentPlanVersion(ctx context.Context, planID string) (*fenghuo.PlanVersion, error) {
	v, err := scanPlanVersion(tx.c.queryRow(ctx, "SELECT "+planVersionColumns+" FROM plan_versions WHERE plan_id = ? AND state = 'active'", planID))
	if err != nil {
		return nil, notFoundOr(err, "Current version of plan", planID)
	}
	return v, nil
}

// CurrentPlanVersions returns the active version of every plan uploaded in
// the product, by plan id (the server loads them at start over the
// built-in plans).
func (db *DB) CurrentPlanVersions(ctx context.Context) ([]fenghuo.PlanVersion, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.PlanVersion, error) {
		return tx.queryPlanVersions(ctx, "SELECT "+planVersionColumns+" FROM plan_versions WHERE state = 'active' ORDER BY plan_id")
	})
}

// PlanVersion returns one version of a plan (the one an incident was
// graded with), or ENOTFOUND.
func (db *DB) PlanVersion(ctx context.Context, planID string, version int) (*fenghuo.PlanVersion, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.PlanVersion, error) {
		v, err := scanPlanVersion(tx.c.queryRow(ctx, "SELECT "+planVersionColumns+" FROM plan_versions WHERE plan_id = ? AND version = ?",
			planID, version))
		if err != nil {
			return nil, notFoundOr(err, "Plan "+planID+" version", version)
		}
		return v, nil
	})
}

// PlanVersions lists a plan's versions, newest first, without their YAML
// text (read one with PlanVersion).
func (db *DB) PlanVersions(ctx context.Context, planID string) ([]fenghuo.PlanVersion, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.PlanVersion, error) {
		return tx.queryPlanVersions(ctx, `SELECT id, plan_id, version, '', sm3, uploaded_by, uploaded_at, state, note
			FROM plan_versions WHERE plan_id = ? ORDER BY version DESC`, planID)
	})
}

// PlanVersionsStamp is a cheap fingerprint of the plan_versions table:
// its highest id, one read of the primary key's end. Every upload adds a
// row, so a replica that sees another stamp than the one it loaded
// reloads the active versions (CurrentPlanVersions).
func (db *DB) PlanVersionsStamp(ctx context.Context) (string, error) {
	return view(ctx, db, func(tx *Tx) (string, error) {
		var maxID int64
		if err := tx.c.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM plan_versions").Scan(&maxID); err != nil {
			return "", fmt.Errorf("store: plan versions stamp: %w", err)
		}
		return strconv.FormatInt(maxID, 10), nil
	})
}

// PlanVersionCount is the number of stored versions of a plan.
func (tx *Tx) PlanVersionCount(ctx context.Context, planID string) (int, error) {
	var n int
	if err := tx.c.queryRow(ctx, "SELECT COUNT(*) FROM plan_versions WHERE plan_id = ?", planID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: plan versions: %w", err)
	}
	return n, nil
}

func (tx *Tx) queryPlanVersions(ctx context.Context, q string, args ...any) ([]fenghuo.PlanVersion, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.PlanVersion{}
	for rows.Next() {
		v, err := scanPlanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// MarkConcealment marks an incident as a suspected concealment (瞒报) by
// its unit; MarkedAt is the transaction's time. An incident is marked once
// (ECONFLICT after).
func (tx *Tx) MarkConcealment(ctx context.Context, m *fenghuo.ConcealmentMark) error {
	if m.Reason == "" {
		return fenghuo.FieldErrorf("reason", "Say why concealment is suspected. / 请说明疑似瞒报的理由。")
	}
	m.MarkedAt = tx.now
	_, err := tx.c.exec(ctx, `INSERT INTO incident_concealment (incident_id, unit_org_id, reason, marked_at, marked_by)
		VALUES (?, ?, ?, ?, ?)`, m.IncidentID, m.UnitOrgID, m.Reason, ms(tx.now), m.MarkedBy)
	if fenghuo.ErrorCode(err) == fenghuo.ECONFLICT {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "The incident is already marked as a suspected concealment. / 该事件已标记为疑似瞒报。")
	}
	return err
}

// ClearConcealment removes an incident's mark (the unit proved it
// reported in time).
func (tx *Tx) ClearConcealment(ctx context.Context, incidentID int64) error {
	res, err := tx.c.exec(ctx, "DELETE FROM incident_concealment WHERE incident_id = ?", incidentID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Concealment mark of incident", incidentID)
	}
	return nil
}

// Concealment returns an incident's mark, or ENOTFOUND when it has none.
func (db *DB) Concealment(ctx context.Context, incidentID int64) (*fenghuo.ConcealmentMark, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.ConcealmentMark, error) { return tx.ConcealmentOf(ctx, incidentID) })
}

// ConcealmentOf is DB.Concealment inside tx (check before MarkConcealment:
// on PostgreSQL a refused insert ends the transaction).
func (tx *Tx) ConcealmentOf(ctx context.Context, incidentID int64) (*fenghuo.ConcealmentMark, error) {
	var m fenghuo.ConcealmentMark
	var at int64
	err := tx.c.queryRow(ctx, "SELECT incident_id, unit_org_id, reason, marked_at, marked_by FROM incident_concealment WHERE incident_id = ?",
		incidentID).Scan(&m.IncidentID, &m.UnitOrgID, &m.Reason, &at, &m.MarkedBy)
	if err != nil {
		return nil, notFoundOr(err, "Concealment mark of incident", incidentID)
	}
	m.MarkedAt = fromMS(at)
	return &m, nil
}

// ReportingSignalsOf counts, per unit in the subtree of orgPath, the
// reporting-honesty signals of the window [from, to): report and forward
// duties due in the window and done late (迟报); due in the window and
// missed, or still open and past due at now (漏报); and incidents marked as
// suspected concealment in the window (瞒报). Units with no signal are left
// out; the others come by name. Two grouped reads, each bounded by the
// window: the duties through (state, due_at), the marks through
// (unit_org_id, marked_at).
func (db *DB) ReportingSignalsOf(ctx context.Context, orgPath string, from, to, now time.Time) ([]fenghuo.ReportingSignals, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.ReportingSignals, error) {
		like := likeEscape(orgPath) + "%"
		byOrg := map[int64]*fenghuo.ReportingSignals{}
		add := func(q string, args []any, set func(s *fenghuo.ReportingSignals, a, b int)) error {
			rows, err := tx.c.query(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("store: reporting signals: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				var name string
				var a, b int
				if err := rows.Scan(&id, &name, &a, &b); err != nil {
					return err
				}
				s := byOrg[id]
				if s == nil {
					s = &fenghuo.ReportingSignals{OrgID: id, OrgName: name}
					byOrg[id] = s
				}
				set(s, a, b)
			}
			return rows.Err()
		}
		err := add(`SELECT b.owner_org_id, o.name,
				SUM(CASE WHEN b.state = 'late' THEN 1 ELSE 0 END),
				SUM(CASE WHEN b.state IN ('missed', 'open') THEN 1 ELSE 0 END)
			FROM obligations b JOIN orgs o ON o.id = b.owner_org_id
			WHERE b.state IN ('late', 'missed', 'open') AND b.due_at > 0 AND b.due_at >= ? AND b.due_at < ?
				AND b.kind IN ('report', 'forward') AND o.path LIKE ? ESCAPE '\'
				AND (b.state <> 'open' OR b.due_at <= ?)
			GROUP BY b.owner_org_id, o.name`, []any{ms(from), ms(to), like, ms(now)},
			func(s *fenghuo.ReportingSignals, late, missed int) { s.Late, s.Missed = late, missed })
		if err != nil {
			return nil, err
		}
		err = add(`SELECT c.unit_org_id, o.name, COUNT(*), 0 FROM incident_concealment c JOIN orgs o ON o.id = c.unit_org_id
			WHERE c.marked_at >= ? AND c.marked_at < ? AND o.path LIKE ? ESCAPE '\' GROUP BY c.unit_org_id, o.name`,
			[]any{ms(from), ms(to), like}, func(s *fenghuo.ReportingSignals, n, _ int) { s.Conceal = n })
		if err != nil {
			return nil, err
		}
		out := make([]fenghuo.ReportingSignals, 0, len(byOrg))
		for _, s := range byOrg {
			out = append(out, *s)
		}
		slices.SortFunc(out, func(a, b fenghuo.ReportingSignals) int {
			return cmp.Or(strings.Compare(a.OrgName, b.OrgName), cmp.Compare(a.OrgID, b.OrgID))
		})
		return out, nil
	})
}
