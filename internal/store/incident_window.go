package store

import (
	"context"
	"fmt"
	"time"
)

// OpenIncidentsDiscovered returns the open incidents the org scopeOrgID
// sees (incident_scope) discovered in [from, to), newest first, without
// their next duty (IncidentRow.Next stays empty). It reads one range of
// the (org, status, discovered) index per open status, so a day's window
// costs the incidents of that day, however many older ones are still open.
func (tx *Tx) OpenIncidentsDiscovered(ctx context.Context, scopeOrgID int64, from, to time.Time) ([]IncidentRow, error) {
	args := append([]any{scopeOrgID}, openStatuses...)
	args = append(args, ms(from), ms(to))
	rows, err := tx.c.query(ctx, "SELECT "+incidentRowColumns+` FROM (SELECT s.incident_id, s.discovered_at FROM incident_scope s
		WHERE s.org_id = ? AND s.status IN (`+placeholders(len(openStatuses))+`) AND s.discovered_at >= ? AND s.discovered_at < ?) k
		JOIN incidents i ON i.id = k.incident_id ORDER BY k.discovered_at DESC, k.incident_id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: open incidents discovered: %w", err)
	}
	defer rows.Close()
	out := []IncidentRow{}
	for rows.Next() {
		r, err := scanIncidentRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
