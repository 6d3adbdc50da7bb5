package app

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"time"
)

// DefaultWorkLease is how long a replica's claim on background work (a
// batch of notification jobs, the audit keeping passes) lasts without
// renewal: a replica renews it every third of it while it works, and when a
// replica dies (kill -9, a lost machine) another one takes the work over
// once it runs out (docs/storage.md, "Several replicas on PostgreSQL").
const DefaultWorkLease = 30 * time.Second

// MinWorkLease is the shortest work lease allowed: the scheduler renews its
// lease at each pass (at most 5 s apart), with room for a slow pass.
const MinWorkLease = 10 * time.Second

// WorkLease is the configured work lease (DefaultWorkLease when unset).
func (a *Core) WorkLease() time.Duration {
	if a.cfg.WorkLease > 0 {
		return a.cfg.WorkLease
	}
	return DefaultWorkLease
}

// Replica names this process among the replicas that share the database:
// the host name, the process ID and a random part (a restarted process is
// another holder). Leases and job claims are held in this name.
func (a *Core) Replica() string { return a.replica }

func replicaName() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return host + ":" + strconv.Itoa(os.Getpid()) + ":" + hex.EncodeToString(b[:])
}
