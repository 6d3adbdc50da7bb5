package ingest

import (
	"net/netip"
	"strings"
	"time"
)

// Microsoft 365 unified audit records (Office 365 Management Activity API,
// common schema plus the ExchangeAdmin schema): Exchange Online writes one
// when a mailbox gets an inbox rule (New-InboxRule, Set-InboxRule) or a
// forwarding address (Set-Mailbox -ForwardingSmtpAddress) — the
// forwarding 000 §4(一) asks offices to switch off. They arrive as generic
// JSON (from an export or a collector) and are recognised by their shape:
//
//	{"CreationTime":"2026-03-05T02:10:44","Id":"…","Operation":"New-InboxRule","RecordType":1,
//	 "ResultStatus":"True","UserId":"zhangwei@example.gov.cn","Workload":"Exchange",
//	 "ClientIP":"185.220.101.1:9808","ObjectId":"…\\Direct",
//	 "Parameters":[{"Name":"Name","Value":"Direct"},{"Name":"ForwardTo","Value":"drop@evil.example"}, …]}
//
// ECS fields follow Elastic's o365 module: event.action is the Operation,
// event.provider the Workload, user.name the UserId, source.ip the ClientIP
// without its port. Each parameter is also kept as m365.parameters.<Name>
// (the flattened Parameters.Name and Parameters.Value lists lose which
// value belongs to which name). Forwarding targets (ForwardTo, RedirectTo,
// ForwardAsAttachmentTo, ForwardingSmtpAddress, ForwardingAddress) go to
// email.to.address, and such a record gets event.category email and
// configuration.

var m365Forwarding = map[string]bool{
	"ForwardTo": true, "RedirectTo": true, "ForwardAsAttachmentTo": true,
	"ForwardingSmtpAddress": true, "ForwardingAddress": true,
}

// maxM365Parameters bounds the parameters kept by name.
const maxM365Parameters = 64

// m365Audit sets ECS fields on a generic record that is a Microsoft 365
// audit record; it leaves any other record alone.
func m365Audit(obj map[string]any, ev *Event) {
	workload, _ := obj["Workload"].(string)
	op, _ := obj["Operation"].(string)
	created, _ := obj["CreationTime"].(string)
	if workload == "" || op == "" || created == "" {
		return
	}
	if ev.Time.IsZero() {
		// CreationTime is UTC without a zone.
		if t, err := parseTime(created, nil, time.UTC); err == nil {
			ev.Time = t
		}
	}
	ev.Set("event.module", "m365")
	ev.Set("event.provider", workload)
	ev.Set("event.action", op)
	if u, ok := obj["UserId"].(string); ok {
		ev.Set("user.name", u)
	}
	if ip, ok := obj["ClientIP"].(string); ok {
		ev.Set("source.ip", hostOnly(ip))
	}
	switch r, _ := obj["ResultStatus"].(string); strings.ToLower(r) {
	case "true", "succeeded", "success":
		ev.Set("event.outcome", "success")
	case "false", "failed", "failure":
		ev.Set("event.outcome", "failure")
	}
	params, _ := obj["Parameters"].([]any)
	var to []string
	for i, p := range params {
		if i == maxM365Parameters {
			break
		}
		kv, _ := p.(map[string]any)
		name, _ := kv["Name"].(string)
		value, _ := kv["Value"].(string)
		if name == "" || len(name) > 64 || !fieldName.MatchString(name) {
			continue
		}
		ev.Set("m365.parameters."+name, value)
		if m365Forwarding[name] {
			for _, a := range strings.Split(value, ";") {
				if a = strings.TrimPrefix(strings.TrimSpace(mailAddress(a)), "smtp:"); a != "" {
					to = append(to, a)
				}
			}
		}
	}
	if to != nil {
		ev.Set("email.to.address", to)
		addCategory(ev, "email")
		addCategory(ev, "configuration")
	} else if strings.HasSuffix(op, "InboxRule") || op == "UpdateInboxRules" {
		addCategory(ev, "configuration")
	}
}

// hostOnly drops the port of "1.2.3.4:9808" or "[2001:db8::1]:443"; an
// address without one is returned as it is.
func hostOnly(s string) string {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().String()
	}
	return canonicalIP(s)
}
