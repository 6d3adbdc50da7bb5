package web

import "time"

// SetLiveHeartbeat shortens the event stream's heartbeat for a test and
// returns the function that restores it.
func SetLiveHeartbeat(d time.Duration) func() {
	old := liveHeartbeat
	liveHeartbeat = d
	return func() { liveHeartbeat = old }
}
