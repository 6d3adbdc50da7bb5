package store

import (
	"os"
	"strings"
	"testing"
	"time"
)

// The writer leaves the log to the checkpointer (up to 64 MiB): 8 MiB of
// events written must reach the database file within a few checkpoint
// periods, and both the readers and a reopened database see them.
func TestCheckpointerCopiesTheLog(t *testing.T) {
	db := MustOpenDB(t, SQLite)
	before, err := os.Stat(db.path)
	if err != nil {
		t.Fatal(err)
	}
	raw := strings.Repeat("x", 4000)
	for tx := 0; tx < 8; tx++ {
		evs := make([]*StoredEvent, 256)
		for i := range evs {
			evs[i] = &StoredEvent{OrgID: 1, Kind: "syslog", At: time.Now(), Received: time.Now(), Raw: raw}
		}
		mustEvents(t, db, evs)
	}
	grown := false
	for deadline := time.Now().Add(20 * checkpointEvery); time.Now().Before(deadline); time.Sleep(checkpointEvery / 5) {
		st, err := os.Stat(db.path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size()-before.Size() >= 8<<20 {
			grown = true
			break
		}
	}
	if !grown {
		st, _ := os.Stat(db.path)
		t.Fatalf("the database file holds %d bytes after 8 MiB were committed: the log was not checkpointed", st.Size())
	}
	page, err := db.SearchEvents(bg, EventFilter{Limit: 10})
	if err != nil || len(page) != 0 { // org 1 does not exist: nothing in scope
		t.Fatalf("search: %d %v", len(page), err)
	}
	var n int
	if err := db.read.QueryRow("SELECT count(*) FROM intake_events").Scan(&n); err != nil || n != 8*256 {
		t.Fatalf("readers see %d events (%v)", n, err)
	}
	db.Close()
	again := MustOpenDSN(t, "sqlite:"+db.path)
	if err := again.read.QueryRow("SELECT count(*) FROM intake_events").Scan(&n); err != nil || n != 8*256 {
		t.Fatalf("reopened: %d events (%v)", n, err)
	}
}
