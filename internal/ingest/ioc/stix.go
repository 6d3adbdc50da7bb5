package ioc

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/TcM1911/stix2"
)

// Problem is one object of an imported document that was not taken, and
// why.
type Problem struct {
	Object string // the STIX id, MISP uuid, or the object's place ("objects[3]")
	Reason string
}

// Batch is what an imported document holds.
type Batch struct {
	Format     string // "stix" or "misp"
	Indicators []Indicator
	Skipped    []Problem
	Ignored    int // objects that carry no indicator (relationships, malware, reports …)
}

// STIX marking-definition ids of the TLP labels: TLP 2.0 (the OASIS TLP 2.0
// extension, extension-definition--60a3c5c5-…) and TLP 1.0 (predefined by
// STIX 2.1 §7.2.1.4).
var (
	tlp2Marking = map[TLP]string{
		TLPClear:       "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
		TLPGreen:       "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
		TLPAmber:       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
		TLPAmberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
		TLPRed:         "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
	}
	tlp1Marking = map[string]TLP{
		"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": TLPClear, // TLP:WHITE
		"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": TLPGreen,
		"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": TLPAmber,
		"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": TLPRed,
	}
)

const tlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

// MaxObjects bounds the objects of one imported document.
const MaxObjects = 200_000

// tlpOfMarking returns the TLP label of a known marking-definition id.
func tlpOfMarking(id string) (TLP, bool) {
	for t, m := range tlp2Marking {
		if m == id {
			return t, true
		}
	}
	t, ok := tlp1Marking[id]
	return t, ok
}

// rawMarking is the part of a marking-definition read to learn its TLP
// label when its id is not one of the published ones.
type rawMarking struct {
	Type           string `json:"type"`
	ID             string `json:"id"`
	Name           string `json:"name"`
	DefinitionType string `json:"definition_type"`
	Definition     struct {
		TLP string `json:"tlp"`
	} `json:"definition"`
	Extensions map[string]struct {
		TLP2 string `json:"tlp_2_0"`
	} `json:"extensions"`
}

// ReadSTIX reads a STIX 2.1 bundle: each indicator whose pattern
// ParsePattern accepts gives one Indicator per value; each vulnerability
// with a CVE id gives a cve Indicator; TLP comes from the object's
// marking refs (TLP 2.0 or 1.0), else unmarked; confidence from the
// object, else 50; the source from the identity named by created_by_ref.
// Objects that cannot be read or represented are reported in Skipped with
// their id; only a document that is not a bundle at all is an error.
func ReadSTIX(data []byte, unmarked TLP) (*Batch, error) {
	var env struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, fmt.Errorf("not a STIX bundle: %w", err)
	}
	if env.Type != "bundle" {
		return nil, fmt.Errorf("not a STIX bundle: type is %q, want \"bundle\"", env.Type)
	}
	if len(env.Objects) > MaxObjects {
		return nil, fmt.Errorf("the bundle holds %d objects, more than %d", len(env.Objects), MaxObjects)
	}
	b := &Batch{Format: "stix"}
	type head struct {
		Type string `json:"type"`
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	heads := make([]head, len(env.Objects))
	markings := map[string]TLP{}
	identities := map[string]string{}
	for i, raw := range env.Objects {
		if err := json.Unmarshal(raw, &heads[i]); err != nil {
			heads[i] = head{}
			continue
		}
		switch heads[i].Type {
		case "identity":
			identities[heads[i].ID] = heads[i].Name
		case "marking-definition":
			var m rawMarking
			if json.Unmarshal(raw, &m) != nil {
				continue
			}
			if t, ok := tlpOfMarking(m.ID); ok {
				markings[m.ID] = t
			} else if ext, ok := m.Extensions[tlp2Extension]; ok {
				if t, ok := ParseTLP(ext.TLP2); ok {
					markings[m.ID] = t
				}
			} else if m.DefinitionType == "tlp" {
				if t, ok := ParseTLP(m.Definition.TLP); ok {
					markings[m.ID] = t
				}
			}
		}
	}
	tlpOf := func(refs []stix2.Identifier) TLP {
		// The narrowest label among the refs wins.
		best := TLP("")
		for _, r := range refs {
			t, ok := markings[string(r)]
			if !ok {
				t, ok = tlpOfMarking(string(r))
			}
			if ok && (best == "" || tlpRank(t) > tlpRank(best)) {
				best = t
			}
		}
		if best == "" {
			return unmarked
		}
		return best
	}
	for i, raw := range env.Objects {
		h := heads[i]
		where := h.ID
		if where == "" {
			where = fmt.Sprintf("objects[%d]", i)
		}
		switch h.Type {
		case "indicator":
			obj, err := parseObject(raw)
			if err != nil {
				b.Skipped = append(b.Skipped, Problem{where, err.Error()})
				continue
			}
			ind, ok := obj.(*stix2.Indicator)
			if !ok {
				b.Skipped = append(b.Skipped, Problem{where, "not an indicator"})
				continue
			}
			inds, err := fromSTIXIndicator(ind, identities, tlpOf(ind.ObjectMarking))
			if err != nil {
				b.Skipped = append(b.Skipped, Problem{where, err.Error()})
				continue
			}
			b.Indicators = append(b.Indicators, inds...)
		case "vulnerability":
			obj, err := parseObject(raw)
			if err != nil {
				b.Skipped = append(b.Skipped, Problem{where, err.Error()})
				continue
			}
			v, ok := obj.(*stix2.Vulnerability)
			if !ok {
				b.Skipped = append(b.Skipped, Problem{where, "not a vulnerability"})
				continue
			}
			in, err := fromSTIXVulnerability(v, identities, tlpOf(v.ObjectMarking))
			if err != nil {
				b.Skipped = append(b.Skipped, Problem{where, err.Error()})
				continue
			}
			b.Indicators = append(b.Indicators, in)
		case "":
			b.Skipped = append(b.Skipped, Problem{where, "not a STIX object (no type)"})
		default:
			b.Ignored++
		}
	}
	return b, nil
}

