package tamper

import (
	"strings"
	"testing"
)

// Edge cases of the non-CSS hiding rules: each page either must or must
// not produce a hidden_link finding.
func TestHidingEdges(t *testing.T) {
	const spam = `<a href="http://spam.example.com/">澳门赌场</a> <a href="http://bet.example.net/">六合彩</a>`
	cases := []struct {
		name, body string
		hidden     bool
	}{
		{"summary of a closed details is visible", `<details><summary><a href="http://spam.example.com/">x</a></summary></details>`, false},
		{"content of a closed details is hidden", `<details><summary>更多</summary>` + spam + `</details>`, true},
		{"open details is visible", `<details open><summary>更多</summary>` + spam + `</details>`, false},
		{"open dialog is visible", `<dialog open>` + spam + `</dialog>`, false},
		{"split write closes at the written end tag", `<script>document.write("<div style='display:none'>")</script>` + spam +
			`<script>document.write("</div>")</script><p><a href="http://www.partner.example.org/">合作伙伴</a></p>`, true},
		{"negated spider test writes for visitors", `<script>if(!/baiduspider/i.test(navigator.userAgent)){document.write('` + spam + `')}</script>`, false},
		{"spider test writes for spiders", `<script>if(navigator.userAgent.indexOf("Baiduspider")!=-1){document.write('` + spam + `')}</script>`, true},
		{"JSON state escaping only < is not obfuscation", `<script>window.__S={"a":"\u003Ca href=\u0022http://www.partner.example.org/\u0022\u003Ex\u003C/a\u003E","b":"\u003Cp\u003E\u003C/p\u003E\u003Cp\u003E"}</script>`, false},
		{"escaped letters are obfuscation", `<script>document.write("` + hexEscape(`<a href="http://spam.example.com/">x</a>`) + `")</script>`, true},
		{"icon link with image replacement is visible", `<style>.ir{text-indent:-9999px}.wb{background:url(/wb.png)}</style><a class="ir wb" href="https://weibo.example.com/">微博</a>`, false},
		{"carousel track is visible", `<div style="transform:translate3d(-2400px,0,0);transition-duration:0ms">` + spam + `</div>`, false},
		{"translate far off-screen hides", `<div style="transform:translateX(-9999px)">` + spam + `</div>`, true},
		{"white on declared white hides", `<table bgcolor="#ffffff"><tr><td><font color="#FFFFFF">` + spam + `</font></td></tr></table>`, true},
		{"white on declared dark is visible", `<td bgcolor="#0b5ea8"><font color="#ffffff">` + spam + `</font></td>`, false},
		{"area of a map an image uses is visible", `<img src="/m.png" usemap="#m"><map name="m"><area href="http://spam.example.com/" alt="澳门赌场" coords="0,0,9,9"></map>`, false},
		{"area of an unused map is hidden", `<map name="m"><area href="http://spam.example.com/" alt="澳门赌场" coords="0,0,1,1"></map>`, true},
		{"icon link with a class is not empty", `<a class="icon-wb" href="https://weibo.example.com/"></a>`, false},
		{"bare empty link is hidden", `<a href="http://spam.example.com/"></a>`, true},
		{"script hide undone by show", `<div id="p">` + spam + `</div><script>$("#p").hide();$("#p").show();</script>`, false},
		{"player download link in video fallback", `<video src="/v.mp4" controls>请<a href="https://get.adobe.example.com/flashplayer/">下载播放器</a></video>`, false},
		{"spam in video fallback", `<video src="/v.mp4">` + spam + `</video>`, true},
		{"link to the frame target in iframe content", `<iframe src="https://map.example.com/x"><a href="https://map.example.com/x">查看地图</a></iframe>`, false},
		{"opacity as a percentage", `<div style="opacity:0%">` + spam + `</div>`, true},
		{"clip-path inset clipping all", `<div style="clip-path:inset(0 0 100% 0)">` + spam + `</div>`, true},
		{"clip-path inset clipping a border", `<div style="clip-path:inset(0 10% 0 10%)">` + spam + `</div>`, false},
		{"jQuery hide with a duration", `<div id="p">` + spam + `</div><script>jQuery("#p").hide(0);</script>`, true},
		{"zero-size srcdoc frame", `<iframe width="0" height="0" srcdoc="` + strings.ReplaceAll(spam, `"`, "&quot;") + `"></iframe>`, true},
		{"visible srcdoc frame", `<iframe width="300" height="200" srcdoc="` + strings.ReplaceAll(spam, `"`, "&quot;") + `"></iframe>`, false},
		{"data: frame hidden by style", `<iframe style="display:none" src="data:text/html;base64,` + b64(spam) + `"></iframe>`, true},
		{"class set by script hides", `<style>.gone{display:none}</style><div id="p">` + spam + `</div><script>document.getElementById("p").className="gone";</script>`, true},
		{"class set by script that hides nothing", `<style>.red{color:red}</style><div id="p">` + spam + `</div><script>$("#p").addClass("red");</script>`, false},
		{"removed by script", `<div id="p">` + spam + `</div><script>document.getElementById("p").remove();</script>`, true},
		{"one link removed by script is a tip", `<div id="tip"><a href="https://browser.example.com/">升级浏览器</a></div><script>$("#tip").remove();</script>`, false},
		{"emptied by script", `<div id="p">` + spam + `</div><script>document.getElementById('p').innerHTML='';</script>`, true},
		{"setProperty hides", `<div id="p">` + spam + `</div><script>document.getElementById("p").style.setProperty("display","none");</script>`, true},
		{"spider test naming baidu", `<script>if(navigator.userAgent.match(/baidu/i)){document.write('` + spam + `')}</script>`, true},
		{"script hide by variable", `<div id="p">` + spam + `</div><script>var e=document.getElementById("p");e.style.display="none";</script>`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := Analyze(Page{URL: "http://www.own.gov.cn/", HTML: []byte("<html><body><p>正文</p>" + c.body + "</body></html>")})
			got := false
			for _, f := range rep.Findings {
				if f.Kind == KindHiddenLink {
					got = true
					if strings.Contains(f.Excerpt, "partner") {
						t.Errorf("visible partner link reported: %+v", f)
					}
				}
			}
			if got != c.hidden {
				t.Errorf("hidden_link = %v, want %v: %+v", got, c.hidden, rep.Findings)
			}
		})
	}
}
