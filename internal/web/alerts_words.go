package web

// Words of the alert pages that are not plain catalogue lookups: levels,
// states and kinds, relative times, ECS field names, Sigma tags (ATT&CK
// tactics and techniques) and the rows of an event table.

import (
	"fmt"
	"html/template"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AlertLevelLabel, AlertStateLabel and AlertKindLabel name a group's
// level (Sigma's informational … critical), triage state and kind of
// detection in the page's language.
func (v *view) AlertLevelLabel(s string) string { return v.vocab("alert.level", s) }
func (v *view) AlertStateLabel(s string) string { return v.vocab("alert.state", s) }
func (v *view) AlertKindLabel(s string) string  { return v.vocab("alert.kind", s) }

// SourceKindLabel names an intake source's format (the parser it hints).
func (v *view) SourceKindLabel(s string) string {
	if s == "" {
		return v.T("sources.kind.auto")
	}
	return v.vocab("sources.kind", s)
}

// FieldLabel names an ECS field in words ("源地址" for source.ip); a field
// without a word is its name.
func (v *view) FieldLabel(name string) string { return v.vocab("ecs", name) }

// fieldWords is FieldLabel's word only ("" without one), for a table
// that shows the name beside it.
func (v *view) fieldWords(name string) string {
	if _, ok := messages["ecs."+name]; !ok {
		return ""
	}
	return v.T("ecs." + name)
}

// alertLevels are Sigma's levels, most severe first (facets list them so).
var alertLevels = []string{"critical", "high", "medium", "low", "informational"}

// alertStates are the triage states, the ones needing work first.
var alertStates = []string{"open", "assigned", "dismissed", "promoted"}

// alertKinds are the kinds of detection.
var alertKinds = []string{"sigma", "threshold", "ioc"}

// searchFields are the event fields offered in the search's list, the
// indexed ones first.
var searchFields = []string{"source.ip", "destination.ip", "user.name", "host.name", "event.category", "rule.id",
	"event.action", "event.outcome", "client.ip", "host.ip", "process.name", "url.domain", "url.full",
	"dns.question.name", "file.hash.sha256", "file.name", "email.from.address", "email.to.address",
	"source.geo.country_iso_code", "observer.name", "message"}

// Ago says how long ago t was from the server's clock ("5分钟前",
// "5 min ago"), inside a <time> whose title is the absolute time.
func (v *view) Ago(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	d := v.Now.Sub(t)
	var s string
	switch {
	case d < time.Minute:
		s = v.T("alert.ago.now")
	case d < time.Hour:
		s = fmt.Sprintf(v.T("alert.ago.min"), int(d/time.Minute))
	case d < 6*time.Hour:
		s = fmt.Sprintf(v.T("alert.ago.hourmin"), int(d/time.Hour), int(d%time.Hour/time.Minute))
	case d < 48*time.Hour:
		s = fmt.Sprintf(v.T("alert.ago.hour"), int(d/time.Hour))
	default:
		s = fmt.Sprintf(v.T("alert.ago.day"), int(d/(24*time.Hour)))
	}
	abs := template.HTMLEscapeString(dueTime(t))
	return template.HTML(`<time datetime="` + t.UTC().Format(time.RFC3339) + `" title="` + abs + `">` + template.HTMLEscapeString(s) + `</time>`)
}

// tagWord is one Sigma tag: its words (an ATT&CK tactic's or technique's
// name) and the tag as the rule writes it.
type tagWord struct{ Words, Code string }

var techniqueTag = regexp.MustCompile(`^attack\.(t\d{4}(?:\.\d{3})?)$`)

// tagWords puts a rule's tags in words: ATT&CK tactics by name, technique
// ids upper-cased with the name the service gives (names may be nil), the
// rest as they are.
func (v *view) tagWords(tags []string, names map[string]string) []tagWord {
	out := make([]tagWord, 0, len(tags))
	for _, t := range tags {
		lt := strings.ToLower(t)
		if m := techniqueTag.FindStringSubmatch(lt); m != nil {
			id := strings.ToUpper(m[1])
			out = append(out, tagWord{Words: names[id], Code: id})
			continue
		}
		if tactic, ok := strings.CutPrefix(lt, "attack."); ok {
			if _, known := messages["attack.tactic."+tactic]; known {
				out = append(out, tagWord{Words: v.T("alert.tactic") + v.Colon() + v.T("attack.tactic."+tactic), Code: t})
				continue
			}
		}
		out = append(out, tagWord{Code: t})
	}
	return out
}

// eventRow is one event for a table: the columns a person reads first and
// every field on demand.
type eventRow struct {
	ID                          int64
	At, Received                time.Time
	OrgName, SensorName, Kind   string
	Source, User, Host, Message string
	Fields                      []eventField
	Raw                         string
	RawTruncated                bool
}

type eventField struct{ Name, Words, Value string }

// eventTable is what the event_table partial draws.
type eventTable struct {
	V        *view
	Events   []eventRow
	WithUnit bool
}

// EventTable hands rows to the event_table partial.
func (v *view) EventTable(rows []eventRow, withUnit bool) eventTable {
	return eventTable{V: v, Events: rows, WithUnit: withUnit}
}

// fieldRows lists an event's fields in name order, values in text (a
// list joined by ", "), with their words in the page's language.
func (v *view) fieldRows(fields map[string]any) []eventField {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]eventField, 0, len(names))
	for _, k := range names {
		out = append(out, eventField{Name: k, Words: v.fieldWords(k), Value: fieldText(fields[k])})
	}
	return out
}

// fieldText writes a field value as text.
func fieldText(x any) string {
	switch t := x.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case []string:
		return strings.Join(t, ", ")
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = fieldText(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(x)
}

// firstOf returns the first non-empty field of names.
func firstOf(fields map[string]any, names ...string) string {
	for _, n := range names {
		if s := fieldText(fields[n]); s != "" {
			return s
		}
	}
	return ""
}
