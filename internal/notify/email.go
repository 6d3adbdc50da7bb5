package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"

	mail "github.com/wneessen/go-mail"
)

// SMTP transport security modes.
const (
	smtpStartTLS = "starttls"
	smtpTLS      = "tls"
	smtpNone     = "none"
)

func (s *Sender) sendEmail(ctx context.Context, ch Channel, msg Message) error {
	cfg := s.SMTP
	cfg.Host = strings.TrimSpace(cfg.Host)

	// go-mail leaves the connection open when a session fails before QUIT
	// (no STARTTLS offered, bad certificate, AUTH refused), and only
	// honours ctx while dialling. Dial ourselves so that the connection
	// can be closed in both cases.
	var (
		mu   sync.Mutex
		conn net.Conn
	)
	closeConn := func() {
		mu.Lock()
		defer mu.Unlock()
		if conn != nil {
			conn.Close()
		}
	}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		var c net.Conn
		var err error
		if cfg.TLS == smtpTLS {
			c, err = (&tls.Dialer{Config: cfg.tlsConfig()}).DialContext(ctx, network, addr)
		} else {
			c, err = new(net.Dialer).DialContext(ctx, network, addr)
		}
		if err == nil {
			mu.Lock()
			conn = c
			mu.Unlock()
		}
		return c, err
	}

	opts, err := cfg.options(dial)
	if err != nil {
		return permanent(err)
	}
	rcpts, err := parseRecipients(ch.Target)
	if err != nil {
		return permanent(err)
	}

	m := mail.NewMsg()
	if err := m.From(cfg.From); err != nil {
		return permanent(fmt.Errorf("SMTP sender address %q: %w", cfg.From, err))
	}
	m.ToMailAddress(rcpts...)
	m.Subject(msg.Title) // go-mail encodes non-ASCII as an RFC 2047 UTF-8 word
	m.SetDateWithValue(s.now())
	if _, domain, ok := strings.Cut(cfg.From, "@"); ok && msg.ID != "" {
		// The same Message-ID for every attempt of one delivery.
		m.SetMessageIDWithValue(msg.ID + "@" + strings.Trim(domain, "<> "))
	} else {
		m.SetMessageID()
	}
	m.SetBodyString(mail.TypeTextPlain, emailBody(msg))

	client, err := mail.NewClient(cfg.Host, opts...)
	if err != nil {
		return permanent(fmt.Errorf("SMTP client: %w", err))
	}
	stop := context.AfterFunc(ctx, closeConn)
	err = client.DialAndSendWithContext(ctx, m)
	stop()
	closeConn() // harmless after a QUIT
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return fmt.Errorf("SMTP %s: %w", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.port())), err)
	}
	return nil
}

// emailBody is the plain-text body: the text, then the link on its own line.
func emailBody(msg Message) string {
	var b strings.Builder
	b.WriteString(strings.TrimRight(msg.Text, "\r\n"))
	b.WriteString("\n")
	if msg.Link != "" {
		b.WriteString("\n")
		b.WriteString(msg.Link)
		b.WriteString("\n")
	}
	return b.String()
}

func (c SMTP) port() int {
	if c.Port != 0 {
		return c.Port
	}
	switch c.TLS {
	case smtpTLS:
		return 465
	case smtpNone:
		return 25
	default:
		return 587
	}
}

// options turns the configuration into go-mail client options, refusing
// anything that would send mail or credentials in clear text off-host.
func (c SMTP) options(dial mail.DialContextFunc) ([]mail.Option, error) {
	host := c.Host
	if strings.TrimSpace(host) == "" {
		return nil, errors.New("no SMTP server is configured. / 未配置发信服务器（SMTP）。")
	}
	if strings.TrimSpace(c.From) == "" {
		return nil, errors.New("no sender address (From) is configured for SMTP. / 未配置发件人地址。")
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	opts := []mail.Option{
		mail.WithPort(c.port()),
		mail.WithTimeout(timeout),
		mail.WithTLSConfig(c.tlsConfig()),
		mail.WithDialContextFunc(dial),
	}
	switch c.TLS {
	case smtpStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case smtpTLS:
		// The dial function does the TLS handshake; WithSSL keeps go-mail
		// from attempting STARTTLS inside it.
		opts = append(opts, mail.WithSSL())
	case smtpNone:
		if !isLoopback(host) {
			return nil, fmt.Errorf("SMTP without TLS is only allowed to a loopback relay, not %q; use \"starttls\" or \"tls\". / 仅在发信服务器为本机回环地址时允许不加密，%q 请使用 starttls 或 tls。", host, host)
		}
		if c.Username != "" {
			return nil, errors.New("SMTP authentication needs TLS; use \"starttls\" or \"tls\". / SMTP 认证必须在 TLS 加密连接上进行，请使用 starttls 或 tls。")
		}
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		return nil, fmt.Errorf("unknown SMTP TLS mode %q; use \"starttls\", \"tls\" or \"none\". / 未知的 SMTP 加密方式 %q，可选 starttls、tls、none。", c.TLS, c.TLS)
	}
	if c.Username != "" {
		opts = append(opts,
			mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlain, mail.SMTPAuthLogin),
			mail.WithUsername(c.Username),
			mail.WithPassword(c.Password),
		)
	}
	return opts, nil
}

func (c SMTP) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName: c.Host,
		RootCAs:    c.RootCAs,
		MinVersion: tls.VersionTLS12,
	}
}

// isLoopback reports whether host names this machine's loopback interface.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
