package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Issue 13 item 5: the duty officer is chosen among the office's accounts
// (a select, not free text); another org's account is refused beside its
// field; a shift written by name before still reads.
func TestDutyOfficerIsAnAccount(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	boss, _ := e.User(t, "boss", "county", fenghuo.RoleCommander)
	officer, _ := e.User(t, "qian", "county", fenghuo.RoleDutyOfficer)
	officer.DisplayName, officer.Mobile = "钱值班", "13900000001"
	if err := e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.UpdateUser(ctx, officer) }); err != nil {
		t.Fatal(err)
	}
	stranger, _ := e.User(t, "stranger", "school", fenghuo.RoleUnitReporter)
	old := &fenghuo.DutyShift{OrgID: e.Orgs["county"].ID, StartAt: e.Clock.Now().Add(48 * time.Hour), EndAt: e.Clock.Now().Add(56 * time.Hour), Officer: "旧排班孙某"}
	if err := e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateDutyShift(ctx, old) }); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv, "boss", apptest.Password)
	_, page := get(t, c, srv, "/duty")
	form := section(t, page, `id="shift-form"`, "</form>")
	if strings.Contains(form, `name="officer"`) || !strings.Contains(form, `<select id="officer_id" name="officer_id"`) ||
		!strings.Contains(form, `value="`+itoa(officer.ID)+`"`) || strings.Contains(form, `value="`+itoa(stranger.ID)+`"`) {
		t.Errorf("the officer is not a select of the county's accounts: %s", form)
	}
	// Issue 15 item 5: the accounts' mobiles are masked in the select too.
	if strings.Contains(form, "13900000001") || !strings.Contains(form, "钱值班 · 139****0001") {
		t.Errorf("the officer select does not mask the mobile: %s", form)
	}
	if !strings.Contains(page, "旧排班孙某") {
		t.Errorf("a shift rostered by name before no longer reads")
	}
	start := e.Clock.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	end := e.Clock.Now().Add(8 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	r, page := post(t, c, srv, "/duty/shifts", url.Values{"start_at": {start}, "end_at": {end}, "officer_id": {itoa(stranger.ID)}, "leader_id": {itoa(boss.ID)}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(section(t, page, `id="officer_id"`, `id="leader_id"`), `class="field-error"`) {
		t.Errorf("another org's account as duty officer: %d", r.StatusCode)
	}
	if !strings.Contains(section(t, page, `id="leader_id"`, "</select>"), `value="`+itoa(boss.ID)+`" selected`) {
		t.Errorf("the refused form lost the leader chosen")
	}
	if r, _ = post(t, c, srv, "/duty/shifts", url.Values{"start_at": {start}, "end_at": {end}, "officer_id": {itoa(officer.ID)}, "leader_id": {itoa(boss.ID)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("shift: %d", r.StatusCode)
	}
	shifts, err := e.DB.DutyShifts(ctx, e.Orgs["county"].ID, e.Clock.Now(), e.Clock.Now().Add(time.Hour))
	if err != nil || len(shifts) != 1 || shifts[0].OfficerID != officer.ID || shifts[0].Officer != "钱值班" || shifts[0].Phone != "13900000001" || shifts[0].LeaderID != boss.ID {
		t.Errorf("shift stored as %+v (%v)", shifts, err)
	}
}
