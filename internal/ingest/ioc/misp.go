package ioc

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MISP event JSON (the MISP core format, draft-dulaunoy-misp-core-format):
// {"Event": {"uuid", "info", "Orgc": {"name"}, "Tag": [{"name": "tlp:amber"}],
// "Attribute": [...], "Object": [{"Attribute": [...]}]}}.
type mispEvent struct {
	Event struct {
		UUID      string          `json:"uuid"`
		Info      string          `json:"info"`
		Date      string          `json:"date,omitempty"`
		Orgc      *mispOrg        `json:"Orgc,omitempty"`
		Tag       []mispTag       `json:"Tag,omitempty"`
		Attribute []mispAttribute `json:"Attribute"`
		Object    []struct {
			Name      string          `json:"name"`
			UUID      string          `json:"uuid"`
			Attribute []mispAttribute `json:"Attribute"`
		} `json:"Object,omitempty"`
	} `json:"Event"`
}

type mispOrg struct {
	Name string `json:"name"`
	UUID string `json:"uuid,omitempty"`
}

type mispTag struct {
	Name string `json:"name"`
}

type mispAttribute struct {
	UUID     string    `json:"uuid"`
	Type     string    `json:"type"`
	Category string    `json:"category,omitempty"`
	Value    string    `json:"value"`
	ToIDs    mispBool  `json:"to_ids"`
	Comment  string    `json:"comment,omitempty"`
	Deleted  mispBool  `json:"deleted,omitempty"`
	First    string    `json:"first_seen,omitempty"`
	Last     string    `json:"last_seen,omitempty"`
	Tag      []mispTag `json:"Tag,omitempty"`
}

// mispBool reads true/false, "1"/"0" and 1/0: MISP versions differ.
type mispBool bool

func (b *mispBool) UnmarshalJSON(d []byte) error {
	switch strings.Trim(string(d), `"`) {
	case "true", "1":
		*b = true
	case "false", "0", "", "null":
		*b = false
	default:
		return fmt.Errorf("not a boolean: %s", d)
	}
	return nil
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// mispTypes maps the MISP attribute types the library holds to indicator
// types ("" means: typed by the value, an address or network).
var mispTypes = map[string]Type{
	"ip-src": "", "ip-dst": "", "domain": TypeDomain, "hostname": TypeDomain, "url": TypeURL, "uri": TypeURL,
	"md5": TypeMD5, "sha1": TypeSHA1, "sha256": TypeSHA256,
	"filename|md5": TypeMD5, "filename|sha1": TypeSHA1, "filename|sha256": TypeSHA256,
	"vulnerability": TypeCVE, "email-src": TypeEmail, "email-dst": TypeEmail, "email": TypeEmail,
}

// tlpOfTags returns the narrowest tlp:* tag's label.
func tlpOfTags(tags []mispTag) (TLP, bool) {
	best, found := TLP(""), false
	for _, t := range tags {
		if !strings.HasPrefix(strings.ToLower(t.Name), "tlp:") {
			continue
		}
		if l, ok := ParseTLP(t.Name); ok && (!found || tlpRank(l) > tlpRank(best)) {
			best, found = l, true
		}
	}
	return best, found
}

// ReadMISP reads a MISP event: every attribute of the event and its
// objects with to_ids set and a type in mispTypes becomes an indicator
// (a filename|hash its hash); TLP from the attribute's tlp:* tag, else the
// event's, else unmarked; the source is the creating org (Orgc); an
// attribute's uuid gives the STIX id indicator--<uuid>, as MISP's own STIX
// export writes it. Anything else is reported in Skipped with its uuid.
func ReadMISP(data []byte, unmarked TLP) (*Batch, error) {
	var ev mispEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("not a MISP event: %w", err)
	}
	e := &ev.Event
	if e.Info == "" && e.UUID == "" && len(e.Attribute) == 0 && len(e.Object) == 0 {
		return nil, fmt.Errorf("not a MISP event: no Event with uuid, info or attributes")
	}
	attrs := append([]mispAttribute(nil), e.Attribute...)
	for _, o := range e.Object {
		attrs = append(attrs, o.Attribute...)
	}
	if len(attrs) > MaxObjects {
		return nil, fmt.Errorf("the event holds %d attributes, more than %d", len(attrs), MaxObjects)
	}
	eventTLP, ok := tlpOfTags(e.Tag)
	if !ok {
		eventTLP = unmarked
	}
	source := ""
	if e.Orgc != nil {
		source = e.Orgc.Name
	}
	b := &Batch{Format: "misp"}
	for i, a := range attrs {
		where := a.UUID
		if where == "" {
			where = fmt.Sprintf("Attribute[%d]", i)
		}
		if a.Deleted {
			b.Ignored++
			continue
		}
		typ, known := mispTypes[a.Type]
		if !known {
			b.Skipped = append(b.Skipped, Problem{where, fmt.Sprintf("attribute type %q is not an indicator type the library holds", a.Type)})
			continue
		}
		if !a.ToIDs {
			b.Skipped = append(b.Skipped, Problem{where, "to_ids is off: not meant for detection"})
			continue
		}
		value := a.Value
		if strings.HasPrefix(a.Type, "filename|") {
			if i := strings.LastIndexByte(value, '|'); i >= 0 {
				value = value[i+1:]
			}
		}
		if typ == "" {
			typ = DetectType(value)
			if typ != TypeIPv4 && typ != TypeIPv6 {
				b.Skipped = append(b.Skipped, Problem{where, fmt.Sprintf("%s value %q is not an address", a.Type, a.Value)})
				continue
			}
		}
		tlp, ok := tlpOfTags(a.Tag)
		if !ok {
			tlp = eventTLP
		}
		in := Indicator{Type: typ, Value: value, Name: e.Info, Description: a.Comment, Source: source, Confidence: 50, TLP: tlp}
		if uuidPattern.MatchString(a.UUID) {
			in.STIXID = "indicator--" + strings.ToLower(a.UUID)
		}
		if t, err := time.Parse(time.RFC3339Nano, a.First); err == nil {
			in.ValidFrom = t
		}
		if err := in.Validate(); err != nil {
			b.Skipped = append(b.Skipped, Problem{where, err.Error()})
			continue
		}
		b.Indicators = append(b.Indicators, in)
	}
	return b, nil
}

