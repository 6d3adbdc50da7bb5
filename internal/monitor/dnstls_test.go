package monitor_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/monitor"
	"fenghuo/internal/store"
)

// A DNS answer changed on a loopback resolver raises a hijack alert.
func TestDNSHijack(t *testing.T) {
	var answer atomic.Value
	answer.Store("192.0.2.10")
	mux := dns.NewServeMux()
	mux.HandleFunc(".", func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		q := r.Question[0]
		switch q.Qtype {
		case dns.TypeA:
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.ParseIP(answer.Load().(string))})
		case dns.TypeNS:
			m.Answer = append(m.Answer, &dns.NS{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 60}, Ns: "ns1.school.example.cn."})
		}
		w.WriteMsg(m)
	})
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: mux}
	go srv.ActivateAndServe()
	defer srv.Shutdown()

	e := apptest.New(t)
	ctx := context.Background()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html><body>ok</body></html>")) }))
	defer site.Close()
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "门户网站"}
	e.DB.CreateSystem(ctx, sys)
	// The URL names the site by a host the loopback resolver answers for;
	// the fetch itself goes to the test site's address.
	m := &store.Monitor{SystemID: sys.ID, URL: site.URL + "/", Checks: []string{"availability"}, Interval: 5 * time.Minute,
		NextDueAt: e.Clock.Now(), Resolvers: []string{pc.LocalAddr().String()}}
	if err := e.DB.CreateMonitor(ctx, m); err != nil {
		t.Fatal(err)
	}
	svc := &monitor.Service{DB: e.DB, Sink: e.App.Monitoring.MonitorSink(), Now: e.Clock.Now, AllowLoopback: true}
	runFor(t, e, svc, 10*time.Minute, 5*time.Minute)
	if got := incidentsOf(t, e); len(got) != 0 {
		t.Fatalf("a steady answer raised %d incidents", len(got))
	}
	answer.Store("203.0.113.66")
	runFor(t, e, svc, 5*time.Minute, 5*time.Minute)
	var found bool
	for _, inc := range incidentsOf(t, e) {
		found = found || strings.HasPrefix(inc.Title, "域名劫持") && strings.Contains(inc.Description, "203.0.113.66")
	}
	if !found {
		t.Fatalf("no 域名劫持 draft: %+v", incidentsOf(t, e))
	}
}

func newCA(t *testing.T, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert, key
}

func leaf(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey) tls.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// A rotated certificate with a new key raises an alert.
func TestCertificateRotation(t *testing.T) {
	ca, caKey := newCA(t, "测试CA")
	var current atomic.Value
	current.Store(leaf(t, ca, caKey))
	site := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html><body>ok</body></html>")) }))
	// GetConfigForClient runs for every handshake (GetCertificate would not:
	// a client dialling an IP sends no server name).
	site.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return &tls.Config{Certificates: []tls.Certificate{current.Load().(tls.Certificate)}}, nil
	}}
	site.StartTLS()
	defer site.Close()
	roots := x509.NewCertPool()
	roots.AddCert(ca)

	e := apptest.New(t)
	ctx := context.Background()
	sys := &fenghuo.System{OrgID: e.Orgs["school"].ID, Name: "HTTPS门户"}
	e.DB.CreateSystem(ctx, sys)
	m := &store.Monitor{SystemID: sys.ID, URL: site.URL + "/", Checks: []string{"availability"}, Interval: 5 * time.Minute, NextDueAt: e.Clock.Now()}
	if err := e.DB.CreateMonitor(ctx, m); err != nil {
		t.Fatal(err)
	}
	svc := &monitor.Service{DB: e.DB, Sink: e.App.Monitoring.MonitorSink(), Now: e.Clock.Now, Client: monitor.NewClient(5*time.Second, roots, true)}
	if _, err := svc.Client.Get(site.URL); err != nil {
		t.Fatalf("the test CA is not trusted: %v", err)
	}
	runFor(t, e, svc, 10*time.Minute, 5*time.Minute)
	if got := incidentsOf(t, e); len(got) != 0 {
		t.Fatalf("a steady certificate raised %d incidents", len(got))
	}
	current.Store(leaf(t, ca, caKey)) // same issuer, new key
	site.Client().CloseIdleConnections()
	svc.Client.CloseIdleConnections()
	runFor(t, e, svc, 5*time.Minute, 5*time.Minute)
	var found bool
	for _, inc := range incidentsOf(t, e) {
		found = found || strings.HasPrefix(inc.Title, "证书异常变更")
	}
	if !found {
		t.Fatalf("no certificate alert: %+v", incidentsOf(t, e))
	}
}
