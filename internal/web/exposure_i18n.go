package web

import (
	"fmt"

	"fenghuo/internal/fenghuo"
)

// Words of exposure checks from remote probes and of queued checks
// (issue 12 item 5), in Chinese and English.
var exposureProbeMessages = map[string][2]string{
	"expcheck.vantage.probe":        {"探针「%s」", "probe %s"},
	"expcheck.checking":             {"检测中", "Checking"},
	"expcheck.checking.server":      {"本平台服务器检测已排队，于%s提交，完成后本页自动更新。", "The check from this server was queued at %s; this page updates itself when it is done."},
	"expcheck.checking.probes":      {"等待探针报告：", "Waiting for the report of: "},
	"expcheck.run.queued_help":      {"检测在后台进行（每个地址限速，无响应的端口需等待3秒），本页显示“检测中”并自动更新。", "The check runs in the background (rate-limited per address; a port that does not answer waits 3 s); this page shows “Checking” and updates itself."},
	"expcheck.policy.vantages":      {"检测位置", "Check from"},
	"expcheck.policy.vantages.help": {"用逗号分隔：“server”表示本平台服务器，其余为已登记探针的名称（fenghuo probe register），例如“server”、“联通探针”。探针从其所在网络连接同样的登记地址，可发现仅对其他网络开放的端口。", "Separated by commas: server is this server, the others are names of registered probes (fenghuo probe register), e.g. server, “联通探针”. A probe connects to the same registered addresses from its network, so a port open only to another network is seen."},
	"expcheck.policy.vantages.none": {"本平台服务器", "this server"},
}

func init() {
	for k, m := range exposureProbeMessages {
		messages[k] = m
	}
}

// Vantage names where a check connected from, in the page's language.
func (v *view) Vantage(s string) string {
	if name := fenghuo.VantageProbe(s); name != "" {
		return fmt.Sprintf(v.T("expcheck.vantage.probe"), name)
	}
	return v.T("expcheck.vantage.server")
}
