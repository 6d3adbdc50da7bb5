package store

import (
	"context"
	"strings"
	"testing"
)

// TestOpenDueUsesIncidentIndex: the earliest open due time of one incident
// (kept in incident_scope on every incident and duty write) is found through
// the index on incident_id, not by walking every open duty in due order.
func TestOpenDueUsesIncidentIndex(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		if db.d.engine != SQLite {
			t.Skip("PostgreSQL does not rewrite MIN as an index walk over (state, due_at) with an unrelated filter")
		}
		rows, err := db.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN SELECT "+openDue+" FROM incidents i WHERE i.id = 1")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		if !strings.Contains(strings.Join(plan, "\n"), "obligations_incident") {
			t.Fatalf("open_due is not read through obligations_incident:\n%s", strings.Join(plan, "\n"))
		}
	})
}
