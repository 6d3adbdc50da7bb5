package tamper

import "testing"

// Category phrases weigh as strong terms in either order; notices that use
// their parts stay below the alert threshold.
func TestPhraseWeighting(t *testing.T) {
	strong := []string{"枪支出售", "出售枪支", "办理假证件", "无码高清视频", "仿真枪批发", "假驾照代办", "摇头丸货到付款", "出售身份证", "激情电影"}
	for _, s := range strong {
		if got := illicitScore(normalize(s), nil); got < 4 {
			t.Errorf("%s scores %.1f, want a strong term (≥ 4)", s, got)
		}
	}
	benign := []string{
		"公安机关严厉打击非法出售枪支弹药违法犯罪活动",
		"2025年度福利彩票公益金使用情况公告",
		"扫黄打非办公室部署清理网上淫秽色情视频",
		"办理身份证、驾驶证业务请到政务服务大厅",
		"本站不会出售用户个人信息",
		"枪支管理法规宣传周",
		"成人在线教育报名",
		"高清视频会议系统",
	}
	for _, s := range benign {
		if got := illicitScore(normalize(s), nil); got*3 >= illicitThreshold {
			t.Errorf("%q scores %.1f: even in a title it would alert", s, got)
		}
	}
}
