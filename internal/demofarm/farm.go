// Package demofarm is the demo's small farm of websites: a few fictional
// portals served on loopback by the demo server itself, so that its
// monitors have something to watch — one normal, one that is defaced, one
// that serves a hidden gambling link to Baiduspider only (cloaking), and one
// that is down. The sites are clean until Attack; the demo seeder learns
// their baselines first, then the attack makes the monitors' first checks
// find what a real incident would look like. Nothing here leaves 127.0.0.1.
package demofarm

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Site keys: what each site of the farm does once attacked.
const (
	Normal  = "normal"  // stays as it is
	Defaced = "defaced" // its home page is replaced by the attacker's
	Cloaked = "cloaked" // Baiduspider gets a hidden gambling link
	Down    = "down"    // answers 503 Service Unavailable
)

// Keys lists the farm's sites in a fixed order.
var Keys = []string{Normal, Defaced, Cloaked, Down}

// Site is one website of the farm.
type Site struct {
	Key string
	// Path is the site's home page path; it names the site, so that a
	// monitor's URL says which site it watches.
	Path string
	URL  string
}

// Farm is the running farm.
type Farm struct {
	attacked atomic.Bool
	sites    []Site
	servers  []*http.Server
	wg       sync.WaitGroup
}

// Start serves every site on its own loopback listener. prefer maps a site
// key to the address it had at an earlier start (from its monitor's URL), so
// that the monitors stored then still reach it; a site whose address is
// taken, or new, gets a random port.
func Start(prefer map[string]string) (*Farm, error) {
	f := &Farm{}
	for _, key := range Keys {
		ln, err := listen(prefer[key])
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("demo site farm: %w", err)
		}
		path := "/" + key + "/"
		f.sites = append(f.sites, Site{Key: key, Path: path, URL: "http://" + ln.Addr().String() + path})
		srv := &http.Server{Handler: f.handler(key), ReadHeaderTimeout: 5 * time.Second}
		f.servers = append(f.servers, srv)
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				_ = err // the listener was closed under it: the farm is stopping
			}
		}()
	}
	return f, nil
}

// listen binds the preferred loopback address, or a random loopback port.
func listen(addr string) (net.Listener, error) {
	if host, _, err := net.SplitHostPort(addr); err == nil && host == "127.0.0.1" {
		if ln, err := net.Listen("tcp", addr); err == nil {
			return ln, nil
		}
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// Sites lists the farm's sites.
func (f *Farm) Sites() []Site { return append([]Site(nil), f.sites...) }

// Attack turns the farm into the demo's story: the defaced site shows its
// defacement, the cloaked site serves Baiduspider a hidden link, the down
// site fails. It cannot be undone but by restarting.
func (f *Farm) Attack() { f.attacked.Store(true) }

// Attacked reports whether Attack was called.
func (f *Farm) Attacked() bool { return f.attacked.Load() }

// Close stops every site and waits for them.
func (f *Farm) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var errs []error
	for _, s := range f.servers {
		if err := s.Shutdown(ctx); err != nil {
			errs = append(errs, s.Close())
		}
	}
	f.wg.Wait()
	return errors.Join(errs...)
}

func (f *Farm) handler(key string) http.Handler {
	path := "/" + key + "/"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		attacked := f.attacked.Load()
		if key == Down && attacked {
			http.Error(w, "503 Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		page := pages[key]
		switch {
		case key == Defaced && attacked:
			page = defacement
		case key == Cloaked && attacked && strings.Contains(r.UserAgent(), "Baiduspider"):
			page = strings.Replace(page, "<div id=\"footer\">", spiderLinks+"\n<div id=\"footer\">", 1)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, page)
	})
}
