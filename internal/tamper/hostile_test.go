package tamper

import (
	"fmt"
	"strings"
)

// Hostile pages: what a compromised or malicious monitored site can serve.
// They seed the fuzz targets (testdata/fuzz/, written by TestWriteFuzzSeeds)
// and TestHostilePages runs every entry point on all of them.

// caseTraps are characters whose lower- or upper-case form has another
// length in UTF-8, or that case-fold onto ASCII letters: an index found in a
// case-mapped copy is wrong in the original.
var caseTraps = []string{"Ⱥ", "\xff", "İ", "ẞ", "\u2126", "\u212A", "ﬀ", "ΐ"} // Ω ohm, K kelvin

// brokenEntities are character references a browser must repair.
var brokenEntities = []string{"&#xZZ;", "&am", "&#99999999999;", "&#0;", "&#xD800;", "&#x110000;", "&", "&#", "&#x;", "&lt", "&amp;amp;"}

type hostilePage struct {
	name string
	html []byte
}

// smallHostilePages are cheap enough to seed every target.
func smallHostilePages() []hostilePage {
	var out []hostilePage
	add := func(name, html string) { out = append(out, hostilePage{name, []byte(html)}) }
	for i, t := range caseTraps {
		r := strings.Repeat(t, 4)
		add(fmt.Sprintf("refresh-trap-%d", i), `<html><head><meta http-equiv="refresh" content="`+r+`url=http://evil.example/">`+
			`<meta http-equiv="Refresh" content="0;`+r+` URL=`+r+`'http://casino.example.cc/`+t+`'"><title>`+r+`</title></head><body><p>`+r+`</p></body></html>`)
		add(fmt.Sprintf("attr-trap-%d", i), `<HTML><HEAD><META HTTP-EQUIV="REFRE`+t+`H" CONTENT="0;URL=http://evil.example/">`+
			`<meta name="`+t+`eywords" content="博彩`+t+`"><link rel="canonical`+t+`" href="http://`+t+`.example/">`+
			`<STYLE>.h`+t+`{display:none}.x{DISPLAY:NONE`+t+`}</STYLE`+t+`><sTyLe>.y{visibility:hidden}</style></HEAD>`+
			`<BODY><DIV CLASS="h`+t+`"><A HREF="HTTP://`+t+`.casino.example/">`+t+`博彩</A></DIV>`+
			`<d`+t+`v style="display:none`+t+`"><a href="JAVASCR`+t+`PT:alert(1)">x</a><a href="h`+t+`tp://evil.example/">赌场</a></d`+t+`v>`+
			`<scr`+t+`pt>document.write('<a href=//evil.example/>x</a>')</scr`+t+`pt>`+
			`<SCRIPT TYPE="TEXT/JAVASCRIPT`+t+`" SRC="HTTPS://`+t+`.cdn.example/a.js?`+t+`"></SCRIPT>`+
			`<iframe src="//`+t+`.example/" style="W`+t+`DTH:0;height:0"></iframe></BODY></HTML>`)
	}
	add("nul-bytes", "<html\x00><head><title>\x00首页\x00</title><meta http-equiv=\"refresh\" content=\"0;\x00url=\x00http://evil.example/\"></head>"+
		"<body\x00><div style=\"display:\x00none\"><a\x00 href=\"http://x.cn/\x00\">\x00博彩\x00</a></div><script>\x00document.write('\x00<a href=//y.cc>\x00</a>')</script>\x00</body></html>")
	add("nul-only", strings.Repeat("\x00", 4096))
	var ent strings.Builder
	ent.WriteString(`<html><head><title>`)
	for _, e := range brokenEntities {
		ent.WriteString(e)
	}
	ent.WriteString(`</title><meta http-equiv="refresh" content="0;url=http://evil.example/&#xZZ;&am&#99999999999;"></head><body>`)
	for _, e := range brokenEntities {
		fmt.Fprintf(&ent, `<p title="%s">博%s彩</p><a href="http://e%s.example/%s">%s</a><div style="display:none%s">x</div>`, e, e, e, e, e, e)
	}
	ent.WriteString(`<script>var s="&#xZZ;&am";document.write(unescape("%ZZ%u12%"))</script></body></html>`)
	add("broken-entities", ent.String())
	add("invalid-utf8", "<html><head><title>\xff\xfe\xc0\xaf\xed\xa0\x80\xe4\xb8</title><meta http-equiv=\"refresh\" content=\"\xff\xffurl=\xff//\xff.example/\"></head>"+
		"<body><p>\x80\x81\x82 博\xff彩 \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80</p><a href=\"http://\xff\xfe.example/\xc0\">\xe4\xb8</a>"+
		"<div style=\"display:\xffnone\"><a href=\"//a\xed\xa0\x80.cc/\">\xff</a></div><script>document.write(\"\xff<a href=//b.cc>\xc3</a>\")</script></body></html>")
	add("unclosed", `<html><head><title>t<script>document.write('<a href=//x.cc>`)
	add("empty", "")
	return out
}

