package demofarm

import "fmt"

// portal is the page of a small government or school website, the shape
// of most sites the platform watches: header, navigation, a news list,
// an about paragraph and a footer with the ICP filing number.
func portal(name, tagline string, nav [4]string, news [3][2]string, about, address, icp string) string {
	return fmt.Sprintf(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>%[1]s</title>
<meta name="description" content="%[1]s官方网站：%[2]s"></head><body>
<div id="header"><h1>%[1]s</h1><p class="slogan">%[2]s</p>
<ul id="nav"><li><a href="./">首页</a></li><li><a href="news/">%[3]s</a></li><li><a href="notice/">%[4]s</a></li>
<li><a href="service/">%[5]s</a></li><li><a href="about/">%[6]s</a></li></ul></div>
<div id="main"><h2>%[3]s</h2><ul class="news">
<li><a href="news/101.html">%[7]s</a><span>%[8]s</span></li>
<li><a href="news/102.html">%[9]s</a><span>%[10]s</span></li>
<li><a href="news/103.html">%[11]s</a><span>%[12]s</span></li></ul>
<h2>%[6]s</h2><p>%[13]s</p></div>
<div id="footer"><p>主办单位：%[1]s　地址：%[14]s</p>
<p><a href="https://beian.miit.gov.cn/">%[15]s</a>　本网站为烽火演示数据，所有单位均为虚构</p></div>
</body></html>`, name, tagline, nav[0], nav[1], nav[2], nav[3],
		news[0][0], news[0][1], news[1][0], news[1][1], news[2][0], news[2][1], about, address, icp)
}

// pages are the clean home pages, by site key.
var pages = map[string]string{
	Normal: portal("云州市人民政府", "政务公开　政务服务　互动交流", [4]string{"政务要闻", "通知公告", "办事服务", "走进云州"},
		[3][2]string{{"市政府召开冬季安全生产工作会议", "2026-11-28"}, {"云州市优化营商环境十条措施解读", "2026-11-20"}, {"关于开展网络安全宣传周活动的通知", "2026-11-12"}},
		"云州市地处北方草原与黄河之间，辖两县一区，是国家重要的能源和化工基地。市政府坚持以人民为中心，持续推进政务公开和“一网通办”。",
		"云州市康巴什区市府大楼A座", "云ICP备20260001号"),
	Defaced: portal("青溪县教育体育局", "办人民满意的教育", [4]string{"教育动态", "通知公告", "招生考试", "机构概况"},
		[3][2]string{{"全县中小学开展冬季消防安全演练", "2026-11-27"}, {"青溪县2026年义务教育招生工作方案", "2026-11-18"}, {"县教体局召开校园网络安全工作部署会", "2026-11-09"}},
		"青溪县教育体育局负责全县教育和体育事业的管理，下辖中学4所、小学12所、幼儿园9所，在校学生两万余人。",
		"青溪县文化路18号", "云ICP备20260018号"),
	Cloaked: portal("青溪县第二中学", "厚德　博学　求实　创新", [4]string{"学校新闻", "通知公告", "教学科研", "学校概况"},
		[3][2]string{{"我校举行第十二届秋季运动会", "2026-11-25"}, {"高三年级召开期中考试质量分析会", "2026-11-16"}, {"开展“网络安全为人民”主题班会", "2026-11-06"}},
		"青溪县第二中学始建于1972年，是县内重点高级中学，现有教学班36个，教职工210人，坚持立德树人，办人民满意的教育。",
		"青溪县育才路6号", "云ICP备20260026号"),
	Down: portal("青溪县人民医院", "患者至上　质量第一", [4]string{"医院新闻", "就医指南", "预约挂号", "医院概况"},
		[3][2]string{{"我院开通互联网医院复诊服务", "2026-11-26"}, {"冬季流感高发，专家提醒做好防护", "2026-11-17"}, {"医院完成信息系统等级保护测评", "2026-11-03"}},
		"青溪县人民医院是一所集医疗、教学、预防、保健为一体的二级甲等综合医院，开放床位480张，年门急诊量约30万人次。",
		"青溪县人民路1号", "云ICP备20260031号"),
}

// defacement is what the defaced site shows once attacked: the page an
// intruder leaves, with nothing of the site's own frame.
const defacement = `<!doctype html>
<html><head><meta charset="utf-8"><title>Hacked By DarkStorm Team</title></head>
<body style="background:#000;color:#0f0;text-align:center">
<h1>Hacked By DarkStorm Team</h1>
<p>Your security is just an illusion. 你们的安全只是幻觉。</p>
<p>Greetz: xShadow, r00t_k1d, N1ghtW0lf</p>
<p>Contact: darkstorm-team@protonmail.example</p>
</body></html>`

// spiderLinks is the hidden block of gambling links the cloaked site
// serves to Baiduspider only.
const spiderLinks = `<div style="display:none"><a href="http://www.amjs-casino888.example/">澳门金沙赌场</a>
<a href="http://www.bet-liuhecai.example/">六合彩开奖直播</a><a href="http://www.xsj-baijiale.example/">百家乐网上娱乐</a></div>`
