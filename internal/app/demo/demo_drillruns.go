package demo

// Demo drill mode (issue 12 item 6): the water company runs its plan's
// ransomware playbook as a drill; three of its tasks are done (one with a
// comment), the rest are open, so the drill's page shows tasks, countdowns
// and 结束演练.

import (
	"context"
	"fmt"

	"fenghuo/internal/app"
	"fenghuo/internal/app/drill"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// seedDemoDrillRun starts the demo drill run through the drill capability,
// as the unit's own commander.
func (a *Service) seedDemoDrillRun(ctx context.Context, ids map[string]int64) error {
	id, ok := ids["qxwater"]
	if a.drills == nil || !ok {
		return nil
	}
	o, err := a.core.DB().Org(ctx, id)
	if err != nil {
		return err
	}
	ac := &app.Actor{User: fenghuo.User{Username: "demo", DisplayName: "演示数据", Roles: []fenghuo.Role{fenghuo.RoleCommander}},
		Org: *o, Via: "system"}
	in := drill.RunInput{OrgID: id, Title: "勒索病毒处置流程实战演练", Scenario: "调度服务器被勒索病毒加密，监控画面中断"}
	err = a.core.DB().View(ctx, func(tx *store.Tx) error {
		plans, err := a.core.GoverningPlans(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, p := range plans {
			for _, pb := range p.Playbooks {
				if len(pb.Steps) >= 4 && (in.PlaybookID == "" || pb.ID == "ransomware") {
					in.PlanID, in.PlaybookID = p.ID, pb.ID
				}
			}
		}
		return nil
	})
	if err != nil || in.PlanID == "" {
		return err
	}
	_, tasks, err := a.drills.StartRun(ctx, ac, in)
	if err != nil {
		return fmt.Errorf("demo drill run: %w", err)
	}
	if _, err := a.drills.CommentTask(ctx, ac, tasks[0].ID, "已拔除调度服务器网线，保持开机，未清除日志"); err != nil {
		return err
	}
	for i, note := range []string{"隔离设备：调度服务器2台，断网时间见评论", "已电话报告旗公安局网安大队（演练模拟）", "确认不支付赎金"} {
		if i >= len(tasks) {
			break
		}
		if _, err := a.drills.SetTaskState(ctx, ac, tasks[i].ID, fenghuo.TaskDone, note); err != nil {
			return fmt.Errorf("demo drill task %s: %w", tasks[i].StepID, err)
		}
	}
	return nil
}
