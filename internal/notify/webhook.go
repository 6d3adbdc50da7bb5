package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emmansun/gmsm/sm3"
)

// Headers of the generic webhook.
const (
	HeaderTimestamp = "X-Fenghuo-Timestamp"
	HeaderSignature = "X-Fenghuo-Signature"
	// HeaderDelivery carries Message.ID: the same for every attempt of one
	// delivery.
	HeaderDelivery = "X-Fenghuo-Delivery"
)

// linkLabel is the text of the link in chat messages ("open").
const linkLabel = "打开"

// Vendor error codes that retrying cannot fix: a wrong or revoked webhook
// key/token, a failed signature (which includes a clock more than an hour
// off), keyword or IP allow-list rejections, and malformed messages.
// Rate limits (WeCom 45009, DingTalk 130101/410100, Feishu 11232) and
// "system busy" (-1) are deliberately absent: those are retried.
var (
	wecomPermanent = map[int]bool{
		93000: true, // invalid webhook url (wrong or deleted key)
		40008: true, // invalid message type
		40058: true, // invalid parameter
		44004: true, // empty content
		45002: true, // content too long
	}
	dingtalkPermanent = map[int]bool{
		300001: true, // invalid token
		300005: true, // token is not exist
		310000: true, // sign not match / keywords not in content / ip not in whitelist
		400101: true, // access_token does not exist
		400102: true, // robot disabled
		400105: true, // unsupported message type
		400106: true, // robot does not exist
	}
	feishuPermanent = map[int]bool{
		9499:  true, // bad request
		19001: true, // param invalid: incoming webhook access token invalid
		19021: true, // sign match fail or timestamp is not within one hour
		19022: true, // ip not allowed
		19024: true, // key words not found
	}
)

// sendWeCom posts a markdown message to a 企业微信 group bot.
func (s *Sender) sendWeCom(ctx context.Context, ch Channel, msg Message) error {
	var b strings.Builder
	b.WriteString("**" + oneLine(msg.Title) + "**\n")
	if text := strings.TrimRight(msg.Text, "\r\n"); text != "" {
		b.WriteString(text + "\n")
	}
	content := b.String()
	link := ""
	if msg.Link != "" {
		link = "[" + linkLabel + "](" + markdownURL(msg.Link) + ")"
	}
	// WeCom refuses markdown content over 4096 bytes; keep the link.
	content = truncateUTF8(content, 4096-len(link)) + link
	body, err := json.Marshal(map[string]any{
		"msgtype":  "markdown",
		"markdown": map[string]string{"content": content},
	})
	if err != nil {
		return err
	}
	reply, err := s.post(ctx, strings.TrimSpace(ch.Target), body, nil)
	if err != nil {
		return err
	}
	return checkErrcode(reply, wecomPermanent)
}

// sendDingTalk posts a markdown message to a 钉钉 custom robot with 加签.
func (s *Sender) sendDingTalk(ctx context.Context, ch Channel, msg Message) error {
	target, err := url.Parse(strings.TrimSpace(ch.Target))
	if err != nil {
		return permanent(err)
	}
	timestamp := strconv.FormatInt(s.now().UnixMilli(), 10)
	q := target.Query()
	q.Set("timestamp", timestamp)
	q.Set("sign", dingtalkSign(ch.Secret, timestamp))
	target.RawQuery = q.Encode()

	var b strings.Builder
	b.WriteString("#### " + oneLine(msg.Title) + "\n\n")
	for line := range strings.SplitSeq(strings.TrimRight(msg.Text, "\r\n"), "\n") {
		// DingTalk's markdown joins single newlines; make each line a paragraph.
		b.WriteString(strings.TrimRight(line, "\r") + "\n\n")
	}
	if msg.Link != "" {
		b.WriteString("[" + linkLabel + "](" + markdownURL(msg.Link) + ")\n")
	}
	body, err := json.Marshal(map[string]any{
		"msgtype": "markdown",
		"markdown": map[string]string{
			"title": oneLine(msg.Title),
			"text":  b.String(),
		},
	})
	if err != nil {
		return err
	}
	reply, err := s.post(ctx, target.String(), body, nil)
	if err != nil {
		return err
	}
	return checkErrcode(reply, dingtalkPermanent)
}

// sendFeishu posts a rich-text ("post") message to a 飞书 custom bot with 签名校验.
func (s *Sender) sendFeishu(ctx context.Context, ch Channel, msg Message) error {
	type element struct {
		Tag  string `json:"tag"`
		Text string `json:"text"`
		Href string `json:"href,omitempty"`
	}
	var paragraphs [][]element
	for line := range strings.SplitSeq(strings.TrimRight(msg.Text, "\r\n"), "\n") {
		paragraphs = append(paragraphs, []element{{Tag: "text", Text: strings.TrimRight(line, "\r")}})
	}
	if msg.Link != "" {
		paragraphs = append(paragraphs, []element{{Tag: "a", Text: linkLabel, Href: msg.Link}})
	}
	timestamp := strconv.FormatInt(s.now().Unix(), 10)
	body, err := json.Marshal(map[string]any{
		"timestamp": timestamp,
		"sign":      feishuSign(ch.Secret, timestamp),
		"msg_type":  "post",
		"content": map[string]any{
			"post": map[string]any{
				"zh_cn": map[string]any{
					"title":   oneLine(msg.Title),
					"content": paragraphs,
				},
			},
		},
	})
	if err != nil {
		return err
	}
	reply, err := s.post(ctx, strings.TrimSpace(ch.Target), body, nil)
	if err != nil {
		return err
	}
	return checkFeishuCode(reply)
}

