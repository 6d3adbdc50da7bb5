package notify_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"fenghuo/internal/notify"
	"fenghuo/internal/notify/notifytest"
)

var testMessage = notify.Message{
	Title: "橙色预警:WebLogic 远程代码执行漏洞",
	Text:  "请各单位于 24 小时内完成排查。\n涉及版本:12.2.1.4、14.1.1.0。",
	Link:  "https://fenghuo.example.gov.cn/warnings/42/ack?token=abc&lang=zh",
}

func TestEmailStartTLS(t *testing.T) {
	srv := notifytest.StartSMTP(t, &notifytest.SMTPServer{StartTLS: true, User: "fenghuo", Pass: "口令-s3cret"})
	cfg := notifytest.SMTPConfig(srv, "starttls")
	cfg.Username, cfg.Password = "fenghuo", "口令-s3cret"
	s := &notify.Sender{SMTP: cfg}

	ch := notify.Channel{Kind: notify.KindEmail, Target: "duty@example.gov.cn, 张三 <zhangsan@example.gov.cn>"}
	if err := s.Send(context.Background(), ch, testMessage); err != nil {
		t.Fatalf("Send: %v", err)
	}
	mails := srv.Mails()
	if len(mails) != 1 {
		t.Fatalf("server got %d messages, want 1", len(mails))
	}
	got := mails[0]
	if !got.TLS {
		t.Error("DATA was sent before STARTTLS")
	}
	if got.AuthUser != "fenghuo" {
		t.Errorf("authenticated as %q, want fenghuo", got.AuthUser)
	}
	if got.From != "fenghuo@example.gov.cn" {
		t.Errorf("MAIL FROM %q", got.From)
	}
	if want := []string{"duty@example.gov.cn", "zhangsan@example.gov.cn"}; strings.Join(got.To, ",") != strings.Join(want, ",") {
		t.Errorf("RCPT TO %v, want %v", got.To, want)
	}
	subject, body, h := notifytest.ParseMail(t, got.Data)
	if subject != testMessage.Title {
		t.Errorf("Subject = %q, want %q", subject, testMessage.Title)
	}
	if !strings.Contains(body, "请各单位于 24 小时内完成排查。") {
		t.Errorf("body lacks the text:\n%s", body)
	}
	if !strings.Contains("\n"+body, "\n"+testMessage.Link+"\n") {
		t.Errorf("body lacks the link on its own line:\n%s", body)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
		t.Errorf("Content-Type = %q", ct)
	}
	if to := h.Get("To"); !strings.Contains(to, "duty@example.gov.cn") || !strings.Contains(to, "zhangsan@example.gov.cn") {
		t.Errorf("To = %q", to)
	}
}

func TestEmailImplicitTLS(t *testing.T) {
	srv := notifytest.StartSMTP(t, &notifytest.SMTPServer{Implicit: true, User: "fenghuo", Pass: "pw"})
	cfg := notifytest.SMTPConfig(srv, "tls")
	cfg.Username, cfg.Password = "fenghuo", "pw"
	s := &notify.Sender{SMTP: cfg}
	ch := notify.Channel{Kind: notify.KindEmail, Target: "duty@example.gov.cn"}
	if err := s.Send(context.Background(), ch, testMessage); err != nil {
		t.Fatalf("Send: %v", err)
	}
	mails := srv.Mails()
	if len(mails) != 1 || !mails[0].TLS || mails[0].AuthUser != "fenghuo" {
		t.Fatalf("got %+v, want one message over TLS from fenghuo", mails)
	}
	if subject, _, _ := notifytest.ParseMail(t, mails[0].Data); subject != testMessage.Title {
		t.Errorf("Subject = %q", subject)
	}
}

func TestEmailStartTLSRequired(t *testing.T) {
	srv := notifytest.StartSMTP(t, &notifytest.SMTPServer{StartTLS: false})
	s := &notify.Sender{SMTP: notifytest.SMTPConfig(srv, "starttls")}
	ch := notify.Channel{Kind: notify.KindEmail, Target: "duty@example.gov.cn"}
	err := s.Send(context.Background(), ch, testMessage)
	if err == nil {
		t.Fatal("Send succeeded although the server does not offer STARTTLS")
	}
	if !strings.Contains(err.Error(), "STARTTLS") || !strings.HasPrefix(err.Error(), "notify: email: ") {
		t.Errorf("error = %q", err)
	}
	if n := len(srv.Mails()); n != 0 {
		t.Errorf("server got %d messages in clear text", n)
	}
}

func TestEmailUntrustedCertificate(t *testing.T) {
	srv := notifytest.StartSMTP(t, &notifytest.SMTPServer{StartTLS: true})
	cfg := notifytest.SMTPConfig(srv, "starttls")
	cfg.RootCAs = x509.NewCertPool() // trusts nothing
	s := &notify.Sender{SMTP: cfg}
	err := s.Send(context.Background(), notify.Channel{Kind: notify.KindEmail, Target: "duty@example.gov.cn"}, testMessage)
	if err == nil || len(srv.Mails()) != 0 {
		t.Fatalf("Send = %v with %d messages; want a certificate error and nothing sent", err, len(srv.Mails()))
	}
}

