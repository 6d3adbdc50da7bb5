package server_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
)

// BenchmarkListAtScale serves the demo region with 1,000 and with 100,000
// historical incidents (seeded by serve --demo-size's generator) through
// the real handler over loopback, logged in as the city's commander (who
// sees every incident) and as a county duty officer, and prints the median
// of the incident list page and of the home page at each size and their
// ratio, on SQLite and (with FENGHUO_TEST_POSTGRES) PostgreSQL. Run it once:
// -bench ListAtScale -benchtime 1x. FENGHUO_BENCH_SIZES=1000,20000 changes
// the sizes.
func BenchmarkListAtScale(b *testing.B) {
	sizes := []int{1000, 100000}
	if s := os.Getenv("FENGHUO_BENCH_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("FENGHUO_BENCH_SIZES: %q is not a size", f)
			}
			sizes = append(sizes, n)
		}
	}
	engines := []string{"sqlite"}
	if os.Getenv("FENGHUO_TEST_POSTGRES") != "" {
		engines = append(engines, "postgres")
	}
	pages := []string{"/incidents", "/"}
	users := []string{"commander", "qx-duty"}
	for i := 0; i < b.N; i++ {
		for _, engine := range engines {
			medians := map[string][]time.Duration{}
			for _, n := range sizes {
				dsn := apptest.SQLiteDSN(b)
				if engine == "postgres" {
					dsn = apptest.PostgresDSN(b)
				}
				s := apptest.OpenDemo(b, dsn, n, nil)
				if err := s.DB.Analyze(context.Background()); err != nil {
					b.Fatal(err)
				}
				fmt.Printf("%-8s %7d incidents seeded in %6.1f s (%d reports, %d deliveries, %d obligations, %d timeline entries)\n",
					engine, n, s.History.Took.Seconds(), s.History.Reports, s.History.Deliveries, s.History.Obligations, s.History.Timeline)
				for _, u := range users {
					c := s.Console(b, u)
					for _, p := range pages {
						m, p90 := measure(b, s, c, p, 200)
						key := u + " " + p
						medians[key] = append(medians[key], m)
						fmt.Printf("%-8s %7d incidents  %-9s %-10s median %7.2f ms  p90 %7.2f ms\n", engine, n, u, p, ms(m), ms(p90))
					}
				}
				s.DB.Close()
			}
			keys := make([]string, 0, len(medians))
			for k := range medians {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				m := medians[k]
				fmt.Printf("%-8s %-20s median at %d: %.2f ms, at %d: %.2f ms, ratio %.2f\n", engine, k, sizes[0], ms(m[0]),
					sizes[len(sizes)-1], ms(m[len(m)-1]), float64(m[len(m)-1])/float64(m[0]))
			}
		}
	}
}

// measure fetches path count times after a warm-up and returns the median
// and the 90th percentile.
func measure(b *testing.B, s *apptest.DemoServer, c *http.Client, path string, count int) (time.Duration, time.Duration) {
	for i := 0; i < 20; i++ {
		if status, body := s.Get(b, c, "", path); status != http.StatusOK {
			b.Fatalf("%s: %d %.300s", path, status, body)
		}
	}
	times := make([]time.Duration, count)
	for i := range times {
		start := time.Now()
		s.Get(b, c, "", path)
		times[i] = time.Since(start)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[count/2], times[count*9/10]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
