package web_test

// The IOC library page names the TLP labels as FIRST's TLP 2.0 writes them
// (the standard asks that labels stay untranslated: TLP:AMBER+STRICT; the
// page adds a Chinese word beside each), the exchange formats by their own
// names and the hash algorithms by theirs.
func init() {
	for _, w := range []string{"TLP", "CLEAR", "GREEN", "AMBER", "STRICT", "RED", "STIX", "MISP", "MD5", "SHA"} {
		acronyms[w] = true
	}
}
