package sigma

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

// Built-in rule sets, one directory each under rules/:
//
//	mail    seed 000 §4(一): mail log-ins from unusual places or hours, log-in
//	        bursts, bulk downloads, forwarding rules
//	egress  seed 000 §4(三): large outbound transfers
//	ids     Suricata and Wazuh alerts of high severity, under their own titles
//
//go:embed rules
var builtinFS embed.FS

// BuiltinNames lists the built-in rule sets.
func BuiltinNames() []string {
	entries, err := fs.ReadDir(builtinFS, "rules")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// Builtin loads the built-in rule sets.
func Builtin() ([]*RuleSet, error) {
	var out []*RuleSet
	for _, name := range BuiltinNames() {
		s, err := LoadDir(builtinFS, "rules/"+name, name)
		if err != nil {
			return nil, fmt.Errorf("built-in rule set %s: %w", name, err)
		}
		out = append(out, s)
	}
	return out, nil
}
