package tamper

import (
	"strings"
	"testing"
)

// Edge cases of the hiding classes added after the final split's first
// run and of the interface-panel rule: each page either must or must not
// produce a hidden_link finding.
func TestHidingClassesEdges(t *testing.T) {
	const spam = `<a href="http://spam.example.com/">澳门赌场</a> <a href="http://bet.example.net/">六合彩</a>`
	const neutral = `<a href="http://www.one.example.com/">网站建设</a> <a href="http://www.two.example.net/">源码下载</a>`
	slide := func(n int, hidden string) string {
		return `<div class="slide"` + hidden + `><a href="http://www.museum` + strings.Repeat("x", n) + `.example.org/">博物馆</a></div>`
	}
	cases := []struct {
		name, body string
		hidden     bool
	}{
		{"fadeOut(0)", `<div id="p">` + neutral + `</div><script>$("#p").fadeOut(0);</script>`, true},
		{"fadeTo to 0", `<div id="p">` + neutral + `</div><script>$("#p").fadeTo(0, 0);</script>`, true},
		{"fadeTo to half is visible", `<div id="p">` + neutral + `</div><script>$("#p").fadeTo(0, 0.5);</script>`, false},
		{"fadeOut on click is visible until then", `<div id="p">` + neutral + `</div><script>$(".x").click(function(){ $("#p").fadeOut(); });</script>`, false},
		{"addEventListener click", `<div id="p">` + neutral + `</div><script>document.getElementById("b").addEventListener("click", function(){ document.getElementById("p").style.display="none"; });</script>`, false},
		{"opacity 0 by script", `<div id="p">` + neutral + `</div><script>document.getElementById("p").style.opacity=0;</script>`, true},
		{"opacity 0.5 by script is visible", `<div id="p">` + neutral + `</div><script>document.getElementById("p").style.opacity=0.5;</script>`, false},
		{"opacity reset by script is visible", `<div id="p">` + neutral + `</div><script>document.getElementById("p").style.opacity="";</script>`, false},
		{"querySelector by class", `<div class="q">` + neutral + `</div><script>document.querySelector(".q").style.visibility="hidden";</script>`, true},
		{"created hidden element", `<script>var d=document.createElement("div");d.style.display="none";d.innerHTML='` + neutral + `';document.body.appendChild(d);</script>`, true},
		{"created visible element", `<script>var d=document.createElement("div");d.className="box";d.innerHTML='` + neutral + `';document.body.appendChild(d);</script>`, false},
		{"link built from parts in a hidden box", `<script>var b=document.createElement("div");b.hidden=true;var a=document.createElement("a");a.href="http://www.one.example.com/";a.textContent="网站建设";b.appendChild(a);var c=document.createElement("a");c.href="http://www.two.example.net/";c.textContent="源码";b.appendChild(c);document.body.appendChild(b);</script>`, true},
		{"attribute presence rule", `<style>[data-z]{display:none}</style><div data-z>` + neutral + `</div>`, true},
		{"attribute value rule", `<style>div[data-k="v 1"]{visibility:hidden}</style><div data-k="v 1">` + neutral + `</div>`, true},
		{"attribute value rule, other value", `<style>div[data-k="v 1"]{visibility:hidden}</style><div data-k="v 2">` + neutral + `</div>`, false},
		{"attribute prefix rule", `<style>[class^="zz"]{position:absolute;left:-9999px}</style><p class="zz-a">` + neutral + `</p>`, true},
		{"attribute rule with pseudo-class skipped", `<style>a[href^="http"]:hover{display:none}</style><p>` + neutral + `</p>`, false},
		{"clip box split over rule and style", `<style>.c{overflow:hidden}</style><div class="c" style="height:0">` + neutral + `</div>`, true},
		{"clip box with room", `<style>.c{overflow:hidden}</style><div class="c" style="height:40px">` + neutral + `</div>`, false},
		{"marquee sized by style", `<marquee style="height:0;width:0">` + neutral + `</marquee>`, true},
		{"link coloured like its text", `<p style="color:#666">` + strings.ReplaceAll(neutral, "<a ", `<a style="color:#666;text-decoration:none" `) + `</p>`, true},
		{"link coloured inherit with pointer", `<p>` + strings.ReplaceAll(neutral, "<a ", `<a style="color:inherit;text-decoration:none;cursor:pointer" `) + `</p>`, true},
		{"blue link without underline", `<p>` + strings.ReplaceAll(neutral, "<a ", `<a style="color:#06c;text-decoration:none" `) + `</p>`, false},
		{"link in a contrasting colour", `<p style="color:#333">` + strings.ReplaceAll(neutral, "<a ", `<a style="color:#c00;text-decoration:none" `) + `</p>`, false},
		{"carousel slide hidden", `<div class="sw">` + slide(1, "") + slide(2, ` style="display:none"`) + `</div>`, false},
		{"carousel slide hidden with spam", `<div class="sw">` + slide(1, "") + `<div class="slide" style="display:none">` + spam + `</div></div>`, true},
		{"hidden slide with many more links", `<div class="sw">` + slide(1, "") + `<div class="slide" style="display:none">` + neutral + neutral + strings.ReplaceAll(neutral, "example", "sample") + `</div></div>`, true},
		{"hidden sibling without a class", `<div><div><a href="http://www.a.example.org/">甲</a></div><div style="display:none">` + neutral + `</div></div>`, true},
		{"hidden slide off-screen is not a panel", `<div class="sw">` + slide(1, "") + slide(2, ` style="position:absolute;left:-9999px"`) + `</div>`, true},
		{"hidden public media link", `<div style="display:none"><a href="http://www.xinhuanet.com/">新华网</a><a href="https://www.12371.cn/">共产党员网</a></div>`, false},
		{"hidden public media link with spam text", `<div style="display:none"><a href="http://www.xinhuanet.com/">澳门赌场</a><a href="https://www.12371.cn/">六合彩</a></div>`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := Analyze(Page{URL: "http://www.own.gov.cn/", HTML: []byte("<html><body><p>正文</p>" + c.body + "</body></html>")})
			got := false
			for _, f := range rep.Findings {
				if f.Kind == KindHiddenLink {
					got = true
				}
			}
			if got != c.hidden {
				t.Errorf("hidden_link = %v, want %v: %+v", got, c.hidden, rep.Findings)
			}
		})
	}
}
