package tamper

import (
	"math"
	"testing"
)

func TestEvalLength(t *testing.T) {
	cases := map[string]float64{
		"10px":                        10,
		"1e-3":                        0.001,
		"2em":                         32,
		"calc(-100vw - 5000px)":       -6366,
		"calc(-100% - 30000px)":       -31366,
		"calc((10px + 2rem) * -3)":    -126,
		"min(-9999px, 10vh)":          -9999,
		"max(-20000px, -100vw)":       -1366,
		"clamp(-9000px, -50vw, 10px)": -683,
		"-webkit-calc(-50vh)":         -384,
		"calc(100px/4)":               25,
	}
	for in, want := range cases {
		got, ok := parseLen(in)
		if !ok || math.Abs(got-want) > 0.01 {
			t.Errorf("parseLen(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"calc(", "calc(10px", "auto", "calc(1px / 0)", "foo(1px)", "10zz"} {
		if _, ok := parseLen(in); ok {
			t.Errorf("parseLen(%q) should fail", in)
		}
	}
}

func TestHideReasonValues(t *testing.T) {
	hidden := []string{
		"block-size:0;overflow:hidden",
		"inline-size:0;block-size:0;overflow:hidden",
		"max-block-size:0;overflow:clip",
		"height:0;overflow-block:hidden",
		"position:absolute;inset:-9999px auto auto -9999px",
		"position:fixed;inset-inline-start:-8000px",
		"position:absolute;inset-block:-4000px auto",
		"position:absolute;left:calc(-100vw - 5000px)",
		"position:absolute;top:min(-50vh, -2000px)",
		"margin-inline-start:-30000px",
		"margin-inline:-30000px 0",
		"margin-block-start:clamp(-99999px, -200vh, 0px)",
		"margin:0 0 0 calc(-100vw - 20000px)",
		"text-indent:calc(-100% - 30000px)",
		"text-indent:-6250em",
		"transform:matrix(0,0,0,0,0,0)",
		"transform:matrix(1,0,0,0,0,0)",
		"transform:matrix(2,4,1,2,0,0)",
		"transform:matrix3d(1,0,0,0,0,0,0,0,0,0,1,0,0,0,0,1)",
		"transform:rotateX(90deg)",
		"transform:rotateY(0.25turn)",
		"transform:rotate3d(0,1,0,90deg)",
		"transform:scale3d(0,1,1)",
		"transform:perspective(500px) rotateX(-90deg)",
		"transform:translate(-9999px,0) rotate(10deg)",
		"scale:0",
		"scale:1 0",
		"rotate:x 90deg",
		"translate:-9999px",
		"clip-path:ellipse(0px 0px)",
		"clip-path:ellipse(0 0 at 50% 50%)",
		"clip-path:circle(0)",
		"clip-path:circle(0px at center)",
		"clip-path:inset(0 0 100% 0)",
		"clip-path:inset(50% 50%)",
		"clip-path:polygon(0 0)",
		"clip-path:polygon(10px 10px, 10px 10px, 10px 10px)",
		"clip-path:polygon(0 0, 50% 50%, 100% 100%)",
		"-webkit-clip-path:polygon(0 0,0 0,0 0)",
		"position:absolute;clip:rect(auto 0px auto 0px)",
		"position:absolute;clip:rect(0 auto 0 auto)",
		"position:absolute;clip:rect(5px,5px,5px,5px)",
		"display:block;display:none",
		"display:none !important;display:block",
		"display:none;display:nope",
		"display:/**/none",
		"content-visibility:hidden",
		"opacity:1e-3",
		"font-size:0.00vw",
	}
	for _, s := range hidden {
		if _, r := hideReason(parseDecls(s)); r == "" {
			t.Errorf("%q should hide content", s)
		}
	}
	visible := []string{
		"block-size:0",
		"inline-size:10px;overflow:hidden;block-size:200px",
		"position:absolute;inset:0",
		"position:absolute;inset:-10px",
		"margin-inline-start:-20px",
		"left:calc(-100vw - 5000px)",
		"margin:0 auto",
		"transform:rotateX(30deg)",
		"transform:rotate(90deg)",
		"transform:matrix(1,0,0,1,0,0)",
		"transform:scale(1.05)",
		"transform:translate(-50%,-50%)",
		"scale:1",
		"rotate:45deg",
		"clip-path:circle(50%)",
		"clip-path:ellipse(40% 30%)",
		"clip-path:polygon(50% 0, 100% 100%, 0 100%)",
		"clip-path:inset(10px round 8px)",
		"position:absolute;clip:rect(auto auto auto auto)",
		"position:absolute;clip:rect(0 100px 50px 0)",
		"display:none;display:block",
		"display:none;display:block !important",
		"display:none !important;display:block !important",
		"transform:translateX(-100%);transition:transform .3s",
	}
	for _, s := range visible {
		if _, r := hideReason(parseDecls(s)); r != "" {
			t.Errorf("%q should not hide content, got %q", s, r)
		}
	}
}
