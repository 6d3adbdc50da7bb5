// Package notifytest provides a real SMTP server on loopback for tests of
// e-mail delivery: STARTTLS or implicit TLS with a self-signed certificate,
// AUTH PLAIN/LOGIN, and the messages it accepted.
package notifytest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/notify"
)

// Cert is a self-signed certificate for 127.0.0.1 and the pool that trusts it.
func Cert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "fenghuo test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// Received is one message accepted by the test SMTP server.
type Received struct {
	From     string
	To       []string
	Data     string
	TLS      bool   // the session was encrypted when DATA was sent
	AuthUser string // who authenticated, if anyone
}

// SMTPServer is a small real SMTP server on loopback: greeting, EHLO,
// STARTTLS, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
type SMTPServer struct {
	Addr     *net.TCPAddr
	Pool     *x509.CertPool
	StartTLS bool // advertise and accept STARTTLS
	Implicit bool // the listener is TLS from the first byte
	User     string
	Pass     string
	// RejectRcpt returns a full reply line (e.g. "550 5.1.1 …") to refuse a recipient, or "".
	RejectRcpt func(addr string) string

	tlsConf *tls.Config
	ln      net.Listener
	wg      sync.WaitGroup
	mu      sync.Mutex
	mails   []Received
}

func StartSMTP(t testing.TB, srv *SMTPServer) *SMTPServer {
	t.Helper()
	cert, pool := Cert(t)
	srv.Pool = pool
	srv.tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Addr = ln.Addr().(*net.TCPAddr)
	if srv.Implicit {
		ln = tls.NewListener(ln, srv.tlsConf)
	}
	srv.ln = ln
	srv.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			srv.wg.Go(func() { srv.serve(c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		srv.wg.Wait()
	})
	return srv
}

func (s *SMTPServer) Mails() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.mails...)
}

func (s *SMTPServer) serve(conn net.Conn) {
	defer func() { conn.Close() }()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	reply := func(lines ...string) {
		for i, l := range lines {
			sep := "-"
			if i == len(lines)-1 {
				sep = " "
			}
			fmt.Fprintf(conn, "%s%s%s\r\n", l[:3], sep, l[min(4, len(l)):])
		}
	}
	readLine := func() (string, error) {
		l, err := r.ReadString('\n')
		return strings.TrimRight(l, "\r\n"), err
	}
	encrypted := s.Implicit
	authUser := ""
	var cur Received

	reply("220 mail.test ESMTP fenghuo test server")
	for {
		line, err := readLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			lines := []string{"250 mail.test greets " + arg}
			if s.StartTLS && !encrypted {
				lines = append(lines, "250 STARTTLS")
			}
			if s.User != "" {
				lines = append(lines, "250 AUTH PLAIN LOGIN")
			}
			lines = append(lines, "250 ENHANCEDSTATUSCODES")
			reply(lines...)
		case "HELO":
			reply("250 mail.test")
		case "STARTTLS":
			if !s.StartTLS || encrypted {
				reply("502 5.5.1 STARTTLS not available")
				continue
			}
			reply("220 2.0.0 Ready to start TLS")
			tc := tls.Server(conn, s.tlsConf)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, r, encrypted = tc, bufio.NewReader(tc), true
			authUser, cur = "", Received{} // RFC 3207: forget everything
		case "AUTH":
			if !encrypted {
				reply("538 5.7.11 Encryption required for requested authentication mechanism")
				continue
			}
			mech, initial, _ := strings.Cut(arg, " ")
			var user, pass string
			switch strings.ToUpper(mech) {
			case "PLAIN":
				if initial == "" {
					reply("334 ")
					if initial, err = readLine(); err != nil {
						return
					}
				}
				raw, _ := base64.StdEncoding.DecodeString(initial)
				parts := strings.Split(string(raw), "\x00")
				if len(parts) == 3 {
					user, pass = parts[1], parts[2]
				}
			case "LOGIN":
				reply("334 " + base64.StdEncoding.EncodeToString([]byte("Username:")))
				u64, _ := readLine()
				reply("334 " + base64.StdEncoding.EncodeToString([]byte("Password:")))
				p64, _ := readLine()
				u, _ := base64.StdEncoding.DecodeString(u64)
				p, _ := base64.StdEncoding.DecodeString(p64)
				user, pass = string(u), string(p)
			default:
				reply("504 5.5.4 Unrecognized authentication type")
				continue
			}
			if s.User == "" || user != s.User || pass != s.Pass {
				reply("535 5.7.8 Authentication credentials invalid")
				continue
			}
			authUser = user
			reply("235 2.7.0 Authentication successful")
		case "MAIL":
			if s.User != "" && authUser == "" {
				reply("530 5.7.0 Authentication required")
				continue
			}
			cur = Received{From: angle(arg), AuthUser: authUser}
			reply("250 2.1.0 Ok")
		case "RCPT":
			addr := angle(arg)
			if s.RejectRcpt != nil {
				if rej := s.RejectRcpt(addr); rej != "" {
					reply(rej)
					continue
				}
			}
			cur.To = append(cur.To, addr)
			reply("250 2.1.5 Ok")
		case "DATA":
			if cur.From == "" || len(cur.To) == 0 {
				reply("503 5.5.1 Bad sequence of commands")
				continue
			}
			reply("354 End data with <CR><LF>.<CR><LF>")
			var data strings.Builder
			for {
				l, err := readLine()
				if err != nil {
					return
				}
				if l == "." {
					break
				}
				data.WriteString(strings.TrimPrefix(l, ".") + "\r\n") // undo dot-stuffing
			}
			cur.Data, cur.TLS = data.String(), encrypted
			s.mu.Lock()
			s.mails = append(s.mails, cur)
			s.mu.Unlock()
			cur = Received{}
			reply("250 2.0.0 Ok: queued")
		case "RSET":
			cur = Received{}
			reply("250 2.0.0 Ok")
		case "NOOP":
			reply("250 2.0.0 Ok")
		case "QUIT":
			reply("221 2.0.0 Bye")
			return
		default:
			reply("502 5.5.2 Command not recognized")
		}
	}
}

// angle extracts the address from "FROM:<a@b> PARAM=…".
func angle(arg string) string {
	_, rest, ok := strings.Cut(arg, "<")
	if !ok {
		return ""
	}
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

// SMTPConfig points a Sender's SMTP settings at srv.
func SMTPConfig(srv *SMTPServer, mode string) notify.SMTP {
	return notify.SMTP{
		Host:    "127.0.0.1",
		Port:    srv.Addr.Port,
		TLS:     mode,
		From:    "烽火平台 <fenghuo@example.gov.cn>",
		RootCAs: srv.Pool,
		Timeout: 5 * time.Second,
	}
}

// ParseMail decodes a Received message's subject and plain-text body.
func ParseMail(t testing.TB, data string) (subject, body string, header mail.Header) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, data)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	var rd io.Reader = m.Body
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		rd = quotedprintable.NewReader(rd)
	case "base64":
		rd = base64.NewDecoder(base64.StdEncoding, rd)
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatalf("decode body: %v", err)
	}
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n"), m.Header
}
