package notify

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// Validate checks a channel's settings and returns an error a person can act on,
// bilingual "English. / 中文。" e.g. "A WeCom webhook URL starts with https://qyapi.weixin.qq.com/ … / 企业微信机器人地址应以 … 开头。"
// Be permissive about hosts (deployments use proxies/intranet mirrors): require an absolute http(s) URL for webhooks,
// valid addresses (net/mail) for e-mail, a non-empty secret for dingtalk and feishu and webhook.
func Validate(ch Channel) error {
	switch ch.Kind {
	case KindEmail:
		_, err := parseRecipients(ch.Target)
		return err
	case KindWeCom:
		return checkURL(ch.Target,
			"A WeCom webhook URL must be an absolute http(s) URL (e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…)",
			"企业微信机器人地址应为完整的 http(s) 地址（例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…）")
	case KindDingTalk:
		if err := checkURL(ch.Target,
			"A DingTalk robot webhook URL must be an absolute http(s) URL (e.g. https://oapi.dingtalk.com/robot/send?access_token=…)",
			"钉钉机器人地址应为完整的 http(s) 地址（例如 https://oapi.dingtalk.com/robot/send?access_token=…）"); err != nil {
			return err
		}
		return checkSecret(ch.Secret,
			"A DingTalk robot needs its signing secret (security setting “加签”, starts with SEC)",
			"钉钉机器人需要填写“加签”密钥（以 SEC 开头）")
	case KindFeishu:
		if err := checkURL(ch.Target,
			"A Feishu bot webhook URL must be an absolute http(s) URL (e.g. https://open.feishu.cn/open-apis/bot/v2/hook/…)",
			"飞书机器人地址应为完整的 http(s) 地址（例如 https://open.feishu.cn/open-apis/bot/v2/hook/…）"); err != nil {
			return err
		}
		return checkSecret(ch.Secret,
			"A Feishu bot needs its signing secret (security setting “签名校验”)",
			"飞书机器人需要填写“签名校验”密钥")
	case KindWebhook:
		if err := checkURL(ch.Target,
			"A webhook URL must be an absolute http(s) URL (e.g. https://soc.example.gov.cn/hooks/fenghuo)",
			"Webhook 地址应为完整的 http(s) 地址（例如 https://soc.example.gov.cn/hooks/fenghuo）"); err != nil {
			return err
		}
		return checkSecret(ch.Secret,
			"A webhook needs a secret key for its HMAC-SM3 signature",
			"Webhook 需要填写用于 HMAC-SM3 签名的密钥")
	case "":
		return errors.New("The channel kind is missing. / 未选择通知渠道类型。")
	default:
		return fmt.Errorf("Unknown channel kind %q; use email, wecom, dingtalk, feishu or webhook. / 未知的通知渠道类型 %q，可选 email、wecom、dingtalk、feishu、webhook。", ch.Kind, ch.Kind)
	}
}

// bilingual joins an English and a Chinese sentence in the house style.
func bilingual(en, zh string) error {
	return errors.New(en + ". / " + zh + "。")
}

func checkURL(raw, en, zh string) error {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return bilingual(en, zh)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Hostname() == "" {
		return bilingual(en, zh)
	}
	return nil
}

func checkSecret(secret, en, zh string) error {
	if strings.TrimSpace(secret) == "" {
		return bilingual(en, zh)
	}
	return nil
}

// recipientSeparators are accepted between addresses besides the comma:
// people paste lists separated with semicolons or full-width punctuation.
var recipientSeparators = strings.NewReplacer(";", ",", ";", ",", ",", ",", "、", ",")

// parseRecipients parses the e-mail channel's comma-separated addresses.
func parseRecipients(target string) ([]*mail.Address, error) {
	target = recipientSeparators.Replace(target)
	// The whole list first, so that quoted display names may hold commas.
	if addrs, err := mail.ParseAddressList(target); err == nil && len(addrs) > 0 {
		return addrs, nil
	}
	// Then one by one, to name the offending address (and tolerate
	// empty items such as a trailing comma).
	var addrs []*mail.Address
	for part := range strings.SplitSeq(target, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, err := mail.ParseAddress(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a valid e-mail address. / %q 不是有效的邮箱地址。", part, part)
		}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 {
		return nil, errors.New("Enter at least one e-mail address, separated by commas. / 请至少填写一个邮箱地址，多个地址用逗号分隔。")
	}
	return addrs, nil
}