// webhookPayload is the generic webhook's JSON body.
type webhookPayload struct {
	Title  string `json:"title"`
	Text   string `json:"text"`
	Link   string `json:"link"`
	SentAt string `json:"sent_at"`
}

// sendWebhook posts the generic JSON body signed with HMAC-SM3.
func (s *Sender) sendWebhook(ctx context.Context, ch Channel, msg Message) error {
	now := s.now()
	body, err := json.Marshal(webhookPayload{
		Title:  msg.Title,
		Text:   msg.Text,
		Link:   msg.Link,
		SentAt: now.Format(time.RFC3339),
	})
	if err != nil {
		return err
	}
	timestamp := strconv.FormatInt(now.Unix(), 10)
	h := http.Header{}
	h.Set(HeaderTimestamp, timestamp)
	h.Set(HeaderSignature, webhookSignature(ch.Secret, timestamp, body))
	if msg.ID != "" {
		h.Set(HeaderDelivery, msg.ID)
	}
	_, err = s.post(ctx, strings.TrimSpace(ch.Target), body, h)
	return err
}

// dingtalkSign returns the URL "sign" parameter of a 钉钉 加签 robot (before
// URL encoding): base64(HMAC-SHA256(key=secret, timestamp+"\n"+secret)),
// with timestamp in milliseconds.
func dingtalkSign(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// feishuSign returns the "sign" field of a 飞书 签名校验 bot:
// base64(HMAC-SHA256(key=timestamp+"\n"+secret, message="")), with
// timestamp in seconds.
func feishuSign(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(timestamp+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// webhookSignature is the X-Fenghuo-Signature value for body.
func webhookSignature(secret, timestamp string, body []byte) string {
	return "sm3=" + hex.EncodeToString(webhookMAC(secret, timestamp, body))
}

func webhookMAC(secret, timestamp string, body []byte) []byte {
	mac := hmac.New(sm3.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}

// VerifyWebhook reports whether signature (the X-Fenghuo-Signature header,
// "sm3=<hex>") authenticates body sent with timestamp (the
// X-Fenghuo-Timestamp header) under secret. It compares in constant time.
// It does not judge the timestamp's age; receivers should also reject
// timestamps far from their own clock.
func VerifyWebhook(secret string, timestamp string, body []byte, signature string) bool {
	if secret == "" || timestamp == "" {
		return false
	}
	hexSig, ok := strings.CutPrefix(strings.TrimSpace(signature), "sm3=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	return hmac.Equal(got, webhookMAC(secret, timestamp, body))
}

// maxReply bounds how much of a webhook's answer is read.
const maxReply = 64 << 10

// post sends body as JSON to target and returns the body of a 2xx answer.
// Errors never include the URL's path or query, which hold webhook keys.
func (s *Sender) post(ctx context.Context, target string, body []byte, header http.Header) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, permanent(fmt.Errorf("POST %s: bad URL", redactURL(target)))
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Fenghuo-Notify/1")
	resp, err := s.client().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if errors.Is(err, errBlockedAddress) {
			return nil, permanent(fmt.Errorf("POST %s: %w", redactURL(target), errBlockedAddress))
		}
		return nil, fmt.Errorf("POST %s: %w", redactURL(target), err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &statusError{Code: resp.StatusCode, Body: snippet(reply)}
	}
	if err != nil {
		return nil, fmt.Errorf("reading reply: %w", err)
	}
	return reply, nil
}

// checkErrcode checks a WeCom or DingTalk reply: {"errcode":0,"errmsg":"ok"}.
func checkErrcode(reply []byte, permanentCodes map[int]bool) error {
	var r struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(reply, &r); err != nil || r.ErrCode == nil {
		return fmt.Errorf("reply without errcode: %s", snippet(reply))
	}
	if *r.ErrCode != 0 {
		return &apiError{Field: "errcode", Code: *r.ErrCode, Msg: r.ErrMsg, permanent: permanentCodes[*r.ErrCode]}
	}
	return nil
}

// checkFeishuCode checks a Feishu reply: {"code":0,"msg":"success"}, or
// the older {"StatusCode":0,"StatusMessage":"success"}.
func checkFeishuCode(reply []byte) error {
	var r struct {
		Code          *int   `json:"code"`
		Msg           string `json:"msg"`
		StatusCode    *int   `json:"StatusCode"`
		StatusMessage string `json:"StatusMessage"`
	}
	if err := json.Unmarshal(reply, &r); err != nil {
		return fmt.Errorf("reply without code: %s", snippet(reply))
	}
	switch {
	case r.Code != nil && *r.Code != 0:
		return &apiError{Field: "code", Code: *r.Code, Msg: r.Msg, permanent: feishuPermanent[*r.Code]}
	case r.Code == nil && r.StatusCode != nil && *r.StatusCode != 0:
		return &apiError{Field: "StatusCode", Code: *r.StatusCode, Msg: r.StatusMessage, permanent: feishuPermanent[*r.StatusCode]}
	case r.Code == nil && r.StatusCode == nil:
		return fmt.Errorf("reply without code: %s", snippet(reply))
	}
	return nil
}

// redactURL keeps the scheme and host of a webhook URL for error messages;
// the path and query hold the key or token.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(webhook URL)"
	}
	if u.Path == "" && u.RawQuery == "" {
		return u.Scheme + "://" + u.Host
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// snippet shortens a reply body for an error message.
func snippet(b []byte) string {
	s := strings.TrimSpace(strings.ToValidUTF8(string(b), "?"))
	if len(s) > 200 {
		s = truncateUTF8(s, 200) + "…"
	}
	return s
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// oneLine flattens a title to a single line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// markdownURL keeps a URL from ending a markdown link early.
func markdownURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(strings.TrimSpace(u))
}
