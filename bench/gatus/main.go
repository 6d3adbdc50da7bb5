// Command gatus measures Fenghuo's website monitoring beside Gatus (issue
// 16 item 3): both watch the same loopback farm of ~100 KB pages, one after
// the other in interleaved pairs, each as busy as it can be (Gatus at a
// 10 ms interval and unlimited concurrency; Fenghuo's serve loop with a
// clock running 6000× so its one-minute monitors come due every 10 ms). A check is
// counted the same way for both, at the farm: a request from Gatus, or a
// request from Fenghuo (one a check, as the browser, Baiduspider or a
// visitor from a Baidu search in turn; a second request is made only when
// an identity's copy differs from the browser's or fails, which the farm's
// identical copies never do). CPU is each process's own
// (/proc/PID/stat), the farm, a separate process, excluded.
//
// bench/gatus.sh installs Gatus and runs this; go run ./bench/gatus -h
// lists the options. FENGHUO_BENCH_CPUPROFILE=FILE makes the Fenghuo side
// write a CPU profile of its run.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fenghuo/bench/internal/host"
)

func main() {
	role := flag.String("role", "", "internal: farm or fenghuo (the processes this command starts)")
	gatusBin := flag.String("gatus", "", "the Gatus binary (bench/gatus.sh installs v5.33.0)")
	sites := flag.Int("sites", 200, "pages in the loopback farm")
	pairs := flag.Int("pairs", 3, "interleaved Gatus/Fenghuo pairs")
	seconds := flag.Int("seconds", 30, "measured seconds of each run")
	dir := flag.String("dir", "", "internal: the fenghuo role's data directory")
	concurrency := flag.Int("gatus-concurrency", 0, "Gatus's concurrency setting: 0 is unlimited, 3 its default")
	only := flag.String("only", "", "fenghuo or gatus: run one side only (profiling; no ratios)")
	flag.Parse()
	var err error
	switch *role {
	case "farm":
		err = runFarm(*sites)
	case "fenghuo":
		var info farmInfo
		if err = json.NewDecoder(os.Stdin).Decode(&info); err == nil {
			err = runFenghuo(*dir, info.Sites)
		}
	default:
		err = compare(*gatusBin, *only, *sites, *pairs, *concurrency, time.Duration(*seconds)*time.Second)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/gatus:", err)
		os.Exit(1)
	}
}

type run struct {
	checks    float64 // per second
	cpuMS     float64 // per check
	other     int64   // Fenghuo: of its checks, fetches as Baiduspider or with a Baidu referer
	notMod    int64
	rssMB     float64
	cpuShare  float64 // CPU seconds per second
	checksAll int64
	farmMS    float64 // the farm's CPU per check it answered
}

