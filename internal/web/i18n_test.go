package web

import (
	"fenghuo/internal/app/period"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/notify"
	"testing"
)

// Templates build some keys from values ({{.T (print "color." .Color)}});
// every value they can meet must have its words in both languages.
func TestDynamicKeysTranslated(t *testing.T) {
	var keys []string
	add := func(prefix string, vals ...string) {
		for _, v := range vals {
			keys = append(keys, prefix+v)
		}
	}
	for _, c := range fenghuo.Colors {
		add("color.", string(c))
	}
	add("warning.status.", fenghuo.WarningActive, fenghuo.WarningLifted, fenghuo.WarningProposed, fenghuo.WarningDeclined)
	add("warning.action.", "issue", "propose", "decline", "raise", "lower", "lift")
	add("board.", period.BoardOnTime, period.BoardIncident, period.BoardLate, period.BoardMissing, period.BoardPending)
	add("channel.kind.", notify.KindEmail, notify.KindWeCom, notify.KindDingTalk, notify.KindFeishu, notify.KindWebhook)
	add("channel.status.", "sent", "retry", "failed")
	add("event.", fenghuo.NotifyEvents...)
	add("duty.kind.", "log", "handover")
	add("obligation.", "warning_ack", "warning_done")
	for _, k := range keys {
		m, ok := messages[k]
		if !ok || m[0] == "" || m[1] == "" {
			t.Errorf("no words for %s", k)
		}
	}
}