// tlpRank orders labels from the widest audience (0) to the narrowest.
func tlpRank(t TLP) int {
	for i, u := range TLPs {
		if u == t {
			return i
		}
	}
	return len(TLPs)
}

// parseObject reads one object with the stix2 library. The library
// panics on some malformed values (a timestamp that is not a string), so
// a panic is caught and reported as the object's error.
func parseObject(raw json.RawMessage) (obj stix2.STIXObject, err error) {
	defer func() {
		if r := recover(); r != nil {
			obj, err = nil, fmt.Errorf("malformed object: %v", r)
		}
	}()
	c, err := stix2.FromJSON(append(append([]byte("["), raw...), ']'), stix2.DropCustomOption())
	if err != nil {
		return nil, fmt.Errorf("malformed object: %w", err)
	}
	all := c.AllObjects()
	if len(all) != 1 {
		return nil, fmt.Errorf("malformed object")
	}
	return all[0], nil
}

func confidenceOf(c int) int {
	if c <= 0 || c > 100 {
		// STIX: absent means unspecified; the library takes the middle.
		return 50
	}
	return c
}

func fromSTIXIndicator(ind *stix2.Indicator, identities map[string]string, tlp TLP) ([]Indicator, error) {
	if ind.Revoked {
		return nil, fmt.Errorf("revoked by its producer")
	}
	if !strings.EqualFold(ind.PatternType, "stix") {
		return nil, fmt.Errorf("pattern type %q is not supported (only stix)", ind.PatternType)
	}
	terms, err := ParsePattern(ind.Pattern)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %v", ind.Pattern, err)
	}
	base := Indicator{STIXID: string(ind.ID), Name: ind.Name, Description: ind.Description,
		Source: identities[string(ind.CreatedBy)], Confidence: confidenceOf(ind.Confidence), TLP: tlp}
	if ind.ValidFrom != nil {
		base.ValidFrom = ind.ValidFrom.Time
	}
	if ind.ValidUntil != nil {
		base.ValidUntil = ind.ValidUntil.Time
	}
	var out []Indicator
	for _, t := range terms {
		in := base
		in.Type, in.Value = t.Type, t.Value
		if err := in.Validate(); err != nil {
			return nil, fmt.Errorf("pattern %q: %v", ind.Pattern, err)
		}
		out = append(out, in)
	}
	return out, nil
}

func fromSTIXVulnerability(v *stix2.Vulnerability, identities map[string]string, tlp TLP) (Indicator, error) {
	if v.Revoked {
		return Indicator{}, fmt.Errorf("revoked by its producer")
	}
	cve := ""
	for _, r := range v.ExternalReferences {
		if r != nil && strings.EqualFold(r.Name, "cve") && r.ExternalID != "" {
			cve = r.ExternalID
			break
		}
	}
	if cve == "" && cvePattern.MatchString(strings.ToUpper(strings.TrimSpace(v.Name))) {
		cve = v.Name
	}
	if cve == "" {
		return Indicator{}, fmt.Errorf("no CVE id (external reference with source_name cve)")
	}
	in := Indicator{STIXID: string(v.ID), Type: TypeCVE, Value: cve, Name: v.Name, Description: v.Description,
		Source: identities[string(v.CreatedBy)], Confidence: confidenceOf(v.Confidence), TLP: tlp}
	if err := in.Validate(); err != nil {
		return Indicator{}, err
	}
	return in, nil
}

