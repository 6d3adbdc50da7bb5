package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// library is the benchmark's indicators of compromise: addresses, domains,
// file hashes and URLs in the shares a threat feed has.
type library struct {
	ipv4, domains, sha256, urls []string
}

var words = []string{"update", "secure", "login", "mail", "cloud", "office", "service", "account", "verify", "cdn", "static",
	"portal", "support", "download", "sync", "api", "auth", "gov", "notice", "docs"}

// newLibrary makes n distinct indicators: half IPv4 addresses, 30 %
// domains, 15 % SHA-256 hashes, 5 % URLs.
func newLibrary(n int, seed uint64) *library {
	r := rand.New(rand.NewPCG(seed, seed+1))
	lib := &library{}
	seen := map[string]bool{}
	add := func(list *[]string, v string) {
		if !seen[v] {
			seen[v] = true
			*list = append(*list, v)
		}
	}
	for len(lib.ipv4) < n/2 {
		// Public ranges only (the matcher ignores none, but a feed holds
		// no private addresses).
		first := []int{5, 23, 31, 37, 45, 46, 62, 77, 80, 85, 91, 92, 93, 94, 95, 103, 104, 107, 141, 146, 149, 151, 154, 156, 162, 167, 176, 178, 179, 185, 188, 193, 194, 195, 212, 213, 217}[r.IntN(37)]
		add(&lib.ipv4, fmt.Sprintf("%d.%d.%d.%d", first, r.IntN(256), r.IntN(256), 1+r.IntN(254)))
	}
	for len(lib.domains) < n*3/10 {
		add(&lib.domains, fmt.Sprintf("%s-%s%d.%s", words[r.IntN(len(words))], words[r.IntN(len(words))], r.IntN(100000), tlds[r.IntN(len(tlds))]))
	}
	for len(lib.sha256) < n*15/100 {
		var b [32]byte
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		add(&lib.sha256, fmt.Sprintf("%x", b))
	}
	for len(lib.urls) < n-len(lib.ipv4)-len(lib.domains)-len(lib.sha256) {
		add(&lib.urls, fmt.Sprintf("http://%s%d.example-%s.net/%s/%s.php", words[r.IntN(len(words))], r.IntN(1000), tlds[r.IntN(len(tlds))], words[r.IntN(len(words))], session(r)[:8]))
	}
	return lib
}

func (lib *library) len() int {
	return len(lib.ipv4) + len(lib.domains) + len(lib.sha256) + len(lib.urls)
}

// bundles writes the library as STIX 2.1 bundles of at most per
// indicators each (an import takes at most 32 MiB), as a feed publishes
// them: an identity, the TLP 2.0 AMBER marking, one indicator object per
// value.
func (lib *library) bundles(per int, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, seed+2))
	uuid := func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	}
	type object map[string]any
	const amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
	identity := "identity--" + uuid()
	created := time.Now().UTC().Add(-72 * time.Hour).Format("2006-01-02T15:04:05.000Z")
	var patterns, names []string
	for _, v := range lib.ipv4 {
		patterns, names = append(patterns, fmt.Sprintf("[ipv4-addr:value = '%s']", v)), append(names, "C2 / scanning address")
	}
	for _, v := range lib.domains {
		patterns, names = append(patterns, fmt.Sprintf("[domain-name:value = '%s']", v)), append(names, "Phishing domain")
	}
	for _, v := range lib.sha256 {
		patterns, names = append(patterns, fmt.Sprintf("[file:hashes.'SHA-256' = '%s']", v)), append(names, "Malware sample")
	}
	for _, v := range lib.urls {
		patterns, names = append(patterns, fmt.Sprintf("[url:value = '%s']", v)), append(names, "Malware download URL")
	}
	var out [][]byte
	for start := 0; start < len(patterns); start += per {
		objs := []object{
			{"type": "identity", "spec_version": "2.1", "id": identity, "created": created, "modified": created,
				"name": "省网信办威胁情报共享平台", "identity_class": "organization"},
			{"type": "marking-definition", "spec_version": "2.1", "id": amber, "created": "2022-10-01T00:00:00.000Z", "name": "TLP:AMBER",
				"extensions": object{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": object{"extension_type": "property-extension", "tlp_2_0": "amber"}}},
		}
		for i := start; i < min(start+per, len(patterns)); i++ {
			objs = append(objs, object{"type": "indicator", "spec_version": "2.1", "id": "indicator--" + uuid(), "created_by_ref": identity,
				"created": created, "modified": created, "name": names[i], "indicator_types": []string{"malicious-activity"},
				"pattern": patterns[i], "pattern_type": "stix", "pattern_version": "2.1", "valid_from": created,
				"confidence": 50 + r.IntN(50), "object_marking_refs": []string{amber}})
		}
		b, err := json.Marshal(object{"type": "bundle", "id": "bundle--" + uuid(), "objects": objs})
		if err != nil {
			panic(err) // maps of strings and numbers always marshal
		}
		out = append(out, b)
	}
	return out
}
