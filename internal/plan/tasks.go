package plan

import (
	"fmt"
	"slices"
	"time"

	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
)

// Playbook is an ordered list of steps for a typical incident (附件4); each
// step becomes a task when the playbook is instantiated.
type Playbook struct {
	ID     string `yaml:"id" json:"id"`
	Title  Text   `yaml:"title" json:"title"`
	Clause string `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text   string `yaml:"text,omitempty" json:"text,omitempty"`
	// Trigger is what instantiates the playbook: "report" (an incident of
	// its categories is reported; the default) or "activation" (a response
	// level in Levels is activated).
	Trigger string `yaml:"trigger,omitempty" json:"trigger,omitempty"`
	// Levels restricts an activation playbook to these response levels.
	Levels []fenghuo.Grade `yaml:"levels,omitempty" json:"levels,omitempty"`
	// Categories restricts the playbook to incidents of these categories
	// and their subcategories.
	Categories []string `yaml:"categories,omitempty" json:"categories,omitempty"`
	// Grades restricts the playbook to incidents of these grades.
	Grades []fenghuo.Grade `yaml:"grades,omitempty" json:"grades,omitempty"`
	// From is the event step due offsets count from: discovery for a
	// report playbook, response_start for an activation playbook, unless
	// set here or on a step.
	From  string `yaml:"from,omitempty" json:"from,omitempty"`
	Steps []Step `yaml:"steps" json:"steps"`
}

// Step is one task of a playbook.
type Step struct {
	ID    string `yaml:"id" json:"id"`
	Title Text   `yaml:"title" json:"title"`
	Text  string `yaml:"text,omitempty" json:"text,omitempty"`
	// Role is the plan role of the organisation that owns the task.
	Role string `yaml:"role,omitempty" json:"role,omitempty"`
	// Owner overrides Role: a plan role, "unit" (the incident's own unit)
	// or "activator" (the organisation that activated the response level).
	Owner string `yaml:"owner,omitempty" json:"owner,omitempty"`
	// Due is an offset from the step's event ("2h", "7d", "5wd"); empty
	// when the source sets no time limit.
	Due string `yaml:"due,omitempty" json:"due,omitempty"`
	// From overrides the playbook's event for this step.
	From string `yaml:"from,omitempty" json:"from,omitempty"`
	// Grades restricts the step to incidents of these grades
	// (附件4 四 4: 较大网络安全事件及以上).
	Grades    []fenghuo.Grade `yaml:"grades,omitempty" json:"grades,omitempty"`
	Mandatory bool            `yaml:"mandatory" json:"mandatory"`
	// Evidence lists what must be attached before the task is done.
	Evidence []string `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	// EscalateTo is told when the task passes its due time.
	EscalateTo []Party `yaml:"escalate_to,omitempty" json:"escalate_to,omitempty"`
}

// Playbook triggers and step owners beyond the plan roles.
const (
	TriggerReport     = "report"
	TriggerActivation = "activation"
	OwnerUnit         = "unit"
	OwnerActivator    = "activator"
)

var triggers = []string{TriggerReport, TriggerActivation}

// anchorEvents are the events a step's due time can count from.
var anchorEvents = []string{EventOccurrence, EventDiscovery, EventResponseStart, EventRiskNotice, EventWarningIssued}

// EffectiveTrigger is the playbook's trigger, "report" when unset.
func (pb Playbook) EffectiveTrigger() string {
	if pb.Trigger == "" {
		return TriggerReport
	}
	return pb.Trigger
}

// EffectiveFrom is the event the playbook's steps count from by default.
func (pb Playbook) EffectiveFrom() string {
	switch {
	case pb.From != "":
		return pb.From
	case pb.EffectiveTrigger() == TriggerActivation:
		return EventResponseStart
	}
	return EventDiscovery
}

// EffectiveOwner is the step's owner: Owner, else Role.
func (s Step) EffectiveOwner() string {
	if s.Owner != "" {
		return s.Owner
	}
	return s.Role
}

// OwnerName returns the bilingual name of a step owner.
func OwnerName(owner string) Text {
	switch owner {
	case OwnerUnit:
		return Text{ZH: "事发单位", EN: "the affected unit"}
	case OwnerActivator:
		return Text{ZH: "启动响应的单位", EN: "the organisation that activated the response"}
	}
	return RoleName(owner)
}

// Anchors are the times task due offsets count from; a zero time is not
// yet known.
type Anchors struct {
	Occurrence    time.Time `json:"occurrence,omitzero"`
	Discovery     time.Time `json:"discovery,omitzero"`
	ResponseStart time.Time `json:"response_start,omitzero"`
	RiskNotice    time.Time `json:"risk_notice,omitzero"`
	WarningIssued time.Time `json:"warning_issued,omitzero"`
}

