package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// durability is what the kill -9 cycles found.
type durability struct {
	cycles        int
	batches       int64 // answered 200
	acked         int64 // events in those batches
	unanswered    int64 // events in batches cut off by the kill (no answer)
	storedAcked   int64 // acknowledged events found stored
	lost          []string
	duplicated    int      // events stored more than once
	storedUnacked int64    // unanswered events that were committed all the same
	refusals      []string // answers other than 200 (none expected)
	syslogWritten int64    // written to the syslog socket during the cycles
	syslogStored  int64
	restarts      []time.Duration // from exec to listening, after each kill
}

// httpBatch is how many events one POST /api/v1/alerts carries.
const httpBatch = 200

// alertRecord is one record a web application firewall pushes: generic
// JSON with a unique event.id, some with an address or a URL of the
// library.
func alertRecord(id string, r *rand.Rand, lib *library) map[string]any {
	src := chinaIP(r)
	url := fmt.Sprintf("http://www.example.gov.cn/xxgk/%d.shtml?id=%d%%27%%20or%%201=1", r.IntN(1000), r.IntN(100))
	if r.IntN(50) == 0 {
		src = lib.ipv4[r.IntN(len(lib.ipv4))]
	}
	if r.IntN(50) == 0 {
		url = lib.urls[r.IntN(len(lib.urls))]
	}
	return map[string]any{
		"@timestamp":  time.Now().UTC().Format(time.RFC3339Nano),
		"event":       map[string]any{"id": id, "category": []string{"web", "intrusion_detection"}, "action": "blocked", "severity": 1 + r.IntN(3)},
		"observer":    map[string]any{"vendor": "bench", "product": "waf", "hostname": "waf01"},
		"source":      map[string]any{"ip": src, "port": 30000 + r.IntN(30000)},
		"destination": map[string]any{"ip": "10.8.1.80", "port": 443},
		"url":         map[string]any{"original": url},
		"rule":        map[string]any{"id": fmt.Sprintf("9421%02d", r.IntN(40)), "name": "SQL injection attempt"},
		"message":     "WAF blocked an SQL injection attempt",
	}
}

// killCycles runs cycles of: start serve on the installation, send HTTP
// batches of unique events from two senders (an event is acknowledged when
// its batch is answered 200, which the API gives only after the commit)
// and a syslog stream beside them, kill -9 serve at a random moment
// between one and four seconds in, and start again. At the end it reads
// the database directly and checks that every acknowledged event is there.
func killCycles(ctx context.Context, in *install, d *deployment, s *stream, lib *library, cycles int, seed uint64) (*durability, error) {
	res := &durability{cycles: cycles}
	r := rand.New(rand.NewPCG(seed, seed+3))
	var (
		mu       sync.Mutex
		acked    []string
		inflight []string
	)
	rd, err := in.openReader()
	if err != nil {
		return nil, err
	}
	defer rd.close()
	syslogBefore, err := rd.events(ctx, d.syslogSource)
	if err != nil {
		return nil, err
	}
	for cycle := 0; cycle < cycles; cycle++ {
		started := time.Now()
		srv, err := in.start(nil)
		if err != nil {
			return nil, fmt.Errorf("cycle %d: %w", cycle, err)
		}
		res.restarts = append(res.restarts, time.Since(started))
		killAt := time.Duration(1000+r.IntN(3000)) * time.Millisecond
		var wg sync.WaitGroup
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func(w int, seed uint64) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				hc := &http.Client{Timeout: time.Minute}
				for n := 0; ; n++ {
					ids := make([]string, httpBatch)
					var body bytes.Buffer
					enc := json.NewEncoder(&body)
					for i := range ids {
						ids[i] = fmt.Sprintf("k%02d-w%d-b%04d-%03d", cycle, w, n, i)
						enc.Encode(alertRecord(ids[i], r, lib))
					}
					ok, refusal := postBatch(ctx, hc, srv.api, d.httpToken, body.Bytes(), len(ids))
					mu.Lock()
					switch {
					case ok:
						acked = append(acked, ids...)
						res.batches++
					case refusal != "":
						res.refusals = append(res.refusals, refusal)
					default:
						inflight = append(inflight, ids...)
					}
					mu.Unlock()
					if !ok {
						return
					}
				}
			}(w, r.Uint64())
		}
		wg.Add(1)
		go func(first int) {
			defer wg.Done()
			n, _, _ := sendOne(srv.syslog, s, first, time.Now().Add(time.Hour)) // ends when serve dies
			mu.Lock()
			res.syslogWritten += n
			mu.Unlock()
		}(r.IntN(s.len()))
		time.Sleep(killAt)
		srv.kill()
		wg.Wait()
	}
	res.acked, res.unanswered = int64(len(acked)), int64(len(inflight))
	stored, err := rd.eventIDs(ctx, d.httpSource)
	if err != nil {
		return nil, err
	}
	for _, id := range acked {
		switch n := stored[id]; {
		case n == 0:
			res.lost = append(res.lost, id)
		default:
			res.storedAcked++
			if n > 1 {
				res.duplicated++
			}
		}
	}
	for _, id := range inflight {
		if stored[id] > 0 {
			res.storedUnacked++
		}
	}
	slices.Sort(res.lost)
	syslogAfter, err := rd.events(ctx, d.syslogSource)
	if err != nil {
		return nil, err
	}
	res.syslogStored = syslogAfter - syslogBefore
	return res, nil
}

// postBatch sends one NDJSON batch under the intake token: ok when the
// server answered 200 with every record accepted; a refusal (another
// answer) is described; neither when the connection broke (the kill).
func postBatch(ctx context.Context, hc *http.Client, base, token string, body []byte, n int) (ok bool, refusal string) {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/alerts?format=generic", bytes.NewReader(body))
	if err != nil {
		return false, err.Error()
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := hc.Do(req)
	if err != nil {
		return false, ""
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return false, ""
	}
	var out struct {
		Accepted int `json:"accepted"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(data, &out) != nil || out.Accepted != n {
		return false, fmt.Sprintf("%s: %s", resp.Status, tail(string(data), 300))
	}
	return true, ""
}