func TestEmailRejectedRecipient(t *testing.T) {
	srv := notifytest.StartSMTP(t, &notifytest.SMTPServer{StartTLS: true, RejectRcpt: func(addr string) string {
		switch addr {
		case "nobody@example.gov.cn":
			return "550 5.1.1 <nobody@example.gov.cn>: Recipient address rejected: User unknown"
		case "full@example.gov.cn":
			return "452 4.2.2 <full@example.gov.cn>: Mailbox full"
		}
		return ""
	}})
	s := &notify.Sender{SMTP: notifytest.SMTPConfig(srv, "starttls")}

	err := s.Send(context.Background(), notify.Channel{Kind: notify.KindEmail, Target: "nobody@example.gov.cn"}, testMessage)
	if err == nil {
		t.Fatal("Send succeeded although RCPT was refused")
	}
	if !notify.Permanent(err) {
		t.Errorf("550 on RCPT is not Permanent: %v", err)
	}
	if !strings.Contains(err.Error(), "550") {
		t.Errorf("error does not show the reply: %v", err)
	}

	err = s.Send(context.Background(), notify.Channel{Kind: notify.KindEmail, Target: "full@example.gov.cn"}, testMessage)
	if err == nil || notify.Permanent(err) {
		t.Errorf("452 on RCPT: err = %v, Permanent = %v; want a retryable error", err, notify.Permanent(err))
	}
	if n := len(srv.Mails()); n != 0 {
		t.Errorf("server got %d messages", n)
	}
}

func TestEmailWrongPasswordIsPermanent(t *testing.T) {
	srv := notifytest.StartSMTP(t, &notifytest.SMTPServer{StartTLS: true, User: "fenghuo", Pass: "right"})
	cfg := notifytest.SMTPConfig(srv, "starttls")
	cfg.Username, cfg.Password = "fenghuo", "wrong"
	s := &notify.Sender{SMTP: cfg}
	err := s.Send(context.Background(), notify.Channel{Kind: notify.KindEmail, Target: "duty@example.gov.cn"}, testMessage)
	if err == nil || !notify.Permanent(err) {
		t.Errorf("err = %v, Permanent = %v; want a permanent 535", err, notify.Permanent(err))
	}
}

func TestEmailPlainOnlyToLoopback(t *testing.T) {
	srv := notifytest.StartSMTP(t, &notifytest.SMTPServer{})
	s := &notify.Sender{SMTP: notifytest.SMTPConfig(srv, "none")}
	ch := notify.Channel{Kind: notify.KindEmail, Target: "duty@example.gov.cn"}
	if err := s.Send(context.Background(), ch, testMessage); err != nil {
		t.Fatalf("Send to a loopback relay without TLS: %v", err)
	}
	if m := srv.Mails(); len(m) != 1 || m[0].TLS {
		t.Fatalf("got %+v, want one clear-text message", m)
	}

	s.SMTP.Host = "smtp.example.gov.cn"
	err := s.Send(context.Background(), ch, testMessage)
	if err == nil || !notify.Permanent(err) {
		t.Errorf("TLS none to a remote host: err = %v, Permanent = %v", err, notify.Permanent(err))
	}
}

func TestEmailHonoursContext(t *testing.T) {
	// A server that accepts and then says nothing.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(io.Discard, c) // until the client hangs up
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })

	s := &notify.Sender{SMTP: notify.SMTP{
		Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, TLS: "starttls",
		From: "fenghuo@example.gov.cn", Timeout: 10 * time.Second,
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, notify.Channel{Kind: notify.KindEmail, Target: "duty@example.gov.cn"}, testMessage)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send took %v after its context ended", d)
	}
}

// A message with an ID carries it as its Message-ID, the same on every
// attempt, so that a mail system can drop a repeat; without one each
// message gets a new random Message-ID.
func TestEmailMessageIDOfADelivery(t *testing.T) {
	srv := notifytest.StartSMTP(t, &notifytest.SMTPServer{StartTLS: true})
	s := &notify.Sender{SMTP: notifytest.SMTPConfig(srv, "starttls")}
	ch := notify.Channel{Kind: notify.KindEmail, Target: "duty@example.gov.cn"}
	msg := testMessage
	msg.ID = "fenghuo-delivery-42"
	for range 2 {
		if err := s.Send(context.Background(), ch, msg); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	if err := s.Send(context.Background(), ch, testMessage); err != nil {
		t.Fatalf("Send: %v", err)
	}
	mails := srv.Mails()
	if len(mails) != 3 {
		t.Fatalf("server got %d messages, want 3", len(mails))
	}
	var ids []string
	for _, m := range mails {
		_, _, h := notifytest.ParseMail(t, m.Data)
		ids = append(ids, h.Get("Message-ID"))
	}
	if want := "<fenghuo-delivery-42@example.gov.cn>"; ids[0] != want || ids[1] != want {
		t.Errorf("Message-IDs of the two attempts %q, %q; want %q", ids[0], ids[1], want)
	}
	if ids[2] == "" || ids[2] == ids[0] {
		t.Errorf("Message-ID without a delivery ID: %q", ids[2])
	}
}
