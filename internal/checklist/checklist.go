// Package checklist reads inspection checklists (检查表) written as data: a
// YAML document of items, each with what to check, how to verify it, what
// evidence proves it and the clause it comes from. Two lists are built in,
// the self-inspection list of seed 000 §3 and the ransomware hardening list
// of seed 004 §2–§3; an office uploads its own as versions (docs/checklists.md).
package checklist

import (
	"fenghuo/internal/plan"
)

// Text is a Chinese text with its English translation, as in plans.
type Text = plan.Text

// Checklist is one checklist document.
type Checklist struct {
	// ID names the checklist: 2–63 lower-case letters, digits and hyphens.
	ID string `yaml:"id" json:"id"`
	// Version is the author's own label; Digest is added by Fenghuo.
	Version string `yaml:"version" json:"version"`
	Title   Text   `yaml:"title" json:"title"`
	// Source is the document the list reproduces.
	Source      string `yaml:"source,omitempty" json:"source,omitempty"`
	Description Text   `yaml:"description,omitempty" json:"description,omitempty"`
	Items       []Item `yaml:"items" json:"items"`

	// File names where the checklist was read from.
	File string `yaml:"-" json:"file,omitempty"`
	// Digest is the first 8 hex digits of the SHA-256 of the text.
	Digest string `yaml:"-" json:"digest"`
	raw    []byte
}

// Item is one point to check.
type Item struct {
	// ID is unique within the checklist and stable across versions: answers
	// and findings refer to it.
	ID   string `yaml:"id" json:"id"`
	Text Text   `yaml:"text" json:"text"`
	// Category groups items (see Categories).
	Category string `yaml:"category" json:"category"`
	// Severity is that of the finding a non-compliant answer raises:
	// critical, high, medium or low.
	Severity string `yaml:"severity" json:"severity"`
	// Verify says how to check the item; Evidence what must be kept.
	Verify   Text `yaml:"verify" json:"verify"`
	Evidence Text `yaml:"evidence" json:"evidence"`
	// EvidenceFile says a compliant answer must attach that evidence as an
	// uploaded file (a screenshot, a configuration export, a scan report):
	// a note alone does not prove it.
	EvidenceFile bool `yaml:"evidence_file,omitempty" json:"evidence_file"`
	// Clause and Quote cite the source: "三(一)" and its words.
	Clause string `yaml:"clause,omitempty" json:"clause,omitempty"`
	Quote  string `yaml:"quote,omitempty" json:"quote,omitempty"`
}

// Severities are those of findings, worst first.
var Severities = []string{"critical", "high", "medium", "low"}

// Categories are the groups an item may belong to, with their words.
var Categories = map[string]Text{
	"account":       {ZH: "账号与口令", EN: "Accounts and passwords"},
	"asset":         {ZH: "资产与系统", EN: "Assets and systems"},
	"vulnerability": {ZH: "漏洞与补丁", EN: "Vulnerabilities and patches"},
	"network":       {ZH: "网络与端口", EN: "Network and ports"},
	"access":        {ZH: "访问控制", EN: "Access control"},
	"host":          {ZH: "主机与终端", EN: "Hosts and endpoints"},
	"data":          {ZH: "数据与备份", EN: "Data and backups"},
	"management":    {ZH: "管理制度", EN: "Management"},
	"awareness":     {ZH: "意识与培训", EN: "Awareness and training"},
}

// FullVersion is the author's label with the digest of the text, as
// campaigns record it ("2019.1+3fa2c1d0").
func (c *Checklist) FullVersion() string { return c.Version + "+" + c.Digest }

// Raw returns the document's text.
func (c *Checklist) Raw() []byte { return c.raw }

// Item returns the item with the id.
func (c *Checklist) Item(id string) (*Item, bool) {
	for i := range c.Items {
		if c.Items[i].ID == id {
			return &c.Items[i], true
		}
	}
	return nil, false
}

// CategoryWords returns the words of a category, or the key itself.
func CategoryWords(key string) Text {
	if t, ok := Categories[key]; ok {
		return t
	}
	return Text{ZH: key, EN: key}
}
