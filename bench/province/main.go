// Command province measures a running `fenghuo serve` over a province's
// data (bench/province.sh seeds it with --demo-shape province and starts
// the server): the incident list (first page, a filtered page, a deep
// page), the home page, the awareness screen, grading (re-grading an
// incident's facts) and report filing, for the province commander and a
// county duty officer, each request sequential over loopback, and prints
// p50, p99 and max per operation and the server's memory (RSS from /proc).
//
//	go run ./bench/province -url http://127.0.0.1:PORT -accounts seed.log -pid PID -engine sqlite
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	base := flag.String("url", "", "the server's URL (loopback)")
	accounts := flag.String("accounts", "", "the seed log serve --demo printed (the accounts' passwords)")
	pid := flag.Int("pid", 0, "the server's process ID, for its memory")
	engine := flag.String("engine", "", "label of the engine, printed on each line")
	n := flag.Int("n", 200, "timed requests per read operation (after 10 warm-up ones)")
	writes := flag.Int("writes", 100, "timed requests per write operation (grading, filing)")
	users := flag.String("users", "prov-commander,county-duty", "accounts to measure as")
	flag.Parse()
	if *base == "" || *accounts == "" {
		flag.Usage()
		os.Exit(2)
	}
	pw, err := readAccounts(*accounts)
	if err != nil {
		fail(err)
	}
	printMem(*engine, *pid, "after start")
	for _, u := range strings.Split(*users, ",") {
		c, err := login(*base, u, pw[u])
		if err != nil {
			fail(err)
		}
		b := &bench{c: c, base: *base, engine: *engine, user: u}
		b.read("list first page", "/incidents", *n)
		b.read("list filtered", "/incidents?status=closed&grade=IV", *n)
		b.read("list overdue", "/incidents?overdue=1", *n)
		b.read("list deep (page 200)", "/incidents?page=200", *n)
		b.read("home", "/", *n)
		b.read("awareness API", "/api/v1/awareness", *n)
		b.grading(*writes)
		b.filing(*writes)
		printMem(*engine, *pid, "after "+u)
	}
}

type bench struct {
	c                  *http.Client
	base, engine, user string
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "province:", err)
	os.Exit(1)
}

// readAccounts reads "  USER  PASSWORD  ROLE  ORG" lines of the seed log.
func readAccounts(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) >= 3 && strings.Count(fs[1], "-") == 3 && len(fs[1]) == 23 {
			out[fs[0]] = fs[1]
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s lists no accounts", path)
	}
	return out, sc.Err()
}

func login(base, user, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 5 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"username": {user}, "password": {password}}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("log-in of %s: %s", user, resp.Status)
	}
	return c, nil
}

// do sends one request (the console session's cookie; an Origin for the
// API's cross-site check) and returns the status and body.
func (b *bench) do(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, b.base+path, rd)
	req.Header.Set("Origin", b.base)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

func (b *bench) read(name, path string, n int) {
	for i := 0; i < 10; i++ {
		if status, body, err := b.do("GET", path, nil); err != nil || status != http.StatusOK {
			fail(fmt.Errorf("%s %s: %d %v %.300s", b.user, path, status, err, body))
		}
	}
	times := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		if status, _, err := b.do("GET", path, nil); err != nil || status != http.StatusOK {
			fail(fmt.Errorf("%s %s: %d %v", b.user, path, status, err))
		}
		times = append(times, time.Since(start))
	}
	b.print(name, path, times)
}

func (b *bench) print(name, what string, times []time.Duration) {
	if len(times) == 0 {
		fmt.Printf("%-8s %-15s %-22s %s\n", b.engine, b.user, name, what)
		return
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	q := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(float64(len(times))*p))]) / float64(time.Millisecond)
	}
	fmt.Printf("%-8s %-15s %-22s n=%-4d p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  %s\n", b.engine, b.user, name, len(times), q(0.5), q(0.99),
		float64(times[len(times)-1])/float64(time.Millisecond), what)
}

type incidentRow struct {
	ID      int64           `json:"id"`
	Version int             `json:"version"`
	Facts   json.RawMessage `json:"facts"`
	Cat     string          `json:"category"`
	Systems []int64         `json:"system_ids"`
}