// At returns the time of event e, zero when unknown.
func (a Anchors) At(e string) time.Time {
	switch e {
	case EventOccurrence:
		return a.Occurrence
	case EventDiscovery:
		return a.Discovery
	case EventResponseStart:
		return a.ResponseStart
	case EventRiskNotice:
		return a.RiskNotice
	case EventWarningIssued:
		return a.WarningIssued
	}
	return time.Time{}
}

// TaskInput is what instantiates playbooks: the trigger, the incident's
// category and grade under this plan, the response level activated (for
// the activation trigger) and the anchor times.
type TaskInput struct {
	Trigger  string
	Category string
	Grade    fenghuo.Grade
	Level    fenghuo.Grade
	Anchors  Anchors
}

// TaskDraft is one task to create from a playbook step.
type TaskDraft struct {
	Playbook      string    `json:"playbook"`
	PlaybookTitle Text      `json:"playbook_title"`
	Clause        string    `json:"clause,omitempty"`
	Step          string    `json:"step"`
	Order         int       `json:"order"`
	Title         Text      `json:"title"`
	Text          string    `json:"text,omitempty"`
	Owner         string    `json:"owner"`
	OwnerName     Text      `json:"owner_name"`
	Mandatory     bool      `json:"mandatory"`
	Evidence      []string  `json:"evidence,omitempty"`
	EscalateTo    []Party   `json:"escalate_to,omitempty"`
	Due           string    `json:"due,omitempty"`
	From          string    `json:"from,omitempty"`
	DueAt         time.Time `json:"due_at,omitzero"`
	// AnchorMissing is set when the step has a due offset but the time of
	// its event is not known yet; DueAt is then zero.
	AnchorMissing bool `json:"anchor_missing,omitempty"`
	// OnlyGrades is set when the step applies to some grades only and the
	// incident's grade was not given.
	OnlyGrades []fenghuo.Grade `json:"only_grades,omitempty"`
}

// playbookMatches reports whether the playbook is instantiated by in.
func (p *Plan) playbookMatches(pb Playbook, in TaskInput) bool {
	if pb.EffectiveTrigger() != in.Trigger {
		return false
	}
	if in.Trigger == TriggerActivation && len(pb.Levels) > 0 && !slices.Contains(pb.Levels, in.Level) {
		return false
	}
	if len(pb.Categories) > 0 && (in.Category == "" || p.tax == nil || !p.inCategories(in.Category, pb.Categories)) {
		return false
	}
	if len(pb.Grades) > 0 && in.Grade != "" && !slices.Contains(pb.Grades, in.Grade) {
		return false
	}
	return true
}

// categoryDepth is how specifically a playbook's categories name code: 2
// when they name code itself, 1 when they name only its parent, 0 when
// the playbook names no category (it applies to every incident).
func (p *Plan) categoryDepth(pb Playbook, code string) int {
	if len(pb.Categories) == 0 {
		return 0
	}
	if slices.Contains(pb.Categories, code) {
		return 2
	}
	return 1
}

// chosenPlaybooks lists the playbooks instantiated by in, in plan order.
// When playbooks are chosen by category the most specific category wins: a
// playbook naming the incident's own category replaces those that match it
// only through its parent (ransomware under OMI replaces the mass-virus
// playbook of MI). Playbooks without categories always apply.
func (p *Plan) chosenPlaybooks(in TaskInput) []Playbook {
	var matched []Playbook
	best := 0
	for _, pb := range p.Playbooks {
		if !p.playbookMatches(pb, in) {
			continue
		}
		matched = append(matched, pb)
		best = max(best, p.categoryDepth(pb, in.Category))
	}
	out := matched[:0]
	for _, pb := range matched {
		if d := p.categoryDepth(pb, in.Category); d == 0 || d == best {
			out = append(out, pb)
		}
	}
	return out
}

// ReplacedPlaybooks lists, for each category a playbook names, the other
// playbooks (same trigger) it replaces for incidents of that category
// because they match it only through its parent category. plan show
// prints it.
func (p *Plan) ReplacedPlaybooks(pb Playbook) map[string][]string {
	if len(pb.Categories) == 0 || p.tax == nil {
		return nil
	}
	out := map[string][]string{}
	for _, code := range pb.Categories {
		_, parent, ok := p.tax.Lookup(code)
		if !ok || parent == "" {
			continue
		}
		for _, other := range p.Playbooks {
			if other.ID == pb.ID || other.EffectiveTrigger() != pb.EffectiveTrigger() || slices.Contains(other.Categories, code) {
				continue
			}
			if slices.Contains(other.Categories, parent) {
				out[code] = append(out[code], other.ID)
			}
		}
	}
	return out
}