// deepNesting is 20,000 nested elements: closed divs, then unclosed mixed
// inline tags with hidden styles.
func deepNesting() []hostilePage {
	const n = 20000
	closed := strings.Repeat("<div>", n) + `<a href="http://deep.example/">博彩</a>` + strings.Repeat("</div>", n)
	var open strings.Builder
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			open.WriteString(`<b>`)
		case 1:
			open.WriteString(`<s style=display:none>`)
		case 2:
			open.WriteString(`<i class=h>`)
		default:
			open.WriteString(`<a href=//n.cc/>`)
		}
	}
	open.WriteString("深")
	return []hostilePage{
		{"deep-20000-closed", []byte("<html><body>" + closed + "</body></html>")},
		{"deep-20000-open", []byte("<html><head><style>.h{visibility:hidden}</style></head><body>" + open.String())},
	}
}

// manyLinks is 30,000 links to distinct foreign hosts, in a hidden block.
func manyLinks() hostilePage {
	var b strings.Builder
	b.WriteString(`<html><head><title>首页</title></head><body><div style="display:none">`)
	for i := 0; i < 30000; i++ {
		fmt.Fprintf(&b, `<a href=//h%d.cc>博彩</a>`, i)
	}
	b.WriteString(`</div></body></html>`)
	return hostilePage{"links-30000", []byte(b.String())}
}

// bigText is about 2 MB of visible text, with traps and spam terms spread
// through it; bigScript is about 2 MB of inline script.
func bigText() hostilePage {
	var b strings.Builder
	b.WriteString(`<html><head><title>长文</title></head><body><p>`)
	words := []string{"示例县人民政府", "政务公开", "博彩", "Ⱥ", "\xff", "İ", "ẞ", "\u2126", "\u212A", "ﬀ", "ΐ", "水利", "&am", "&#xZZ;", "通知公告", " "}
	for i := 0; b.Len() < 2<<20; i++ {
		b.WriteString(words[(i*7)%len(words)])
		if i%997 == 0 {
			b.WriteString("</p><p>")
		}
	}
	b.WriteString(`</p></body></html>`)
	return hostilePage{"text-2mb", []byte(b.String())}
}

func bigScript() hostilePage {
	var b strings.Builder
	b.WriteString(`<html><head><title>脚本</title><script>var s="`)
	for b.Len() < 1<<20 {
		b.WriteString(`%3Ca%20href%3D%22http%3A%2F%2Fevil.example%2F%22%3E`)
	}
	b.WriteString(`";document.write(unescape(s));`)
	for i := 0; b.Len() < 2<<20; i++ {
		// Many short literals that mention location: analyzeScript looked
		// for setTimeout in the whole script once per literal (quadratic).
		fmt.Fprintf(&b, "var v%d=String.fromCharCode(60,97,62)+'\\x3ca href=//s%d.cc>\\u535a\\u5f69</a>';document.write(v%d);var l%d='location.href=\"//r%d.cc/\"';\n", i, i%50, i, i, i%50)
	}
	b.WriteString(`eval(function(p,a,c,k,e,d){return p}('0.1="2"',3,3,'location|href|http://x.cc'.split('|'),0,{}))</script></head><body>x</body></html>`)
	return hostilePage{"script-2mb", []byte(b.String())}
}

// bigHostilePages are the large ones.
func bigHostilePages() []hostilePage {
	return append(deepNesting(), manyLinks(), bigText(), bigScript())
}
