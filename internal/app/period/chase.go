package period

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// MaxChasesPerDay bounds how often an office may chase one unit for one
// day's report: a reminder, not a flood.
const MaxChasesPerDay = 3

// ChaseResult says whom a chase reached.
type ChaseResult struct {
	PeriodID int64
	// OrgID and Unit are the unit chased (its ID and name).
	OrgID int64
	Unit  string
	// Day is the period day whose report was missing; At is when the chase
	// was sent (as recorded).
	Day string
	At  time.Time
	// Accounts are the unit's active accounts, who see the in-app notice.
	Accounts []string
	// Channels are the unit's channels that carry period notices (名称).
	Channels []string
	// Email is the unit's report address, mailed as well ("" if none).
	Email string
	// Reached is the same in words, as recorded.
	Reached string
}

// Chase reminds a unit that has not filed a period day's daily report
// (催报): an in-app notice and the unit's channels, through the one
// notification capability, audited, at most MaxChasesPerDay times per unit
// and day. Only the office side with the right to receive reports may
// chase, and only a unit whose report is missing after the cut-off.
func (a *Service) Chase(ctx context.Context, ac *app.Actor, periodID, unitID int64, day string) (*ChaseResult, error) {
	pv, err := a.periodAccess(ctx, ac, periodID)
	if err != nil {
		return nil, err
	}
	if !pv.OfficeSide {
		return nil, app.ErrForbidden
	}
	if err := app.Require(ac, fenghuo.PermIncidentReceive); err != nil {
		return nil, err
	}
	unit, ok := pv.Units[unitID]
	if !ok {
		return nil, fenghuo.FieldErrorf("org_id", "That unit does not take part in the period. / 该单位不在本保障期参加单位中。")
	}
	b, err := a.DailyBoard(ctx, ac, periodID, day)
	if err != nil {
		return nil, err
	}
	missing := false
	for _, r := range b.Rows {
		missing = missing || (r.Org.ID == unitID && r.State == BoardMissing)
	}
	if !missing {
		return nil, fenghuo.FieldErrorf("org_id", "%s is not missing the report of %s. / %s当日日报并未缺报，无需催报。", unit.Name, b.Day, unit.Name)
	}
	res := &ChaseResult{PeriodID: periodID, OrgID: unitID, Unit: unit.Name, Day: b.Day}
	users, err := a.core.DB().SubtreeUsers(ctx, unitID, store.UserFilter{OrgID: unitID}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, u := range users.Items {
		name := u.DisplayName
		if name == "" {
			name = u.Username
		}
		res.Accounts = append(res.Accounts, name)
	}
	channels, err := a.core.DB().ChannelsOf(ctx, unitID)
	if err != nil {
		return nil, err
	}
	for _, c := range channels {
		if c.Wants("period.chase") {
			res.Channels = append(res.Channels, c.Name)
		}
	}
	res.Email = strings.TrimSpace(unit.ReportEmail)
	res.Reached = reachedWords(res)
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		n, err := tx.CountChases(ctx, periodID, unitID, b.Day)
		if err != nil {
			return err
		}
		if n >= MaxChasesPerDay {
			return fenghuo.Errorf(fenghuo.ETOOMANY, "%s was already chased %d times for %s. / 今日已向%s催报%d次，请电话联系。", unit.Name, n, b.Day, unit.Name, n)
		}
		c := &store.Chase{PeriodID: periodID, OrgID: unitID, Day: b.Day, SentBy: ac.User.ID, Reached: res.Reached}
		if err := tx.AddChase(ctx, c); err != nil {
			return err
		}
		res.At = c.SentAt
		if err := a.core.NotifyOrg(ctx, tx, app.Notice{OrgID: unitID, Kind: "period.chase", ReportEmail: true,
			Title: fmt.Sprintf("催报：%s %s日报未报送", pv.Period.Name, b.Day),
			Body:  fmt.Sprintf("%s提醒：%s的日报应于%s前报送，至今未收到，请立即报送（无事件报平安）。", pv.Office.Name, b.Day, b.Cutoff.In(calendar.Shanghai).Format("01-02 15:04")),
			Link:  fmt.Sprintf("/periods/%d", periodID)}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "period.chase", "period", strconv.FormatInt(periodID, 10), "success",
			map[string]any{"unit": unitID, "day": b.Day, "reached": res.Reached})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// reachedWords writes whom a chase reached in Chinese, as the board
// shows it: "站内通知3个账号（张三、李四、王五）；渠道：短信值班；邮件：a@b"。
func reachedWords(r *ChaseResult) string {
	var parts []string
	if len(r.Accounts) > 0 {
		parts = append(parts, fmt.Sprintf("站内通知%d个账号（%s）", len(r.Accounts), strings.Join(r.Accounts, "、")))
	} else {
		parts = append(parts, "该单位没有平台账号")
	}
	if len(r.Channels) > 0 {
		parts = append(parts, "渠道："+strings.Join(r.Channels, "、"))
	}
	if r.Email != "" {
		parts = append(parts, "邮件："+r.Email)
	}
	return strings.Join(parts, "；")
}
