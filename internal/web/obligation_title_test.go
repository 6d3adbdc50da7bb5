package web

import (
	"testing"

	"fenghuo/internal/app/task"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// The titles of task and improvement obligations (stored in Chinese when
// the duty was made) read in English on English pages: a playbook task's
// by the plan's English title, a typed title or measure quoted.
func TestObligationTitlesInEnglish(t *testing.T) {
	reg := plan.Builtin()
	en := &view{Lang: langEN, taskTitle: func(tk fenghuo.Task, lang string) string {
		a := task.TitleWords(reg, tk)
		if lang == langEN && a.EN != "" {
			return a.EN
		}
		return a.ZH
	}}
	zh := &view{Lang: langZH, taskTitle: en.taskTitle}
	p, err := reg.Get("wushen-county")
	if err != nil {
		t.Fatal(err)
	}
	pb, ok := p.Playbook("ransomware")
	if !ok || len(pb.Steps) == 0 || pb.Steps[0].Title.EN == "" {
		t.Fatalf("ransomware playbook: %v %+v", ok, pb)
	}
	st := pb.Steps[0]
	for _, c := range []struct {
		o      fenghuo.Obligation
		en, zh string
	}{
		{fenghuo.Obligation{Kind: store.ObligationKindTask, PlanID: p.ID, RuleID: "ransomware/" + st.ID, Title: store.TaskObligationTitle(st.Title.ZH)},
			"Task: " + st.Title.EN, store.TaskObligationTitle(st.Title.ZH)},
		{fenghuo.Obligation{Kind: store.ObligationKindTask, Title: store.TaskObligationTitle("核查离线备份")},
			"Task: “核查离线备份”", "任务：核查离线备份"},
		{fenghuo.Obligation{Kind: store.ObligationKindImprovement, Title: store.ImprovementObligationTitle("关闭远程桌面端口")},
			"Improvement measure: “关闭远程桌面端口”", "整改：关闭远程桌面端口"},
	} {
		if got := en.ObligationTitle(c.o); got != c.en || phrase.HasHan(phrase.OutsideQuotes(got)) {
			t.Errorf("English title of %q: %q, want %q", c.o.Title, got, c.en)
		}
		if got := zh.ObligationTitle(c.o); got != c.zh {
			t.Errorf("Chinese title of %q: %q, want %q", c.o.Title, got, c.zh)
		}
	}
}