// mispTypeOf is the MISP attribute type and category an indicator is
// exported as.
func mispTypeOf(t Type) (typ, category string) {
	switch t {
	case TypeIPv4, TypeIPv6:
		return "ip-dst", "Network activity"
	case TypeDomain:
		return "domain", "Network activity"
	case TypeURL:
		return "url", "Network activity"
	case TypeEmail:
		return "email-src", "Payload delivery"
	case TypeCVE:
		return "vulnerability", "External analysis"
	}
	return string(t), "Payload delivery"
}

// mispDistribution maps a TLP label to MISP's distribution levels (0 your
// organisation only, 1 this community, 2 connected communities, 3 all).
func mispDistribution(t TLP) string {
	switch t {
	case TLPClear:
		return "3"
	case TLPGreen:
		return "2"
	case TLPAmber:
		return "1"
	}
	return "0"
}

// WriteMISP writes indicators as one MISP event created by org issuer,
// each an attribute with to_ids set and its tlp:* tag; an indicator whose
// STIX id carries a uuid keeps it as the attribute's uuid.
func WriteMISP(inds []Indicator, issuer, info string, now time.Time) ([]byte, error) {
	type attr struct {
		UUID         string    `json:"uuid"`
		Type         string    `json:"type"`
		Category     string    `json:"category"`
		Value        string    `json:"value"`
		ToIDs        bool      `json:"to_ids"`
		Distribution string    `json:"distribution"`
		Comment      string    `json:"comment"`
		Timestamp    string    `json:"timestamp"`
		FirstSeen    string    `json:"first_seen,omitempty"`
		Tag          []mispTag `json:"Tag"`
	}
	type event struct {
		UUID          string    `json:"uuid"`
		Info          string    `json:"info"`
		Date          string    `json:"date"`
		ThreatLevelID string    `json:"threat_level_id"`
		Analysis      string    `json:"analysis"`
		Distribution  string    `json:"distribution"`
		Published     bool      `json:"published"`
		Timestamp     string    `json:"timestamp"`
		Orgc          mispOrg   `json:"Orgc"`
		Tag           []mispTag `json:"Tag"`
		Attribute     []attr    `json:"Attribute"`
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	e := event{UUID: uuidOf(""), Info: info, Date: now.Format("2006-01-02"), ThreatLevelID: "2", Analysis: "2",
		Distribution: "0", Timestamp: ts, Orgc: mispOrg{Name: issuer}, Tag: []mispTag{}, Attribute: []attr{}}
	for _, in := range inds {
		typ, cat := mispTypeOf(in.Type)
		a := attr{UUID: uuidOf(in.STIXID), Type: typ, Category: cat, Value: in.Value, ToIDs: true,
			Distribution: mispDistribution(in.TLP), Comment: in.Description, Timestamp: ts,
			Tag: []mispTag{{Name: "tlp:" + strings.ToLower(string(in.TLP))}}}
		if !in.ValidFrom.IsZero() {
			a.FirstSeen = in.ValidFrom.UTC().Format(time.RFC3339)
		}
		e.Attribute = append(e.Attribute, a)
	}
	// The event's own label is the narrowest it may carry: the
	// narrowest of its attributes'.
	narrowest := TLPClear
	for _, in := range inds {
		if tlpRank(in.TLP) > tlpRank(narrowest) {
			narrowest = in.TLP
		}
	}
	e.Tag = append(e.Tag, mispTag{Name: "tlp:" + strings.ToLower(string(narrowest))})
	e.Distribution = mispDistribution(narrowest)
	return json.MarshalIndent(map[string]any{"Event": e}, "", "  ")
}

// uuidOf returns the uuid of a STIX id, or a new one.
func uuidOf(stixID string) string {
	if i := strings.Index(stixID, "--"); i >= 0 && uuidPattern.MatchString(stixID[i+2:]) {
		return stixID[i+2:]
	}
	id := NewSTIXID("indicator")
	return id[strings.Index(id, "--")+2:]
}

// Read reads a document in either format, telling them apart by their
// top-level shape: a STIX bundle has "type": "bundle", a MISP event an
// "Event" object.
func Read(data []byte, unmarked TLP) (*Batch, error) {
	var probe struct {
		Type  string          `json:"type"`
		Event json.RawMessage `json:"Event"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	switch {
	case probe.Type == "bundle":
		return ReadSTIX(data, unmarked)
	case len(probe.Event) > 0:
		return ReadMISP(data, unmarked)
	}
	return nil, fmt.Errorf("neither a STIX 2.1 bundle (\"type\": \"bundle\") nor a MISP event (\"Event\")")
}