// open lists up to n open incidents the user sees (reported ones: filed
// once, so a follow-up report is allowed).
func (b *bench) open(n int) ([]incidentRow, error) {
	var out []incidentRow
	for off := 0; len(out) < n && off < 2000; off += 100 {
		status, body, err := b.do("GET", fmt.Sprintf("/api/v1/incidents?status=reported&limit=100&offset=%d", off), nil)
		if err != nil || status != http.StatusOK {
			return nil, fmt.Errorf("open incidents: %d %v %.300s", status, err, body)
		}
		var page struct {
			Items []incidentRow `json:"items"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, err
		}
		if len(page.Items) == 0 {
			break
		}
		out = append(out, page.Items...)
	}
	return out[:min(n, len(out))], nil
}

// grading re-grades open incidents with their own facts, as the facts form
// does (PUT /api/v1/incidents/{id}/facts): the governing plans are read
// and run, the duties recomputed.
func (b *bench) grading(n int) {
	rows, err := b.open(n)
	if err != nil {
		fail(err)
	}
	var times []time.Duration
	refused := ""
	for _, r := range rows {
		status, body, err := b.do("GET", fmt.Sprintf("/api/v1/incidents/%d", r.ID), nil)
		if err != nil || status != http.StatusOK {
			fail(fmt.Errorf("incident %d: %d %v", r.ID, status, err))
		}
		var inc incidentRow
		if err := json.Unmarshal(body, &inc); err != nil {
			fail(err)
		}
		start := time.Now()
		status, body, err = b.do("PUT", fmt.Sprintf("/api/v1/incidents/%d/facts", r.ID), map[string]any{"version": inc.Version,
			"facts": inc.Facts, "category": inc.Cat, "system_ids": inc.Systems})
		d := time.Since(start)
		if err != nil {
			fail(err)
		}
		if status == http.StatusForbidden {
			refused = "refused (403): " + firstLine(body)
			break
		}
		if status != http.StatusOK {
			fail(fmt.Errorf("grading incident %d: %d %.300s", r.ID, status, body))
		}
		times = append(times, d)
	}
	b.print("grading (PUT facts)", refused, times)
}

// filing files a follow-up report on open incidents, as the report form
// does (POST /api/v1/incidents/{id}/reports): delivered up the chain, on
// the timeline. The required fields are learnt from the answers.
func (b *bench) filing(n int) {
	rows, err := b.open(n + 20)
	if err != nil {
		fail(err)
	}
	content := map[string]string{}
	var times []time.Duration
	refused := ""
	for _, r := range rows {
		if len(times) == n {
			break
		}
		for try := 0; try < 30; try++ {
			start := time.Now()
			status, body, err := b.do("POST", fmt.Sprintf("/api/v1/incidents/%d/reports", r.ID), map[string]any{"kind": "follow_up",
				"content": content, "signer": "单位负责人", "reporter_name": "值班员", "reporter_phone": "0471-6581960"})
			d := time.Since(start)
			if err != nil {
				fail(err)
			}
			if status == http.StatusCreated {
				times = append(times, d)
				break
			}
			var e struct {
				Error struct {
					Field string `json:"field"`
				} `json:"error"`
			}
			json.Unmarshal(body, &e)
			if f, ok := strings.CutPrefix(e.Error.Field, "content."); ok && content[f] == "" {
				content[f] = "演示续报：处置进展见附件。"
				continue
			}
			if status == http.StatusForbidden {
				refused = "refused (403): " + firstLine(body)
			} else {
				fmt.Fprintf(os.Stderr, "province: filing on incident %d: %d %.300s\n", r.ID, status, body)
			}
			break
		}
		if refused != "" {
			break
		}
	}
	b.print("report filing (POST)", refused, times)
}

func firstLine(b []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}

// printMem prints the server's resident memory and its peak.
func printMem(engine string, pid int, when string) {
	if pid == 0 {
		return
	}
	f, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		fmt.Fprintln(os.Stderr, "province: memory:", err)
		return
	}
	vals := map[string]int{}
	for _, line := range strings.Split(string(f), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		if fs := strings.Fields(v); len(fs) > 0 {
			if kb, err := strconv.Atoi(fs[0]); err == nil {
				vals[k] = kb
			}
		}
	}
	if vals["VmRSS"] == 0 {
		fail(errors.New("no VmRSS in /proc status"))
	}
	fmt.Printf("%-8s memory %-26s RSS %6.1f MiB  peak RSS %6.1f MiB\n", engine, when, float64(vals["VmRSS"])/1024, float64(vals["VmHWM"])/1024)
}
