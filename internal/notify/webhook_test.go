package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"fenghuo/internal/notify"
)

// The receivers below check requests the way the vendors document it:
// they recompute the signature from their own copy of the secret and
// refuse timestamps more than an hour from their clock.

const maxSkew = time.Hour

func within(ts time.Time) bool {
	d := time.Since(ts)
	return d <= maxSkew && d >= -maxSkew
}

func writeJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, body)
}

// inbox records what a receiver accepted.
type inbox struct {
	mu   sync.Mutex
	msgs []string
}

func (b *inbox) add(s string) { b.mu.Lock(); b.msgs = append(b.msgs, s); b.mu.Unlock() }
func (b *inbox) all() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.msgs...)
}

// wecomReceiver acts as a 企业微信 group bot with webhook key.
func wecomReceiver(t *testing.T, key string, box *inbox) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path != "/cgi-bin/webhook/send" || r.URL.Query().Get("key") != key {
			writeJSON(w, `{"errcode":93000,"errmsg":"invalid webhook url, hint: [1700000000_1_abc], from ip: 127.0.0.1"}`)
			return
		}
		var req struct {
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Content string `json:"content"`
			} `json:"markdown"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.MsgType != "markdown" {
			writeJSON(w, `{"errcode":40008,"errmsg":"invalid message type"}`)
			return
		}
		box.add(req.Markdown.Content)
		writeJSON(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// dingtalkReceiver acts as a 钉钉 custom robot with 加签.
func dingtalkReceiver(t *testing.T, token, secret string, box *inbox) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("access_token") != token {
			writeJSON(w, `{"errcode":300005,"errmsg":"token is not exist"}`)
			return
		}
		ms, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		if err != nil || !within(time.UnixMilli(ms)) {
			writeJSON(w, `{"errcode":310000,"errmsg":"sign not match, more: [timestamp is too old]"}`)
			return
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(q.Get("timestamp") + "\n" + secret))
		want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if q.Get("sign") != want { // Query() undoes the URL encoding
			writeJSON(w, `{"errcode":310000,"errmsg":"sign not match"}`)
			return
		}
		var req struct {
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Title string `json:"title"`
				Text  string `json:"text"`
			} `json:"markdown"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.MsgType != "markdown" || req.Markdown.Title == "" {
			writeJSON(w, `{"errcode":400105,"errmsg":"不支持的消息类型"}`)
			return
		}
		box.add(req.Markdown.Title + "\n" + req.Markdown.Text)
		writeJSON(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// feishuReceiver acts as a 飞书 custom bot with 签名校验; oldReply answers
// in the older StatusCode format.
func feishuReceiver(t *testing.T, secret string, oldReply bool, box *inbox) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Timestamp string          `json:"timestamp"`
			Sign      string          `json:"sign"`
			MsgType   string          `json:"msg_type"`
			Content   json.RawMessage `json:"content"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeJSON(w, `{"code":9499,"data":{},"msg":"Bad Request"}`)
			return
		}
		sec, err := strconv.ParseInt(req.Timestamp, 10, 64)
		mac := hmac.New(sha256.New, []byte(req.Timestamp+"\n"+secret))
		want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if err != nil || !within(time.Unix(sec, 0)) || req.Sign != want {
			writeJSON(w, `{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}`)
			return
		}
		if req.MsgType != "post" && req.MsgType != "text" {
			writeJSON(w, `{"code":9499,"data":{},"msg":"Bad Request"}`)
			return
		}
		box.add(string(req.Content))
		if oldReply {
			writeJSON(w, `{"Extra":null,"StatusCode":0,"StatusMessage":"success"}`)
			return
		}
		writeJSON(w, `{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// genericReceiver acts as a customer's endpoint for the HMAC-SM3 webhook.
func genericReceiver(t *testing.T, secret string, box *inbox) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		ts := r.Header.Get("X-Fenghuo-Timestamp")
		sig := r.Header.Get("X-Fenghuo-Signature")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || !within(time.Unix(sec, 0)) {
			http.Error(w, "stale timestamp", http.StatusUnauthorized)
			return
		}
		mac := hmac.New(sm3.New, []byte(secret))
		mac.Write([]byte(ts + "." + string(body)))
		want := "sm3=" + hex.EncodeToString(mac.Sum(nil))
		ok := hmac.Equal([]byte(sig), []byte(want))
		if ok != notify.VerifyWebhook(secret, ts, body, sig) {
			t.Errorf("VerifyWebhook disagrees with an independent HMAC-SM3 (independent: %v)", ok)
		}
		if !ok {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		box.add(string(body))
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// hoursAgo is a clock running two hours late.
func hoursAgo() time.Time { return time.Now().Add(-2 * time.Hour) }

func TestWeCom(t *testing.T) {
	box := &inbox{}
	srv := wecomReceiver(t, "k-123", box)
	s := &notify.Sender{AllowLoopback: true}
	ctx := context.Background()

	ch := notify.Channel{Kind: notify.KindWeCom, Target: srv.URL + "/cgi-bin/webhook/send?key=k-123"}
	if err := s.Send(ctx, ch, testMessage); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := box.all()
	if len(msgs) != 1 {
		t.Fatalf("receiver got %d messages", len(msgs))
	}
	want := "**" + testMessage.Title + "**\n" + testMessage.Text + "\n[打开](" + testMessage.Link + ")"
	if msgs[0] != want {
		t.Errorf("content =\n%q\nwant\n%q", msgs[0], want)
	}

	ch.Target = srv.URL + "/cgi-bin/webhook/send?key=wrong"
	err := s.Send(ctx, ch, testMessage)
	if err == nil || !strings.Contains(err.Error(), "notify: wecom: errcode 93000: invalid webhook url") {
		t.Errorf("wrong key: err = %v", err)
	}
	if !notify.Permanent(err) {
		t.Errorf("errcode 93000 is not Permanent")
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error leaks the webhook key: %v", err)
	}
}

func TestDingTalk(t *testing.T) {
	const secret = "SECb6d0a3f0c1e2d3c4b5a69788796a5b4c3d2e1f0"
	box := &inbox{}
	srv := dingtalkReceiver(t, "tok", secret, box)
	ctx := context.Background()
	ch := notify.Channel{Kind: notify.KindDingTalk, Target: srv.URL + "/robot/send?access_token=tok", Secret: secret}

	// Many timestamps, so that signatures with '+', '/' and '=' occur and
	// must survive URL encoding.
	for i := range 20 {
		at := time.Now().Add(time.Duration(i) * 7919 * time.Millisecond)
		s := &notify.Sender{AllowLoopback: true, Now: func() time.Time { return at }}
		if err := s.Send(ctx, ch, testMessage); err != nil {
			t.Fatalf("Send #%d: %v", i, err)
		}
	}
	msgs := box.all()
	if len(msgs) != 20 {
		t.Fatalf("receiver got %d messages, want 20", len(msgs))
	}
	for _, want := range []string{testMessage.Title, "请各单位于 24 小时内完成排查。", "[打开](" + testMessage.Link + ")"} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("message lacks %q:\n%s", want, msgs[0])
		}
	}

	s := &notify.Sender{AllowLoopback: true}
	bad := ch
	bad.Secret = "SECwrong"
	err := s.Send(ctx, bad, testMessage)
	if err == nil || !strings.Contains(err.Error(), "notify: dingtalk: errcode 310000: sign not match") {
		t.Errorf("wrong secret: err = %v", err)
	}
	if !notify.Permanent(err) {
		t.Errorf("errcode 310000 is not Permanent")
	}

	late := &notify.Sender{AllowLoopback: true, Now: hoursAgo}
	if err := late.Send(ctx, ch, testMessage); err == nil {
		t.Error("a two-hour-old timestamp was accepted")
	}

	bad = ch
	bad.Target = srv.URL + "/robot/send?access_token=nope"
	if err := s.Send(ctx, bad, testMessage); err == nil || !notify.Permanent(err) {
		t.Errorf("unknown token: err = %v, Permanent = %v", err, notify.Permanent(err))
	}
	if len(box.all()) != 20 {
		t.Error("a rejected message was delivered")
	}
}

func TestFeishu(t *testing.T) {
	const secret = "fs-secret-9f8e7d"
	for _, old := range []bool{false, true} {
		box := &inbox{}
		srv := feishuReceiver(t, secret, old, box)
		ctx := context.Background()
		ch := notify.Channel{Kind: notify.KindFeishu, Target: srv.URL + "/open-apis/bot/v2/hook/abc-def", Secret: secret}
		s := &notify.Sender{AllowLoopback: true}
		if err := s.Send(ctx, ch, testMessage); err != nil {
			t.Fatalf("Send (old reply format %v): %v", old, err)
		}
		msgs := box.all()
		if len(msgs) != 1 {
			t.Fatalf("receiver got %d messages", len(msgs))
		}
		var content struct {
			Post struct {
				ZhCN struct {
					Title   string `json:"title"`
					Content [][]struct {
						Tag  string `json:"tag"`
						Text string `json:"text"`
						Href string `json:"href"`
					} `json:"content"`
				} `json:"zh_cn"`
			} `json:"post"`
		}
		if err := json.Unmarshal([]byte(msgs[0]), &content); err != nil {
			t.Fatal(err)
		}
		p := content.Post.ZhCN
		if p.Title != testMessage.Title {
			t.Errorf("title = %q", p.Title)
		}
		last := p.Content[len(p.Content)-1]
		if len(p.Content) != 3 || p.Content[0][0].Text != "请各单位于 24 小时内完成排查。" || last[0].Tag != "a" || last[0].Href != testMessage.Link {
			t.Errorf("content = %+v", p.Content)
		}

		bad := ch
		bad.Secret = "wrong"
		err := s.Send(ctx, bad, testMessage)
		if err == nil || !strings.Contains(err.Error(), "notify: feishu: code 19021: sign match fail") || !notify.Permanent(err) {
			t.Errorf("wrong secret: err = %v, Permanent = %v", err, notify.Permanent(err))
		}
		if err := (&notify.Sender{AllowLoopback: true, Now: hoursAgo}).Send(ctx, ch, testMessage); err == nil {
			t.Error("a two-hour-old timestamp was accepted")
		}
		if len(box.all()) != 1 {
			t.Error("a rejected message was delivered")
		}
	}
}

func TestGenericWebhook(t *testing.T) {
	const secret = "hook-secret"
	box := &inbox{}
	srv := genericReceiver(t, secret, box)
	ctx := context.Background()
	ch := notify.Channel{Kind: notify.KindWebhook, Target: srv.URL + "/hooks/fenghuo", Secret: secret}
	at := time.Date(2025, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	at = time.Now().In(at.Location()).Truncate(time.Second)
	s := &notify.Sender{AllowLoopback: true, Now: func() time.Time { return at }}
	if err := s.Send(ctx, ch, testMessage); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := box.all()
	if len(msgs) != 1 {
		t.Fatalf("receiver got %d messages", len(msgs))
	}
	var got struct {
		Title, Text, Link string
		SentAt            string `json:"sent_at"`
	}
	if err := json.Unmarshal([]byte(msgs[0]), &got); err != nil {
		t.Fatal(err)
	}
	if got.Title != testMessage.Title || got.Text != testMessage.Text || got.Link != testMessage.Link || got.SentAt != at.Format(time.RFC3339) {
		t.Errorf("payload = %+v", got)
	}

	bad := ch
	bad.Secret = "other"
	err := s.Send(ctx, bad, testMessage)
	if err == nil || !strings.Contains(err.Error(), "notify: webhook: HTTP 401") || !notify.Permanent(err) {
		t.Errorf("wrong secret: err = %v, Permanent = %v", err, notify.Permanent(err))
	}
	if err := (&notify.Sender{AllowLoopback: true, Now: hoursAgo}).Send(ctx, ch, testMessage); err == nil {
		t.Error("a two-hour-old timestamp was accepted")
	}
	if len(box.all()) != 1 {
		t.Error("a rejected message was delivered")
	}
}

func TestVerifyWebhook(t *testing.T) {
	body := []byte(`{"title":"测试","text":"","link":"","sent_at":"2025-03-01T09:30:00+08:00"}`)
	mac := hmac.New(sm3.New, []byte("k"))
	mac.Write([]byte("1740792600." + string(body)))
	sig := "sm3=" + hex.EncodeToString(mac.Sum(nil))

	if !notify.VerifyWebhook("k", "1740792600", body, sig) {
		t.Error("a correct signature was refused")
	}
	if !notify.VerifyWebhook("k", "1740792600", body, strings.ToUpper(sig[:4])[:0]+"sm3="+strings.ToUpper(sig[4:])) {
		t.Error("upper-case hex was refused")
	}
	for name, ok := range map[string]bool{
		"other secret":    notify.VerifyWebhook("k2", "1740792600", body, sig),
		"other timestamp": notify.VerifyWebhook("k", "1740792601", body, sig),
		"other body":      notify.VerifyWebhook("k", "1740792600", append([]byte(nil), body[1:]...), sig),
		"no prefix":       notify.VerifyWebhook("k", "1740792600", body, sig[4:]),
		"empty":           notify.VerifyWebhook("k", "1740792600", body, ""),
		"empty secret":    notify.VerifyWebhook("", "1740792600", body, sig),
	} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestHTTPFailures checks how answers outside the vendor's happy path are classified.
func TestHTTPFailures(t *testing.T) {
	var status int
	var reply string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	s := &notify.Sender{Client: srv.Client()}
	ch := notify.Channel{Kind: notify.KindWeCom, Target: srv.URL + "/cgi-bin/webhook/send?key=k"}

	for _, tc := range []struct {
		status    int
		reply     string
		permanent bool
	}{
		{500, "internal error", false},
		{502, "<html>bad gateway</html>", false},
		{503, "", false},
		{408, "", false},
		{429, `{"errcode":45009,"errmsg":"api freq out of limit"}`, false},
		{400, "bad request", true},
		{403, "forbidden", true},
		{404, "not found", true},
		{200, "<html>proxy login</html>", false},
		{200, `{"errmsg":"ok"}`, false},
		{200, `{"errcode":45009,"errmsg":"api freq out of limit"}`, false},
		{200, `{"errcode":-1,"errmsg":"system busy"}`, false},
		{200, `{"errcode":93000,"errmsg":"invalid webhook url"}`, true},
	} {
		mu.Lock()
		status, reply = tc.status, tc.reply
		mu.Unlock()
		err := s.Send(context.Background(), ch, testMessage)
		if err == nil {
			t.Errorf("%d %q: Send succeeded", tc.status, tc.reply)
			continue
		}
		if got := notify.Permanent(err); got != tc.permanent {
			t.Errorf("%d %q: Permanent(%v) = %v, want %v", tc.status, tc.reply, err, got, tc.permanent)
		}
	}
}

func TestTransportErrorHidesKey(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	target := srv.URL + "/cgi-bin/webhook/send?key=SECRET-KEY-123"
	srv.Close() // nothing listens there any more

	err := (&notify.Sender{AllowLoopback: true}).Send(context.Background(), notify.Channel{Kind: notify.KindWeCom, Target: target}, testMessage)
	if err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
	if strings.Contains(err.Error(), "SECRET-KEY-123") {
		t.Errorf("error leaks the webhook key: %v", err)
	}
	if notify.Permanent(err) {
		t.Errorf("a refused connection is Permanent: %v", err)
	}
}

func TestSendRejectsInvalidChannel(t *testing.T) {
	err := (&notify.Sender{AllowLoopback: true}).Send(context.Background(), notify.Channel{Kind: notify.KindDingTalk, Target: "https://oapi.dingtalk.com/robot/send?access_token=x"}, testMessage)
	if err == nil || !notify.Permanent(err) || !strings.HasPrefix(err.Error(), "notify: dingtalk: ") {
		t.Errorf("missing secret: err = %v, Permanent = %v", err, notify.Permanent(err))
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		ch   notify.Channel
		ok   bool
		want string // part of the error, if any
	}{
		{"email one", notify.Channel{Kind: "email", Target: "duty@example.gov.cn"}, true, ""},
		{"email list", notify.Channel{Kind: "email", Target: "a@example.gov.cn, 张三 <b@example.gov.cn>"}, true, ""},
		{"email semicolons", notify.Channel{Kind: "email", Target: "a@example.gov.cn;b@example.gov.cn;"}, true, ""},
		{"email quoted comma", notify.Channel{Kind: "email", Target: `"Zhang, San" <a@example.gov.cn>`}, true, ""},
		{"email empty", notify.Channel{Kind: "email", Target: " "}, false, "至少填写一个邮箱地址"},
		{"email bad", notify.Channel{Kind: "email", Target: "a@example.gov.cn, not-an-address"}, false, `"not-an-address" is not a valid e-mail address`},
		{"wecom official", notify.Channel{Kind: "wecom", Target: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6"}, true, ""},
		{"wecom intranet mirror", notify.Channel{Kind: "wecom", Target: "http://10.1.2.3:8080/cgi-bin/webhook/send?key=x"}, true, ""},
		{"wecom relative", notify.Channel{Kind: "wecom", Target: "/cgi-bin/webhook/send?key=x"}, false, "企业微信机器人地址"},
		{"wecom ftp", notify.Channel{Kind: "wecom", Target: "ftp://qyapi.weixin.qq.com/x"}, false, "A WeCom webhook URL"},
		{"wecom empty", notify.Channel{Kind: "wecom"}, false, "WeCom"},
		{"dingtalk", notify.Channel{Kind: "dingtalk", Target: "https://oapi.dingtalk.com/robot/send?access_token=x", Secret: "SECabc"}, true, ""},
		{"dingtalk no secret", notify.Channel{Kind: "dingtalk", Target: "https://oapi.dingtalk.com/robot/send?access_token=x"}, false, "加签"},
		{"dingtalk bad url", notify.Channel{Kind: "dingtalk", Target: "oapi.dingtalk.com/robot/send", Secret: "SECabc"}, false, "钉钉机器人地址"},
		{"feishu", notify.Channel{Kind: "feishu", Target: "https://open.feishu.cn/open-apis/bot/v2/hook/abc", Secret: "s"}, true, ""},
		{"feishu no secret", notify.Channel{Kind: "feishu", Target: "https://open.feishu.cn/open-apis/bot/v2/hook/abc", Secret: "  "}, false, "签名校验"},
		{"webhook", notify.Channel{Kind: "webhook", Target: "https://soc.example.gov.cn/hooks/fenghuo", Secret: "k"}, true, ""},
		{"webhook no secret", notify.Channel{Kind: "webhook", Target: "https://soc.example.gov.cn/hooks/fenghuo"}, false, "HMAC-SM3"},
		{"webhook no host", notify.Channel{Kind: "webhook", Target: "https:///hooks", Secret: "k"}, false, "Webhook 地址"},
		{"unknown kind", notify.Channel{Kind: "sms", Target: "13800000000"}, false, "未知的通知渠道类型"},
		{"no kind", notify.Channel{}, false, "channel kind is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := notify.Validate(tc.ch)
			if tc.ok {
				if err != nil {
					t.Errorf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate accepted it")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q lacks %q", msg, tc.want)
			}
			// Bilingual: "English. / 中文。"
			if en, zh, ok := strings.Cut(msg, ". / "); !ok || en == "" || !strings.HasSuffix(zh, "。") {
				t.Errorf("error %q is not of the form \"English. / 中文。\"", msg)
			}
		})
	}
}
