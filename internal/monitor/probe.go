package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/guard"
	"fenghuo/internal/store"
)

// The remote probe protocol: a probe (fenghuo probe, in another network)
// asks for its assignments and posts what it saw. It authenticates with its
// own token, stored as an SM3 hash.

// Assignment is one check a probe runs.
type Assignment struct {
	MonitorID int64  `json:"monitor_id"`
	URL       string `json:"url"`
}

// ProbeResult is what a probe saw.
type ProbeResult struct {
	MonitorID int64  `json:"monitor_id"`
	OK        bool   `json:"ok"`
	Error     string `json:"error,omitempty"`
	LatencyMS int64  `json:"latency_ms"`
}

// ProbeRoutes mounts the probe protocol under /probe/v1/.
func (s *Service) ProbeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /probe/v1/assignments", s.probeAuth(s.assignments))
	mux.HandleFunc("POST /probe/v1/results", s.probeAuth(s.results))
}

type probeKey struct{}

// ProbeAuth authenticates a request of the probe protocol by the probe's
// token, for the other parts of the protocol (exposure checks).
func (s *Service) ProbeAuth(next func(http.ResponseWriter, *http.Request, *store.Probe)) http.HandlerFunc {
	return s.probeAuth(next)
}

func (s *Service) probeAuth(next func(http.ResponseWriter, *http.Request, *store.Probe)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.defaults()
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			probeError(w, http.StatusUnauthorized, "send the probe's token as Authorization: Bearer …")
			return
		}
		p, err := s.DB.ProbeByToken(r.Context(), auth.HashToken(token), s.Now())
		if err != nil {
			probeError(w, http.StatusUnauthorized, "unknown probe token")
			return
		}
		next(w, r, p)
	}
}

func probeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": "probe", "message": msg}})
}

func (s *Service) assignments(w http.ResponseWriter, r *http.Request, p *store.Probe) {
	ms, err := s.DB.ProbeAssignments(r.Context())
	if err != nil {
		probeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	out := make([]Assignment, 0, len(ms))
	for _, m := range ms {
		out = append(out, Assignment{MonitorID: m.ID, URL: m.URL})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"probe": p.Name, "items": out})
}

// results ingests a probe's report. A report comes from another network:
// whatever is in it, a panic while processing it is recovered, counted and
// logged with the report's SM3 digest, and the probe is told its report was
// not processed; the server goes on.
func (s *Service) results(w http.ResponseWriter, r *http.Request, p *store.Probe) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		probeError(w, http.StatusBadRequest, "the report could not be read")
		return
	}
	var pe *guard.PanicError
	if err := guard.Run(s.Log, "probe_report", func() error { s.ingest(w, r, p, body); return nil },
		"probe", p.ID, "input_sm3", guard.Digest(body)); errors.As(err, &pe) {
		probeReportPanics.Inc()
		probeError(w, http.StatusInternalServerError, "the report could not be processed (internal error, logged with its digest); nothing more of it was stored")
	}
}

func (s *Service) ingest(w http.ResponseWriter, r *http.Request, p *store.Probe, body []byte) {
	var in struct {
		Items []ProbeResult `json:"items"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		probeError(w, http.StatusBadRequest, "body must be {\"items\":[{\"monitor_id\":…,\"ok\":…}]}")
		return
	}
	// A probe reports only on what it was assigned: a leaked token cannot
	// dispute (or confirm) outages of other monitors.
	assigned, err := s.DB.ProbeAssignments(r.Context())
	if err != nil {
		probeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	mine := map[int64]bool{}
	for _, m := range assigned {
		mine[m.ID] = true
	}
	rows := make([]store.ProbeResult, 0, len(in.Items))
	for _, res := range in.Items {
		if !mine[res.MonitorID] {
			probeError(w, http.StatusBadRequest, fmt.Sprintf("monitor %d is not assigned to probes", res.MonitorID))
			return
		}
		rows = append(rows, store.ProbeResult{MonitorID: res.MonitorID, OK: res.OK, Error: fenghuo.CleanText(res.Error, 500),
			Latency: time.Duration(res.LatencyMS) * time.Millisecond})
	}
	if err := s.DB.AddProbeResults(r.Context(), p.ID, s.Now(), rows); err != nil {
		probeError(w, http.StatusBadRequest, "the report was not accepted")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// RunProbe is the remote agent: every interval it fetches its assignments
// from the server, checks each site as a browser would, and posts the
// results. With once it does one round.
func RunProbe(ctx context.Context, server, token string, interval time.Duration, once bool, client *http.Client, log *slog.Logger) error {
	server = strings.TrimRight(server, "/")
	api := &http.Client{Timeout: 30 * time.Second}
	for {
		err := probeRound(ctx, api, client, server, token)
		if err != nil {
			if once {
				return err
			}
			log.Error("probe round", "err", err)
		}
		if once {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(interval):
		}
	}
}

// probeParallel is how many sites a probe fetches at once.
const probeParallel = 32

func probeRound(ctx context.Context, api, client *http.Client, server, token string) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", server+"/probe/v1/assignments", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := api.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("assignments: %s", resp.Status)
	}
	var as struct {
		Items []Assignment `json:"items"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&as); err != nil {
		return err
	}
	out := struct {
		Items []ProbeResult `json:"items"`
	}{Items: []ProbeResult{}}
	// The sites are fetched probeParallel at once (a probe may watch
	// thousands of sites; one at a time, a round outlasted the interval).
	out.Items = make([]ProbeResult, len(as.Items))
	var wg sync.WaitGroup
	sem := make(chan struct{}, probeParallel)
	for i, a := range as.Items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res := Fetch(ctx, client, a.URL, ProfileBrowser)
			pr := ProbeResult{MonitorID: a.MonitorID, OK: res.OK(), LatencyMS: res.Latency.Milliseconds()}
			if !res.OK() {
				pr.Error = res.Describe()
			}
			out.Items[i] = pr
		}()
	}
	wg.Wait()
	body, _ := json.Marshal(out)
	req, _ = http.NewRequestWithContext(ctx, "POST", server+"/probe/v1/results", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp2, err := api.Do(req)
	if err != nil {
		return err
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusNoContent {
		return errors.New("results: " + resp2.Status)
	}
	return nil
}
