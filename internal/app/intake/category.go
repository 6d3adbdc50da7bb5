package intake

import (
	_ "embed"
	"encoding/json"
	"strings"
)

// attackMapping is the ATT&CK → GB/T 20986-2023 mapping, kept as data.
//
//go:embed attack_gbt20986.json
var attackMappingJSON []byte

// AttackMapping maps ATT&CK techniques and tactics, and as a fallback the
// detection kinds, to GB/T 20986-2023 category codes.
type AttackMapping struct {
	Techniques map[string]string `json:"techniques"`
	Tactics    map[string]string `json:"tactics"`
	Kinds      map[string]string `json:"kinds"`
}

// Mapping returns the built-in mapping.
func Mapping() AttackMapping {
	var m AttackMapping
	if err := json.Unmarshal(attackMappingJSON, &m); err != nil {
		panic("intake: attack_gbt20986.json: " + err.Error()) // embedded data, checked by the tests
	}
	return m
}

var attackMapping = Mapping()

// CategoryOf returns the GB/T 20986-2023 code for a group's Sigma tags
// ("attack.t1114.003", "attack.credential_access"): the first technique
// found (a sub-technique, else its parent), else the first tactic, else
// the kind's fallback.
func (m AttackMapping) CategoryOf(kind string, tags []string) string {
	for _, t := range tags {
		id, ok := strings.CutPrefix(strings.ToLower(t), "attack.t")
		if !ok || id == "" || id[0] < '0' || id[0] > '9' {
			continue
		}
		id = "T" + strings.ToUpper(id)
		if c, ok := m.Techniques[id]; ok {
			return c
		}
		if parent, _, ok := strings.Cut(id, "."); ok {
			if c, ok := m.Techniques[parent]; ok {
				return c
			}
		}
	}
	for _, t := range tags {
		if tactic, ok := strings.CutPrefix(strings.ToLower(t), "attack."); ok {
			if c, ok := m.Tactics[strings.ReplaceAll(tactic, "-", "_")]; ok {
				return c
			}
		}
	}
	return m.Kinds[kind]
}
