package tamper

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func charCodes(s string) string {
	var parts []string
	for _, r := range s {
		parts = append(parts, fmt.Sprint(int(r)))
	}
	return strings.Join(parts, ",")
}

func TestDeobfuscate(t *testing.T) {
	target := "http://spam.example/x"
	b64 := base64.StdEncoding.EncodeToString([]byte(target))
	tests := []struct {
		name, code string
	}{
		{"atob", `location.href=atob('` + b64 + `');`},
		{"window.atob in decode idiom", `location.href=decodeURIComponent(escape(window.atob("` + b64 + `")));`},
		{"unescape percent", `location.href=unescape('%68%74%74%70%3A%2F%2Fspam.example/x');`},
		{"unescape %u", `location.href=unescape('%u0068ttp://spam.example/x');`},
		{"hex escapes", `location.href="\x68\x74\x74\x70://spam.example/x";`},
		{"unicode escapes", `location.href="\u0068ttp://spam\u002eexample/x";`},
		{"fromCharCode", `location.href=String.fromCharCode(` + charCodes(target) + `);`},
		{"fromCharCode.apply on a variable", `var q=[` + charCodes(target) + `];location.replace(String.fromCharCode.apply(null,q));`},
		{"concatenation", `location.href="ht"+"tp://spam"+".example/x";`},
		{"packer", `eval(function(p,a,c,k,e,d){e=function(c){return c};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('0.1="2://3.4/x";',62,5,'location|href|http|spam|example'.split('|'),0,{}))`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := analyzeScript(tt.code, 2)
			if len(f.redirects) == 0 {
				flat, _ := deobfuscate(tt.code)
				t.Fatalf("no redirect found; decoded code: %s", flat)
			}
			if got := f.redirects[0].target; got != target {
				t.Errorf("target = %q, want %q", got, target)
			}
		})
	}
}

func TestAnalyzeScriptWrites(t *testing.T) {
	html := `<div style="display:none"><a href="http://spam.example/">x</a></div>`
	enc := ""
	for _, b := range []byte(html) {
		enc += fmt.Sprintf("%%%02X", b)
	}
	f := analyzeScript(`document.write(unescape("`+enc+`"));`, 2)
	if len(f.html) != 1 || f.html[0] != html || !f.obfuscated {
		t.Fatalf("written html = %q, obfuscated=%v", f.html, f.obfuscated)
	}
	f = analyzeScript(`var s=document.createElement("script");s.src="//cdn.spam.example/a.js";document.body.appendChild(s);`, 2)
	if len(f.scripts) != 1 || f.scripts[0] != "//cdn.spam.example/a.js" {
		t.Fatalf("created scripts = %q", f.scripts)
	}
	f = analyzeScript(`document.writeln("<script src=\"http://a.example/b.js\"><\/script>");`, 2)
	if len(f.html) != 1 || !strings.Contains(f.html[0], "a.example/b.js") {
		t.Fatalf("written script tag = %q", f.html)
	}
}

func TestAnalyzeScriptGatesAndBenignCode(t *testing.T) {
	f := analyzeScript(`var r=document.referrer;if(r.indexOf("baidu")>-1){window.location="http://spam.example/";}`, 2)
	if len(f.redirects) != 1 || f.redirects[0].gate != "referrer" {
		t.Fatalf("referrer gate not seen: %+v", f.redirects)
	}
	f = analyzeScript(`if(/mobile/i.test(navigator.userAgent)){location.replace("http://m.spam.example/")}`, 2)
	if len(f.redirects) != 1 || f.redirects[0].gate != "user-agent" {
		t.Fatalf("user-agent gate not seen: %+v", f.redirects)
	}
	f = analyzeScript(`setTimeout("top.location.href='http://spam.example/'",3000);`, 2)
	if len(f.redirects) == 0 || !f.redirects[0].delay || f.redirects[0].target != "http://spam.example/" {
		t.Fatalf("delayed redirect: %+v", f.redirects)
	}
	// Reading location or the referrer is not a redirect.
	benign := []string{
		`var img=new Image();img.src='/pv.gif?r='+encodeURIComponent(document.referrer)+'&u='+encodeURIComponent(location.href);`,
		`if(location.href==window.top.location.href){init();}`,
		`window.external.addFavorite(location.href,document.title)`,
		`var re=/"location"/; var s = a / b; x = "it's";`,
	}
	for _, code := range benign {
		if f := analyzeScript(code, 2); len(f.redirects) != 0 {
			t.Errorf("benign code %q yields redirects %+v", code, f.redirects)
		}
	}
}

func TestURLHost(t *testing.T) {
	tests := map[string]string{
		"/a/b.html":                "",
		"#top":                     "",
		"javascript:void(0)":       "",
		"mailto:a@b.cn":            "",
		"http://WWW.Example.com/x": "www.example.com",
		"//cdn.example.com/a.js":   "cdn.example.com",
		"https://a.b.cn:8080/":     "a.b.cn",
	}
	for in, want := range tests {
		if got := urlHost(in); got != want {
			t.Errorf("urlHost(%q) = %q, want %q", in, got, want)
		}
	}
	if !sameSite("static.qingxi.gov.cn", "www.qingxi.gov.cn") || sameSite("other.gov.cn", "www.qingxi.gov.cn") {
		t.Error("sameSite must group by registrable domain under gov.cn")
	}
}