// TaskDrafts lists the tasks the plan's playbooks create for in, in
// playbook and step order, with absolute due times. Working-day spans are
// counted on cal (calendar.Default() when nil). It reads no clock and
// writes nothing.
func (p *Plan) TaskDrafts(in TaskInput, cal *calendar.Calendar) []TaskDraft {
	if cal == nil {
		cal = calendar.Default()
	}
	var out []TaskDraft
	for _, pb := range p.chosenPlaybooks(in) {
		for i, st := range pb.Steps {
			d := TaskDraft{Playbook: pb.ID, PlaybookTitle: pb.Title, Clause: pb.Clause, Step: st.ID, Order: i + 1,
				Title: st.Title, Text: st.Text, Owner: st.EffectiveOwner(), Mandatory: st.Mandatory,
				Evidence: st.Evidence, EscalateTo: st.EscalateTo, Due: st.Due}
			d.OwnerName = OwnerName(d.Owner)
			if len(st.Grades) > 0 {
				if in.Grade == "" {
					d.OnlyGrades = st.Grades
				} else if !slices.Contains(st.Grades, in.Grade) {
					continue
				}
			}
			if st.Due != "" {
				d.From = st.From
				if d.From == "" {
					d.From = pb.EffectiveFrom()
				}
				sp, err := calendar.ParseSpan(st.Due)
				at := in.Anchors.At(d.From)
				switch {
				case err != nil:
					// Validated plans have valid spans; keep the draft undated.
					d.AnchorMissing = true
				case at.IsZero():
					d.AnchorMissing = true
				default:
					d.DueAt = cal.Deadline(at, sp)
				}
			}
			out = append(out, d)
		}
	}
	return out
}

func (v *validator) playbooks(p *Plan) {
	ids := map[string]bool{}
	levels := map[fenghuo.Grade]bool{}
	for _, r := range p.ResponseLevels {
		levels[r.Level] = true
	}
	for i, pb := range p.Playbooks {
		path := fmt.Sprintf("playbooks[%d]", i)
		if v.required(path+".id", pb.ID) {
			if ids[pb.ID] {
				v.errorf(path+".id", "playbook %q is defined twice", pb.ID)
			}
			ids[pb.ID] = true
		}
		v.required(path+".title.zh", pb.Title.ZH)
		trigger := pb.EffectiveTrigger()
		if !slices.Contains(triggers, trigger) {
			v.errorf(path+".trigger", "%q is not a trigger: use report or activation", pb.Trigger)
			trigger = "" // checks that depend on the trigger are skipped
		}
		if len(pb.Levels) > 0 && trigger == TriggerReport {
			v.errorf(path+".levels", "levels apply to trigger: activation only")
		}
		for j, g := range pb.Levels {
			lp := fmt.Sprintf("%s.levels[%d]", path, j)
			if !g.Valid() {
				v.errorf(lp, "%q is not a grade: use I, II, III or IV", g)
			} else if !levels[g] {
				v.errorf(lp, "the plan has no response level %s", g)
			}
		}
		v.categories(path+".categories", pb.Categories)
		v.gradeList(path+".grades", pb.Grades, map[fenghuo.Grade]bool{}, false)
		if pb.From != "" {
			v.event(path+".from", pb.From, anchorEvents...)
		}
		if len(pb.Steps) == 0 {
			v.errorf(path+".steps", "a playbook needs at least one step")
		}
		steps := map[string]bool{}
		for j, s := range pb.Steps {
			sp := fmt.Sprintf("%s.steps[%d]", path, j)
			if v.required(sp+".id", s.ID) {
				if steps[s.ID] {
					v.errorf(sp+".id", "step %q is defined twice in playbook %s", s.ID, pb.ID)
				}
				steps[s.ID] = true
			}
			v.required(sp+".title.zh", s.Title.ZH)
			switch {
			case s.Owner == "":
				v.role(sp+".role", s.Role, false)
			case s.Role != "":
				v.role(sp+".role", s.Role, false)
				fallthrough
			default:
				v.owner(sp+".owner", s.Owner, trigger)
			}
			v.span(sp+".due", s.Due, false)
			if s.From != "" {
				v.event(sp+".from", s.From, anchorEvents...)
				if s.Due == "" {
					v.errorf(sp+".from", "from has no effect without due")
				}
			}
			v.gradeList(sp+".grades", s.Grades, map[fenghuo.Grade]bool{}, false)
			v.parties(sp+".escalate_to", s.EscalateTo, false)
			if len(s.EscalateTo) > 0 && s.Due == "" {
				v.errorf(sp+".escalate_to", "a step without due never becomes overdue: give due or remove escalate_to")
			}
		}
	}
}

func (v *validator) owner(path, owner, trigger string) {
	switch owner {
	case OwnerUnit:
	case OwnerActivator:
		if trigger == TriggerReport {
			v.errorf(path, "owner activator needs trigger: activation (a reported incident may have no activated level yet)")
		}
	default:
		if _, ok := roleNames[owner]; !ok || owner == RoleAny {
			v.errorf(path, "unknown owner %q%s: use a plan role, unit or activator", owner, suggest(owner, append(Roles(), OwnerUnit, OwnerActivator)))
		}
	}
}
