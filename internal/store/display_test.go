package store

import (
	"slices"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
)

// A display account keeps its bound addresses through create and update,
// and its idle-exempt session survives the idle sweep that removes an
// ordinary session idle as long (0025_display_accounts.sql).
func TestDisplayAddressesAndIdleExemptSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr := mustTree(t, db)
		wall := &fenghuo.User{OrgID: tr.countyA.ID, Username: "wall-a", DisplayName: "县大屏",
			Roles: []fenghuo.Role{fenghuo.RoleDisplay}, AllowedAddresses: []string{"10.20.0.15", "10.30.1.7/24"}}
		must(t, db.CreateUser(bg, wall))
		got, err := db.User(bg, wall.ID)
		must(t, err)
		if want := []string{"10.20.0.15", "10.30.1.0/24"}; !slices.Equal(got.AllowedAddresses, want) {
			t.Fatalf("stored addresses %q, want %q", got.AllowedAddresses, want)
		}
		got.AllowedAddresses = []string{"192.168.5.5"}
		must(t, db.UpdateUser(bg, got))
		again, err := db.UserByUsername(bg, "WALL-A")
		must(t, err)
		if !slices.Equal(again.AllowedAddresses, []string{"192.168.5.5"}) {
			t.Errorf("updated addresses %q", again.AllowedAddresses)
		}
		again.AllowedAddresses = nil
		wantCode(t, db.UpdateUser(bg, again), fenghuo.EINVALID) // a display must stay bound

		other := mustUser(t, db, tr.countyA.ID, "clerk", fenghuo.RoleViewer)
		if o, err := db.User(bg, other.ID); err != nil || o.AllowedAddresses != nil {
			t.Errorf("an unbound user reads back %q (%v)", o.AllowedAddresses, err)
		}

		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		must(t, db.CreateSession(bg, &Session{IDHash: "wall", UserID: wall.ID, Stage: "full", CreatedAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour), IdleExempt: true}))
		must(t, db.CreateSession(bg, &Session{IDHash: "clerk", UserID: other.ID, Stage: "full", CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}))
		s, err := db.Session(bg, "wall")
		must(t, err)
		if !s.IdleExempt || s.Expired(t0.Add(3*time.Hour), 30*time.Minute) || !s.Expired(t0.Add(30*24*time.Hour), 30*time.Minute) {
			t.Errorf("idle-exempt session: %+v", s)
		}
		n, err := db.DeleteExpiredSessions(bg, t0.Add(3*time.Hour), 30*time.Minute)
		must(t, err)
		if n != 1 {
			t.Errorf("the idle sweep removed %d sessions, want 1 (the clerk's)", n)
		}
		if _, err := db.Session(bg, "wall"); err != nil {
			t.Errorf("the display's session was swept: %v", err)
		}
		n, err = db.DeleteExpiredSessions(bg, t0.Add(30*24*time.Hour), 30*time.Minute)
		must(t, err)
		if n != 1 {
			t.Errorf("at its absolute end the display's session was not removed (%d)", n)
		}
	})
}