func compare(gatusBin, only string, n, pairs, concurrency int, d time.Duration) error {
	if gatusBin == "" && only != "fenghuo" {
		return fmt.Errorf("name the Gatus binary with -gatus")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "fenghuo-gatus-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	farmCmd := exec.Command(self, "-role", "farm", "-sites", strconv.Itoa(n))
	out, err := farmCmd.StdoutPipe()
	if err != nil {
		return err
	}
	farmCmd.Stderr = os.Stderr
	if err := farmCmd.Start(); err != nil {
		return err
	}
	defer farmCmd.Process.Kill()
	var info farmInfo
	if err := json.NewDecoder(out).Decode(&info); err != nil {
		return fmt.Errorf("farm: %w", err)
	}
	fmt.Printf("machine: %s; load average before: %s\n", host.Machine(), host.LoadAverage())
	fmt.Printf("farm: %d pages of ~100 KB on %d loopback addresses, with ETag and Last-Modified; Gatus concurrency %d (0: unlimited)\n", n, n, concurrency)
	cfg := filepath.Join(tmp, "gatus.yaml")
	port, err := freePort()
	if err != nil {
		return err
	}
	if err := os.WriteFile(cfg, gatusConfig(info.Sites, port, concurrency), 0o600); err != nil {
		return err
	}
	var gs, fs []run
	for p := 0; p < pairs; p++ {
		order := []string{"gatus", "fenghuo"}
		if p%2 == 1 {
			order = []string{"fenghuo", "gatus"}
		}
		for _, who := range order {
			if only != "" && who != only {
				continue
			}
			var r run
			var err error
			if who == "gatus" {
				r, err = runGatus(gatusBin, cfg, tmp, info, farmCmd.Process.Pid, d)
				gs = append(gs, r)
			} else {
				r, err = runOurs(self, tmp, p, info, farmCmd.Process.Pid, d)
				fs = append(fs, r)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", who, err)
			}
			extra := ""
			if who == "fenghuo" {
				extra = fmt.Sprintf(", other-identity fetches %.1f/s, 304 answers %d", float64(r.other)/d.Seconds(), r.notMod)
			}
			fmt.Printf("pair %d %-7s %7.1f checks/s  %.3f ms CPU/check  %.2f cores  peak RSS %.0f MB%s; farm %.3f ms CPU/check  (load %s)\n",
				p+1, who, r.checks, r.cpuMS, r.cpuShare, r.rssMB, extra, r.farmMS, host.LoadAverage())
		}
	}
	if only != "" {
		return nil
	}
	var thr, cpu []float64
	for i := range gs {
		thr = append(thr, fs[i].checks/gs[i].checks)
		cpu = append(cpu, fs[i].cpuMS/gs[i].cpuMS)
	}
	fmt.Printf("Fenghuo/Gatus checks per second: %s; median %.2f×\n", list(thr), median(thr))
	fmt.Printf("Fenghuo/Gatus CPU per check:     %s; median %.2f×\n", list(cpu), median(cpu))
	return nil
}

func list(v []float64) string {
	var s []string
	for _, x := range v {
		s = append(s, fmt.Sprintf("%.2f", x))
	}
	return strings.Join(s, " ")
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// gatusConfig watches every site at Gatus's shortest practical interval,
// with the given concurrency, a status and a body condition.
func gatusConfig(sites []string, port, concurrency int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "concurrency: %d\nmetrics: true\nweb:\n  address: 127.0.0.1\n  port: %d\nendpoints:\n", concurrency, port)
	for i, u := range sites {
		fmt.Fprintf(&b, "  - name: site-%d\n    url: %q\n    interval: 10ms\n    conditions:\n      - \"[STATUS] == 200\"\n      - \"[BODY] == pat(*门户网站*)\"\n", i, u)
	}
	return []byte(b.String())
}

func stats(info farmInfo) (farmCounts, error) {
	var c farmCounts
	resp, err := http.Get(info.Control + "/stats")
	if err != nil {
		return c, err
	}
	defer resp.Body.Close()
	return c, json.NewDecoder(resp.Body).Decode(&c)
}

func reset(info farmInfo) error {
	resp, err := http.Get(info.Control + "/reset")
	if err == nil {
		resp.Body.Close()
	}
	return err
}

// measure samples a process's CPU, the farm's and the farm's counts over d.
func measure(pid, farmPID int, info farmInfo, d time.Duration, checks func(farmCounts) int64) (run, farmCounts, error) {
	if err := reset(info); err != nil {
		return run{}, farmCounts{}, err
	}
	cpu0, err := host.CPUTime(pid)
	if err != nil {
		return run{}, farmCounts{}, err
	}
	farm0, err := host.CPUTime(farmPID)
	if err != nil {
		return run{}, farmCounts{}, err
	}
	start := time.Now()
	time.Sleep(d)
	c, err := stats(info)
	if err != nil {
		return run{}, c, err
	}
	cpu1, err := host.CPUTime(pid)
	if err != nil {
		return run{}, c, err
	}
	farm1, err := host.CPUTime(farmPID)
	if err != nil {
		return run{}, c, err
	}
	el := time.Since(start)
	n := checks(c)
	if n == 0 {
		return run{}, c, fmt.Errorf("no check in %v", el)
	}
	return run{checks: float64(n) / el.Seconds(), cpuMS: float64((cpu1 - cpu0).Microseconds()) / 1000 / float64(n),
		cpuShare: (cpu1 - cpu0).Seconds() / el.Seconds(), rssMB: peakRSS(pid), checksAll: n,
		farmMS: float64((farm1 - farm0).Microseconds()) / 1000 / float64(n)}, c, nil
}

func runGatus(bin, cfg, tmp string, info farmInfo, farmPID int, d time.Duration) (run, error) {
	cmd := exec.Command(bin)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GATUS_CONFIG_PATH="+cfg, "GATUS_LOG_LEVEL=ERROR")
	if err := cmd.Start(); err != nil {
		return run{}, err
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	// Gatus starts its endpoints 222 ms apart: measure once every one runs.
	if err := reset(info); err != nil {
		return run{}, err
	}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(500 * time.Millisecond) {
		c, err := stats(info)
		if err != nil {
			return run{}, err
		}
		if c.GatusSites == len(info.Sites) {
			break
		}
		if time.Now().After(deadline) {
			return run{}, fmt.Errorf("Gatus reached %d of %d sites in two minutes", c.GatusSites, len(info.Sites))
		}
	}
	time.Sleep(2 * time.Second)
	r, _, err := measure(cmd.Process.Pid, farmPID, info, d, func(c farmCounts) int64 { return c.Gatus })
	return r, err
}

func runOurs(self, tmp string, p int, info farmInfo, farmPID int, d time.Duration) (run, error) {
	dir := filepath.Join(tmp, fmt.Sprintf("fenghuo-%d", p))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return run{}, err
	}
	cmd := exec.Command(self, "-role", "fenghuo", "-dir", dir)
	in, _ := json.Marshal(info)
	cmd.Stdin = strings.NewReader(string(in))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return run{}, err
	}
	if err := cmd.Start(); err != nil {
		return run{}, err
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		return run{}, fmt.Errorf("set-up: %q %v", line, err)
	}
	time.Sleep(2 * time.Second)
	r, c, err := measure(cmd.Process.Pid, farmPID, info, d, func(c farmCounts) int64 { return c.Browser + c.Spider + c.Referer })
	r.other, r.notMod = c.Spider+c.Referer, c.NotModified
	return r, err
}

// freePort finds a loopback port for Gatus's web listener.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// peakRSS is a process's peak resident memory (VmHWM), in MB.
func peakRSS(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
