package tamper

import "testing"

func TestHideReason(t *testing.T) {
	hidden := []string{
		"display:none",
		"DISPLAY: NONE !important",
		"visibility:hidden",
		"opacity:0",
		"opacity:0.01;position:absolute",
		"filter:alpha(opacity=0)",
		"font-size:0",
		"font-size:0px;line-height:0",
		"height:0;overflow:hidden",
		"width:1px;height:1px;overflow:hidden",
		"max-height:0;overflow-y:hidden",
		"position:absolute;left:-9999px",
		"position:fixed;top:-3000px",
		"position:absolute;left:-100em",
		"text-indent:-9999px",
		"position:absolute;clip:rect(0,0,0,0)",
		"position:absolute;clip:rect(0px 0px 0px 0px)",
		"clip-path:inset(50%)",
		"transform:scale(0)",
		"margin-left:-20000px",
		"color:#fff;background-color:#fff",
	}
	for _, s := range hidden {
		if _, r := hideReason(parseDecls(s)); r == "" {
			t.Errorf("%q should hide content", s)
		}
	}
	visible := []string{
		"display:block",
		"opacity:0.8",
		"font-size:14px",
		"height:0",                     // content overflows and stays visible
		"overflow:hidden",              // no size limit
		"position:absolute;left:-10px", // small offsets are layout
		"position:relative;left:-9999px",
		"text-indent:2em",
		"clip:rect(0,0,0,0)", // clip needs absolute positioning
		"color:#333;background:#fff",
	}
	for _, s := range visible {
		if _, r := hideReason(parseDecls(s)); r != "" {
			t.Errorf("%q should not hide content, got %q", s, r)
		}
	}
}

func TestStyleSheetHidden(t *testing.T) {
	ss := newStyleSheet()
	ss.add(`/* menu */
.menu .sub{display:none}
.menu li:hover .sub{display:block}
.x1{height:0;overflow:hidden}
#box{visibility:hidden}
.slide{display:none}
.slide.active{display:block}
@media screen and (min-width:100px){ .m{position:absolute;left:-9999px} }
@media print { .p{display:none} }
div.tagged{font-size:0}
`)
	el := func(tag, id string, classes ...string) *elemInfo {
		return &elemInfo{tag: tag, id: id, classes: classes}
	}
	menu := el("ul", "", "menu")
	li := el("li", "")
	tests := []struct {
		name   string
		e      *elemInfo
		anc    []*elemInfo
		inline string
		hidden bool
	}{
		{"descendant rule", el("ul", "", "sub"), []*elemInfo{menu, li}, "", true},
		{"descendant rule without ancestor", el("ul", "", "sub"), nil, "", false},
		{"class rule", el("div", "", "x1"), nil, "", true},
		{"id rule", el("div", "box"), nil, "", true},
		{"more specific show rule wins", el("li", "", "slide", "active"), nil, "", false},
		{"plain slide hidden", el("li", "", "slide"), nil, "", true},
		{"inline style shows again", el("li", "", "slide"), nil, "display:block", false},
		{"media screen", el("p", "", "m"), nil, "", true},
		{"media print ignored", el("p", "", "p"), nil, "", false},
		{"tag.class compound", el("div", "", "tagged"), nil, "", true},
		{"tag mismatch", el("span", "", "tagged"), nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := ss.hidden(tt.e, tt.anc, parseDecls(tt.inline))
			if (r != "") != tt.hidden {
				t.Errorf("hidden = %q, want hidden=%v", r, tt.hidden)
			}
		})
	}
}
