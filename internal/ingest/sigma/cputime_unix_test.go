//go:build unix

package sigma

import "syscall"

// cpuTime is the CPU time this process used so far (user + system), in
// nanoseconds: on a machine shared with other work, a benchmark's CPU per
// event says more than its wall-clock time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
