package web

import (
	"testing"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// The risk notice pages build keys from stored values; each has words in
// both languages.
func TestRiskNoticeKeysTranslated(t *testing.T) {
	keys := []string{"risk.status." + fenghuo.RiskNoticeActive, "risk.status." + fenghuo.RiskNoticeClosed,
		"risk.answer." + fenghuo.RiskAnswerAffected, "risk.answer." + fenghuo.RiskAnswerNotAffected,
		"obligation.kind." + store.ObligationKindRiskNotice}
	for _, s := range fenghuo.FindingSeverities {
		keys = append(keys, "severity."+s)
	}
	for _, k := range keys {
		if m, ok := messages[k]; !ok || m[0] == "" || m[1] == "" {
			t.Errorf("no words for %s", k)
		}
	}
}
