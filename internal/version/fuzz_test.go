package version

import "testing"

// FuzzCompare checks that Compare is an order on whatever parses: a version
// equals itself, the order is antisymmetric and transitive over three
// inputs, and a version's own text reads back equal.
func FuzzCompare(f *testing.F) {
	for _, s := range [][3]string{
		{"12.2.1.3.0", "12.2.1.3", "14.1.1"},
		{"1.0.2k", "1.0.2", "1.0.2.1"},
		{"2.5.10.1", "2.5.10-rc1", "2.5.10.Final"},
		{"1.0-rc1", "1.0.0-RC1", "1"},
		{"0", "0.0", "v0.0.1"},
		{"7.4p1", "7.4", "99999999999999999999"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		va, errA := Parse(a)
		vb, errB := Parse(b)
		vc, errC := Parse(c)
		if errA == nil {
			if Compare(va, va) != 0 {
				t.Fatalf("%q differs from itself", a)
			}
			again, err := Parse(va.String())
			if err != nil || Compare(again, va) != 0 {
				t.Fatalf("%q does not read back: %v", a, err)
			}
		}
		if errA != nil || errB != nil {
			return
		}
		if Compare(va, vb) != -Compare(vb, va) {
			t.Fatalf("Compare(%q, %q) is not antisymmetric", a, b)
		}
		if errC == nil && Compare(va, vb) <= 0 && Compare(vb, vc) <= 0 && Compare(va, vc) > 0 {
			t.Fatalf("%q <= %q <= %q but %q > %q", a, b, c, a, c)
		}
	})
}

// FuzzParseSet checks that a set that parses prints as text that parses to
// the same set, and that the set holds the same versions either way.
func FuzzParseSet(f *testing.F) {
	for _, s := range [][2]string{
		{"12.2.1.3 - 12.2.1.4", "12.2.1.3.0"},
		{"[2.5.0, 2.5.13)", "2.5.10.1"},
		{"<2.3.35；>=2.5.0 <2.5.13 || 2.6.x", "2.6.1"},
		{"(,1.0.2k]", "1.0.2a"},
		{"12.1.3, 10.3.6", "10.3.6"},
		{"*", "1"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, set, ver string) {
		s, err := ParseSet(set)
		if err != nil {
			return
		}
		again, err := ParseSet(s.String())
		if err != nil {
			t.Fatalf("%q prints as %q, which does not parse: %v", set, s.String(), err)
		}
		if again.String() != s.String() {
			t.Fatalf("%q prints as %q, then as %q", set, s.String(), again.String())
		}
		if v, err := Parse(ver); err == nil && s.Contains(v) != again.Contains(v) {
			t.Fatalf("%q and its printed form %q disagree on %q", set, s.String(), ver)
		}
	})
}