// tlp2Definition is the marking-definition object of a TLP 2.0 label as
// the OASIS TLP 2.0 extension publishes it.
func tlp2Definition(t TLP) json.RawMessage {
	d := map[string]any{
		"type": "marking-definition", "spec_version": "2.1", "id": tlp2Marking[t],
		"created": "2022-10-01T00:00:00.000Z", "name": "TLP:" + string(t),
		"extensions": map[string]any{tlp2Extension: map[string]any{
			"extension_type": "property-extension", "tlp_2_0": strings.ToLower(string(t))}},
	}
	raw, _ := json.Marshal(d)
	return raw
}

// WriteSTIX writes indicators as a STIX 2.1 bundle issued by the identity
// (an organization) named issuer: each indicator an indicator object with
// a stix pattern (a CVE a vulnerability object with its cve external
// reference), its TLP 2.0 marking and the marking definitions used. An
// indicator keeps its STIX id; one without gets a new id.
func WriteSTIX(inds []Indicator, issuer string, now time.Time) ([]byte, error) {
	ts := &stix2.Timestamp{Time: now.UTC().Truncate(time.Millisecond)}
	id, err := stix2.NewIdentity(issuer, stix2.OptionCreated(ts), stix2.OptionModified(ts))
	if err != nil {
		return nil, fmt.Errorf("stix identity: %w", err)
	}
	id.Class = stix2.IdentityClassOrganization
	objs := []stix2.STIXObject{id}
	used := map[TLP]bool{}
	for _, in := range inds {
		tlp := in.TLP
		if _, ok := tlp2Marking[tlp]; !ok {
			tlp = TLPAmber
		}
		used[tlp] = true
		opts := []stix2.STIXOption{stix2.OptionCreatedBy(id.ID), stix2.OptionCreated(ts), stix2.OptionModified(ts),
			stix2.OptionObjectMarking([]stix2.Identifier{stix2.Identifier(tlp2Marking[tlp])})}
		if in.Confidence > 0 {
			opts = append(opts, stix2.OptionConfidence(in.Confidence))
		}
		if in.Description != "" {
			opts = append(opts, stix2.OptionDescription(in.Description))
		}
		if in.Type == TypeCVE {
			v, err := stix2.NewVulnerability(in.Value, opts...)
			if err != nil {
				return nil, fmt.Errorf("stix vulnerability %s: %w", in.Value, err)
			}
			v.ExternalReferences = []*stix2.ExternalReference{{Name: "cve", ExternalID: in.Value}}
			if strings.HasPrefix(in.STIXID, "vulnerability--") {
				v.ID = stix2.Identifier(in.STIXID)
			}
			objs = append(objs, v)
			continue
		}
		from := in.ValidFrom
		if from.IsZero() {
			from = now
		}
		ind, err := stix2.NewIndicator(FormatPattern(in.Type, in.Value), stix2.PatternTypeSTIX,
			&stix2.Timestamp{Time: from.UTC().Truncate(time.Millisecond)}, opts...)
		if err != nil {
			return nil, fmt.Errorf("stix indicator %s: %w", in.Value, err)
		}
		ind.PatternVersion = "2.1"
		ind.Name = in.Name
		if ind.Name == "" {
			ind.Name = string(in.Type) + " " + in.Value
		}
		ind.Types = []string{stix2.IndicatorTypeMaliciousActivity}
		if !in.ValidUntil.IsZero() && in.ValidUntil.After(from) {
			ind.ValidUntil = &stix2.Timestamp{Time: in.ValidUntil.UTC().Truncate(time.Millisecond)}
		}
		if strings.HasPrefix(in.STIXID, "indicator--") {
			ind.ID = stix2.Identifier(in.STIXID)
		}
		objs = append(objs, ind)
	}
	bundle, err := stix2.NewBundle(objs...)
	if err != nil {
		return nil, fmt.Errorf("stix bundle: %w", err)
	}
	for _, t := range TLPs {
		if used[t] {
			bundle.Objects = append(bundle.Objects, tlp2Definition(t))
		}
	}
	return json.MarshalIndent(bundle, "", "  ")
}

// NewSTIXID returns a new random STIX id of the given type ("indicator").
func NewSTIXID(typ string) string { return string(stix2.NewIdentifier(stix2.STIXType(typ))) }
