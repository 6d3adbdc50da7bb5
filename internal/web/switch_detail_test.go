package web

import (
	"testing"

	"fenghuo/internal/fenghuo"
)

// A standby switch names the team and its task; a team without a task is
// its name alone, with no colon left hanging.
func TestSwitchDetailStandby(t *testing.T) {
	zh := &view{Lang: langZH}
	for detail, want := range map[string]string{
		`{"standby":[{"org":{"name":"青溪县网络安全应急技术支撑队伍"},"task":""}]}`:     "青溪县网络安全应急技术支撑队伍",
		`{"standby":[{"org":{"name":"青溪县网络安全应急技术支撑队伍"},"task":"现场处置"}]}`: "青溪县网络安全应急技术支撑队伍：现场处置",
	} {
		if got := zh.SwitchDetail(fenghuo.ResponseSwitch{Key: "support_team", Detail: []byte(detail)}); got != want {
			t.Errorf("SwitchDetail(%s) = %q, want %q", detail, got, want)
		}
	}
}
