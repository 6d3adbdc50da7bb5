package task

import (
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
)

// StandbyStep prefixes the step of a standby task (standby:support_team),
// the task a response level gives a support team or expert group.
const StandbyStep = "standby:"

// StandbyTitle is the title of the standby task of a level for a plan's
// standby entry: "Ⅱ级应急响应待命：…" (notify false), or, when the platform
// has no organisation playing the role, the activating office's task to
// tell name to stand by.
func StandbyTitle(level fenghuo.Grade, sb plan.Standby, notify bool, name string) phrase.Phrase {
	if notify {
		return phrase.New("task.standby.notify", "level", string(level), "name", name)
	}
	return phrase.New("task.standby", "level", string(level), "task", phrase.Words(sb.Task.ZH, sb.Task.EN))
}

// TitleWords is a task's title in both languages where the platform or the
// plan wrote it: a playbook step's title from the plan, a standby task's
// from the level; a title a person typed (an ad-hoc task) or one the plan
// no longer has stays as stored.
func TitleWords(plans *plan.Registry, t fenghuo.Task) phrase.Arg {
	stored := phrase.Text(t.Title)
	if plans == nil || t.PlanID == "" {
		return stored
	}
	p, err := plans.Get(t.PlanID)
	if err != nil {
		return stored
	}
	if role, ok := strings.CutPrefix(t.StepID, StandbyStep); ok {
		level, _, ok := strings.Cut(t.Title, "级")
		if !ok {
			return stored
		}
		for _, l := range p.ResponseLevels {
			for _, sb := range l.Standby {
				if sb.Role != role {
					continue
				}
				if ph := StandbyTitle(fenghuo.Grade(level), sb, false, ""); ph.Render(phrase.ZH) == t.Title {
					return phrase.Words(t.Title, ph.Render(phrase.EN))
				}
				if name, ok := strings.CutSuffix(strings.TrimPrefix(t.Title, level+"级应急响应：通知"), "进入待命状态"); ok && name != t.Title {
					ph := StandbyTitle(fenghuo.Grade(level), sb, true, name)
					return phrase.Words(t.Title, ph.Render(phrase.EN))
				}
			}
		}
		return stored
	}
	for _, pb := range p.Playbooks {
		if pb.ID != t.PlaybookID {
			continue
		}
		for _, st := range pb.Steps {
			if st.ID == t.StepID && (st.Title.ZH == t.Title || st.Title.ZH == "") {
				return phrase.Words(t.Title, st.Title.EN)
			}
		}
	}
	return stored
}

// taskTitleArg is a task's title as an argument of a timeline sentence.
func (s *Service) taskTitleArg(t *fenghuo.Task) phrase.Arg {
	return TitleWords(s.core.Plans(), *t)
}

// TitleIn is a task's title in lang (phrase.ZH or phrase.EN): the plan's
// or the platform's words in that language, a typed title as typed.
func (s *Service) TitleIn(t fenghuo.Task, lang string) string {
	a := TitleWords(s.core.Plans(), t)
	if lang == phrase.EN && a.EN != "" {
		return a.EN
	}
	return a.ZH
}
