package export

import "testing"

// The approval table prints the decision word once: an opinion that only
// repeats it ("同意") is not printed again as "同意：同意".
func TestApprovalOpinionOnce(t *testing.T) {
	d := &officialDoc{approvals: []Approval{
		{Stage: ApprovalUnit, Body: "乌审旗自来水公司", Decision: DecisionApproved, Opinion: "同意"},
		{Stage: ApprovalCompetent, Body: "乌审旗水利局", Decision: DecisionApproved, Opinion: "同意，请按期完成整改"},
		{Stage: ApprovalCAC, Body: "乌审旗委网信办", Decision: DecisionReturned, Opinion: "补充离线备份验证记录"},
	}}
	want := []string{"同意", "同意：同意，请按期完成整改", "退回修改：补充离线备份验证记录"}
	for i, row := range d.approvalTable().rows {
		if row[2] != want[i] {
			t.Errorf("row %d opinion %q, want %q", i, row[2], want[i])
		}
	}
}
