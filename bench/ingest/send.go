package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// sent is what the syslog senders did.
type sent struct {
	messages int64
	bytes    int64 // of the messages, without the framing (what omfile writes, less the newlines)
	took     time.Duration
}

// chunk is how many bytes a sender writes at once (whole frames).
const chunk = 64 << 10

// sendSyslog streams s over conns TCP connections to addr for d, each
// connection starting at its own place in the stream and going round it,
// writing whole frames (octet counting, RFC 6587) as fast as the receiver
// reads them. Then each sender closes its writing half and waits for the
// receiver to close the connection: Fenghuo does so only after committing
// the connection's last batch, rsyslog after reading everything. took runs
// from the first write to the last close.
func sendSyslog(addr string, s *stream, conns int, d time.Duration) (sent, error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		res  sent
		errs []error
	)
	start := time.Now()
	stop := start.Add(d)
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			n, b, err := sendOne(addr, s, c*s.len()/conns, stop)
			mu.Lock()
			defer mu.Unlock()
			res.messages += n
			res.bytes += b
			if err != nil {
				errs = append(errs, fmt.Errorf("connection %d: %w", c, err))
			}
		}(c)
	}
	wg.Wait()
	res.took = time.Since(start)
	return res, errors.Join(errs...)
}

func sendOne(addr string, s *stream, first int, stop time.Time) (messages, bytes int64, err error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	i := first
	for time.Now().Before(stop) {
		// Whole frames from i, up to chunk bytes (at least one frame), not
		// past the end of the stream.
		j := i + 1
		for j < s.len() && s.ends[j]-s.start(i) <= chunk {
			j++
		}
		if _, err := conn.Write(s.framed[s.start(i):s.ends[j-1]]); err != nil {
			return messages, bytes, err
		}
		for k := i; k < j; k++ {
			bytes += int64(s.bytes[k])
		}
		messages += int64(j - i)
		i = j % s.len()
	}
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		return messages, bytes, err
	}
	// The receiver closes when it has committed (or read) everything.
	conn.SetReadDeadline(time.Now().Add(5 * time.Minute))
	if _, err := io.Copy(io.Discard, conn); err != nil {
		return messages, bytes, fmt.Errorf("waiting for the receiver to close: %w", err)
	}
	return messages, bytes, nil
}
