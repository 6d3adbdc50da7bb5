// Package notify delivers Fenghuo notifications (new warnings, reports due,
// reminders, overdue escalations, duty changes) over e-mail and work-chat bot
// webhooks. It is pure transport: Send delivers one message over one channel
// exactly once and returns an error that says what went wrong; retrying,
// backoff and delivery logs belong to the caller, which can ask Permanent
// whether a retry can help.
//
// # Channels
//
//   - "email": SMTP via go-mail, with mandatory STARTTLS or implicit TLS
//     (plain text is allowed only to a loopback relay).
//   - "wecom": 企业微信 group bot webhook, markdown message.
//   - "dingtalk": 钉钉 custom robot with 加签: the webhook URL gets
//     timestamp (milliseconds) and sign = base64(HMAC-SHA256(secret,
//     timestamp+"\n"+secret)) query parameters.
//   - "feishu": 飞书 custom bot with 签名校验: the body carries timestamp
//     (seconds) and sign = base64(HMAC-SHA256(key=timestamp+"\n"+secret,
//     message="")).
//   - "webhook": a generic JSON webhook signed with HMAC-SM3, described below.
//
// # Generic webhook
//
// The request is an HTTP POST with Content-Type application/json and the body
//
//	{"title":"…","text":"…","link":"…","sent_at":"2025-01-02T15:04:05+08:00"}
//
// where sent_at is RFC 3339 and link may be the empty string. Two headers
// authenticate it:
//
//	X-Fenghuo-Timestamp: <unix seconds>
//	X-Fenghuo-Signature: sm3=<lower-case hex of HMAC-SM3(key=secret, message=timestamp + "." + body)>
//
// HMAC-SM3 is HMAC (RFC 2104) over the SM3 hash (GB/T 32905-2016), the body
// is the exact bytes received, and the timestamp is the header's decimal
// string. A receiver should check the signature with VerifyWebhook (or an
// equivalent constant-time comparison), reject timestamps more than a few
// minutes from its own clock to limit replays, and answer any 2xx status
// to acknowledge the message. Anything else counts as a failed delivery.
package notify

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Message is one notification.
type Message struct {
	Title string // short, Chinese, e.g. "橙色预警:WebLogic 远程代码执行漏洞"
	Text  string // body, plain text, may be multi-line
	Link  string // absolute URL to open (e.g. an acknowledge link), may be empty
	// ID names this delivery, the same on every attempt and from every
	// replica: the generic webhook sends it as X-Fenghuo-Delivery and
	// e-mail as the Message-ID, so a receiver can drop a repeat (a replica
	// that dies after the receiver answered and before it recorded the
	// delivery leaves it to be sent again). Empty: none is sent.
	ID string
}

// Kinds of channel.
const (
	KindEmail    = "email"
	KindWeCom    = "wecom"    // 企业微信 group bot webhook
	KindDingTalk = "dingtalk" // 钉钉 custom robot, signed ("加签")
	KindFeishu   = "feishu"   // 飞书 custom bot, signed
	KindWebhook  = "webhook"  // generic JSON webhook signed with HMAC-SM3
)

// Channel is where a message goes.
type Channel struct {
	Kind   string
	Target string // e-mail: comma-separated addresses; others: the webhook URL
	Secret string // DingTalk/Feishu signing secret; generic webhook HMAC key; empty allowed for WeCom
}

// SMTP is the server's outgoing mail configuration.
type SMTP struct {
	Host     string
	Port     int    // 0 means 587 for "starttls", 465 for "tls", 25 for "none"
	TLS      string // "starttls" (required STARTTLS), "tls" (implicit TLS, usually port 465), "none" (only allowed when Host is a loopback address)
	Username string // optional; when set, authenticate (PLAIN or LOGIN) — only over TLS
	Password string
	From     string // e.g. "烽火平台 <fenghuo@example.gov.cn>"
	// RootCAs, when non-nil, verifies the server certificate (tests use this for a self-signed loopback server).
	RootCAs *x509.CertPool
	Timeout time.Duration // per connection; 0 means 15 s
}

