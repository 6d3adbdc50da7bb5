package version

import (
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	// Each line is in ascending order; "=" joins equal versions.
	orders := []string{
		"12.1.3 < 12.2.1.3 = 12.2.1.3.0 < 12.2.1.4 < 12.2.1.4.0.1 < 14.1.1 = v14.1.1.0",
		"1.0.1 < 1.0.2 < 1.0.2a < 1.0.2k < 1.0.2m < 1.0.2.1 < 1.1.0",
		"2.5.10-alpha < 2.5.10-beta2 < 2.5.10-beta10 < 2.5.10-rc1 < 2.5.10 = 2.5.10.GA < 2.5.10.1 < 2.5.13 < 2.5.100",
		"7.1.0.Final < 7.1.1 = 7.1.1.Final < 7.1.10",
		"1.0-rc1 = 1.0.0-RC1 < 1.0 = 1 = 1.0.0",
		"9 < 10 < 99999999999999999999 < 100000000000000000000",
		"7.4 < 7.4p1 < 7.4p2 < 7.5",
	}
	for _, line := range orders {
		var prev Version
		var rel string
		for _, tok := range strings.Fields(line) {
			if tok == "<" || tok == "=" {
				rel = tok
				continue
			}
			v, err := Parse(tok)
			if err != nil {
				t.Fatalf("%s: %v", tok, err)
			}
			if !prev.IsZero() {
				want := map[string]int{"<": -1, "=": 0}[rel]
				if got := Compare(prev, v); got != want {
					t.Errorf("Compare(%s, %s) = %d, want %d", prev, v, got, want)
				}
				if got := Compare(v, prev); got != -want {
					t.Errorf("Compare(%s, %s) = %d, want %d", v, prev, got, -want)
				}
			}
			prev = v
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, s := range []string{"", "  ", "latest", "v", "x1.0", "1..2", "1.2.", "1.0 beta", "1,2", strings.Repeat("1", MaxLen+1), "1.0/2", "一点零"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}

func TestRanges(t *testing.T) {
	cases := []struct {
		set     string
		text    string
		in, out []string
	}{
		{"12.2.1.3 - 12.2.1.4", "12.2.1.3 - 12.2.1.4", []string{"12.2.1.3", "12.2.1.3.0", "12.2.1.3.5", "12.2.1.4.0"}, []string{"12.2.1.2", "12.2.1.4.1", "14.1.1", "10.3.6"}},
		{"12.2.1.3-12.2.1.4", "12.2.1.3 - 12.2.1.4", []string{"12.2.1.4"}, []string{"14.1.1"}},
		{"12.2.1.3 至 12.2.1.4", "12.2.1.3 - 12.2.1.4", []string{"12.2.1.3"}, []string{"12.2.1.5"}},
		{"[2.5.0, 2.5.13)", ">=2.5.0, <2.5.13", []string{"2.5", "2.5.10.1", "2.5.12"}, []string{"2.5.13", "2.3.37", "2.5.13.1"}},
		{"(,1.0.2k]", "<=1.0.2k", []string{"1.0.1", "1.0.2k", "0.9.8"}, []string{"1.0.2l", "1.1.0"}},
		{">= 2.5.0, < 2.5.13", ">=2.5.0, <2.5.13", []string{"2.5.12"}, []string{"2.5.13"}},
		{">8.5", ">8.5", []string{"8.5.1", "9"}, []string{"8.5", "8.4.99"}},
		{"2.5.x", "2.5.x", []string{"2.5", "2.5.0.1", "2.5.37"}, []string{"2.6", "2.4.9", "25.0"}},
		{"2.0.*", "2.0.x", []string{"2.0.1"}, []string{"2.1", "2"[:1] + ".9"}},
		{"14.1.1", "=14.1.1", []string{"14.1.1.0"}, []string{"14.1.1.1", "12.2.1.3"}},
		{"12.1.3, 10.3.6", "=12.1.3\n=10.3.6", []string{"12.1.3", "10.3.6.0"}, []string{"12.2.1.3"}},
		{"<2.3.35；>=2.5.0 <2.5.13 || 2.6.x", "<2.3.35\n>=2.5.0, <2.5.13\n2.6.x", []string{"2.3.34", "2.5.1", "2.6.2"}, []string{"2.3.35", "2.5.13"}},
		{"*", "*", []string{"0.1", "99"}, nil},
		// As Chinese notices (CNVD) write them: ～ or ~ for a range, 、 for a
		// list, ≤ ≥. "12.2.1.3～12.2.1.4" once read as one odd version that
		// matched nothing, so the notice reached nobody.
		{"12.2.1.3～12.2.1.4", "12.2.1.3 - 12.2.1.4", []string{"12.2.1.3.0", "12.2.1.4"}, []string{"14.1.1", "12.2.1.2"}},
		{"12.2.1.3~12.2.1.4", "12.2.1.3 - 12.2.1.4", []string{"12.2.1.3.0", "12.2.1.4"}, []string{"14.1.1"}},
		{"12.2.1.3 ~ 12.2.1.4", "12.2.1.3 - 12.2.1.4", []string{"12.2.1.4.0"}, []string{"14.1.1"}},
		{"10.3.6.0、12.1.3.0、12.2.1.3.0", "=10.3.6.0\n=12.1.3.0\n=12.2.1.3.0", []string{"10.3.6", "12.2.1.3"}, []string{"12.2.1.4"}},
		{"≥2.5.0，＜2.5.13", ">=2.5.0, <2.5.13", []string{"2.5.12"}, []string{"2.5.13"}},
		{"1.0~rc1", "=1.0~rc1", []string{"1.0~rc1"}, []string{"1.0"}},
	}
	for _, c := range cases {
		s, err := ParseSet(c.set)
		if err != nil {
			t.Errorf("ParseSet(%q): %v", c.set, err)
			continue
		}
		if s.String() != c.text {
			t.Errorf("ParseSet(%q) = %q, want %q", c.set, s.String(), c.text)
		}
		again, err := ParseSet(s.String())
		if err != nil || again.String() != s.String() {
			t.Errorf("%q does not read back: %v %q", s.String(), err, again.String())
		}
		for _, v := range c.in {
			if !s.Contains(MustParse(v)) {
				t.Errorf("%q does not hold %s", c.set, v)
			}
		}
		for _, v := range c.out {
			if s.Contains(MustParse(v)) {
				t.Errorf("%q holds %s", c.set, v)
			}
		}
	}
}

// A character that may not be in a version is named as it was typed.
func TestParseNamesTheCharacter(t *testing.T) {
	if _, err := Parse("12.2.1.3、"); err == nil || !strings.Contains(err.Error(), "'、'") {
		t.Errorf("error %v", err)
	}
}

func TestParseSetRefuses(t *testing.T) {
	for _, s := range []string{"", " ; ", "12.2.1.4 - 12.2.1.3", "[2.0, 1.0]", "(1.0,1.0)", "[1.0 2.0]", "[1.0,2.0", ">=1.0 2.0",
		">=1 >=2", "<1 <=2", "=1 >2", "~>1.0", "a.x", "latest", strings.Repeat("1;", MaxRanges+1)} {
		if got, err := ParseSet(s); err == nil {
			t.Errorf("ParseSet(%q) accepted: %q", s, got)
		}
	}
}

func TestNormalize(t *testing.T) {
	cases := []struct{ vendor, name, key string }{
		{"", "Oracle WebLogic Server", "oracle/weblogic_server"},
		{"", "weblogic", "oracle/weblogic_server"},
		{"", "WebLogic Server", "oracle/weblogic_server"},
		{"Oracle", "WebLogic-Server", "oracle/weblogic_server"},
		{"甲骨文", "WebLogic", "oracle/weblogic_server"},
		{"", "Apache Struts2", "apache/struts"},
		{"", "struts 2", "apache/struts"},
		{"Apache", "Struts", "apache/struts"},
		{"", "Apache Tomcat", "apache/tomcat"},
		{"", "tomcat", "apache/tomcat"},
		{"", "OpenSSL", "openssl/openssl"},
		{"", "JBoss EAP", "redhat/jboss"},
		{"", "Red Hat JBoss", "redhat/jboss"},
		{"", "Nginx", "nginx/nginx"},
		{"Microsoft", "Internet Information Services", "microsoft/iis"},
		{"", "IIS", "microsoft/iis"},
		{"", "Our Portal CMS", "/our_portal_cms"},
		{"Acme", "Portal CMS", "acme/portal_cms"},
		{"Apache", "Portal CMS", "apache/portal_cms"},
		{"Microsoft", "Tomcat", "microsoft/tomcat"}, // a known vendor with another's product name is not that product
	}
	for _, c := range cases {
		if got := Normalize(c.vendor, c.name); got.Key != c.key {
			t.Errorf("Normalize(%q, %q) = %q, want %q", c.vendor, c.name, got.Key, c.key)
		}
	}
	if p := Normalize("", "weblogic"); p.Vendor != "Oracle" || p.Name != "WebLogic Server" || !p.Known {
		t.Errorf("weblogic names %+v", p)
	}
	if Normalize("", "  ").Key != "" {
		t.Error("an empty name has a key")
	}
	same := func(v1, n1, v2, n2 string) bool { return Normalize(v1, n1).Same(Normalize(v2, n2)) }
	if !same("", "weblogic", "Oracle", "WebLogic Server") || same("", "weblogic", "", "tomcat") {
		t.Error("known products compare wrongly")
	}
	if !same("", "Portal CMS", "Acme", "portal-cms") || same("Beta", "Portal CMS", "Acme", "Portal CMS") {
		t.Error("unknown products compare wrongly")
	}
}

func TestProductTableRefuses(t *testing.T) {
	for _, text := range []string{"a/b | A | B", "ab | A | B | b", "Oracle/x | O | X | x", "a/b | A | B | tomcat"} {
		if err := loadProducts(text); err == nil {
			t.Errorf("loadProducts(%q) accepted", text)
		}
	}
}