// Sender delivers messages.
type Sender struct {
	SMTP SMTP
	// Client sends webhooks; nil → a client with a 15 s timeout that refuses
	// loopback and link-local destinations (see guard.go).
	Client *http.Client
	Now    func() time.Time // for signatures' timestamps; nil → time.Now
	// AllowLoopback lets webhooks reach this machine's own addresses: a
	// receiver on the same host, or tests.
	AllowLoopback bool
}

// defaultTimeout bounds one delivery attempt when nothing else is configured.
const defaultTimeout = 15 * time.Second

// Send delivers msg over ch. It returns nil only when the far end accepted it
// (SMTP 250 after DATA; webhook HTTP 2xx AND, for WeCom/DingTalk/Feishu, the JSON body's errcode/code == 0).
func (s *Sender) Send(ctx context.Context, ch Channel, msg Message) error {
	if err := Validate(ch); err != nil {
		return permanent(fmt.Errorf("notify: %s: %w", kindName(ch.Kind), err))
	}
	var err error
	switch ch.Kind {
	case KindEmail:
		err = s.sendEmail(ctx, ch, msg)
	case KindWeCom:
		err = s.sendWeCom(ctx, ch, msg)
	case KindDingTalk:
		err = s.sendDingTalk(ctx, ch, msg)
	case KindFeishu:
		err = s.sendFeishu(ctx, ch, msg)
	case KindWebhook:
		err = s.sendWebhook(ctx, ch, msg)
	}
	if err != nil {
		return fmt.Errorf("notify: %s: %w", ch.Kind, err)
	}
	return nil
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) client() *http.Client {
	switch {
	case s.Client != nil:
		return s.Client
	case s.AllowLoopback:
		return loopbackClient
	}
	return defaultClient
}

func kindName(kind string) string {
	if kind == "" {
		return "channel"
	}
	return kind
}

// permanentError marks an error that retrying cannot fix, such as a
// channel or server configuration the far end will never accept.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func permanent(err error) error { return &permanentError{err: err} }

// statusError is a webhook answer outside 2xx.
type statusError struct {
	Code int
	Body string // a short prefix of the response body, for the log
}

func (e *statusError) Error() string {
	if e.Body == "" {
		return fmt.Sprintf("HTTP %d", e.Code)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Code, e.Body)
}

// apiError is a vendor's non-zero errcode/code in an HTTP 2xx answer.
type apiError struct {
	Field     string // "errcode" or "code"
	Code      int
	Msg       string
	permanent bool
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %d: %s", e.Field, e.Code, e.Msg)
}

// Permanent reports whether err will not get better by retrying (bad address rejected with 5xx, 4xx HTTP except 408/429, errcode meaning bad token/sign). Retry everything else.
//
// In detail, these are permanent: a channel or SMTP configuration that
// Validate or Send rejects before contacting anyone; any SMTP 5xx reply
// (rejected recipient or sender, failed authentication, refused message);
// an HTTP 4xx answer other than 408 and 429; and the vendor error codes
// that mean a wrong webhook key, token, signature, keyword or IP allow-list,
// or a message the vendor will never accept. Network errors, timeouts,
// TLS failures, HTTP 5xx/408/429, SMTP 4xx and rate-limit or "system busy"
// error codes are worth retrying.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	var pe *permanentError
	if errors.As(err, &pe) {
		return true
	}
	var se *statusError
	if errors.As(err, &se) {
		return se.Code >= 400 && se.Code < 500 &&
			se.Code != http.StatusRequestTimeout && se.Code != http.StatusTooManyRequests
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.permanent
	}
	var me *mail.SendError
	if errors.As(err, &me) && me.ErrorCode() >= 500 {
		return true
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 500 && te.Code < 600
	}
	return false
}
