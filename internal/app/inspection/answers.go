package inspection

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/checklist"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// FormItem is one checklist item with the unit's answer, if any.
type FormItem struct {
	checklist.Item
	Answer *fenghuo.InspectionAnswer
	// Files are the evidence files uploaded for the item, oldest first.
	Files []fenghuo.InspectionEvidence
}

// Form is one unit's answers to a campaign.
type Form struct {
	Campaign *fenghuo.Campaign
	Issuer   *fenghuo.Org
	Unit     *fenghuo.Org
	Target   *fenghuo.CampaignTarget
	Title    checklist.Text
	Items    []FormItem
	// Systems are the unit's systems a non-compliant answer may name.
	Systems []fenghuo.System
	// CanAnswer says the actor may answer and submit; Why explains when not.
	CanAnswer bool
	Why       string
	Answered  int
	// CanReturn says the actor (the issuer's side) may send the submitted
	// answers back to be filled in again (退回重填).
	CanReturn bool
}

// Form returns a unit's answer form for an actor who may see the unit.
func (s *Service) Form(ctx context.Context, ac *app.Actor, campaignID, orgID int64) (*Form, error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return nil, err
	}
	f := &Form{}
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		return s.loadForm(ctx, tx, ac, campaignID, orgID, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (s *Service) loadForm(ctx context.Context, tx *store.Tx, ac *app.Actor, campaignID, orgID int64, f *Form) error {
	var err error
	// The issuer's side sees every unit; a unit (or an office above it)
	// sees its own.
	if f.Campaign, f.Issuer, f.Unit, err = s.access(ctx, tx, ac, campaignID, orgID); err != nil {
		return err
	}
	if f.Target, err = tx.CampaignTarget(ctx, campaignID, orgID); err != nil {
		return err
	}
	cl, err := checklist.Parse(f.Campaign.ChecklistID, []byte(f.Campaign.ChecklistYAML))
	if err != nil {
		return err
	}
	f.Title = cl.Title
	answers, err := tx.InspectionAnswers(ctx, campaignID, orgID)
	if err != nil {
		return err
	}
	byItem := map[string]*fenghuo.InspectionAnswer{}
	for i := range answers {
		byItem[answers[i].ItemID] = &answers[i]
	}
	files, err := tx.InspectionEvidenceOf(ctx, campaignID, orgID)
	if err != nil {
		return err
	}
	filesOf := map[string][]fenghuo.InspectionEvidence{}
	for _, e := range files {
		filesOf[e.ItemID] = append(filesOf[e.ItemID], e)
	}
	for _, it := range cl.Items {
		fi := FormItem{Item: it, Answer: byItem[it.ID], Files: filesOf[it.ID]}
		if fi.Answer != nil {
			f.Answered++
		}
		f.Items = append(f.Items, fi)
	}
	systems, err := tx.SubtreeSystems(ctx, orgID, store.SystemFilter{OrgID: orgID}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	f.Systems = systems.Items
	switch why := s.canAnswer(ac, f.Campaign, f.Issuer, f.Unit); {
	case f.Campaign.Closed():
		f.Why = "检查已结束 / the campaign is closed"
	case f.Target.Submitted():
		f.Why = "已提交 / submitted"
	case why != nil:
		f.Why = fenghuo.ErrorMessage(why)
	default:
		f.CanAnswer = true
	}
	f.CanReturn = f.Target.Submitted() && !f.Campaign.Closed() && fenghuo.InSubtree(ac.Org.Path, f.Issuer.Path) &&
		app.RequireAt(ac, fenghuo.PermWarningIssue, f.Issuer.Path, "Org", f.Issuer.ID) == nil
	return nil
}

// AnswerInput is one answer as the form or the API sends it.
type AnswerInput struct {
	ItemID   string `json:"item_id"`
	Answer   string `json:"answer"`
	Reason   string `json:"reason,omitempty"`
	Evidence string `json:"evidence,omitempty"`
	SystemID int64  `json:"system_id,omitempty"`
}

// Answer records a unit's answers (any subset of the items; an item
// answered again is replaced) and, with submit, sends them: every item must
// then be answered, each non-compliant answer becomes a finding and the
// unit's duty is done (late after the window's end). Answers can no longer
// change once submitted (unless the issuer sends them back) nor after the
// campaign is closed.
func (s *Service) Answer(ctx context.Context, ac *app.Actor, campaignID, orgID int64, answers []AnswerInput, submit bool) (*Form, error) {
	return s.AnswerWithFiles(ctx, ac, campaignID, orgID, answers, nil, submit)
}

// AnswerWithFiles is Answer with evidence files uploaded in the same
// transaction: a compliant answer to an item that asks for its evidence as
// a file is refused, naming the item, unless a file is uploaded for it now
// or was before.
func (s *Service) AnswerWithFiles(ctx context.Context, ac *app.Actor, campaignID, orgID int64, answers []AnswerInput, uploads []Upload, submit bool) (*Form, error) {
	if len(answers) == 0 && len(uploads) == 0 && !submit {
		return nil, fenghuo.FieldErrorf("answers", "Answer at least one item. / 请至少填报一项。")
	}
	// No file is written for a campaign the actor may not answer.
	f0, err := s.Form(ctx, ac, campaignID, orgID)
	if err != nil {
		return nil, err
	}
	if err := s.canAnswer(ac, f0.Campaign, f0.Issuer, f0.Unit); err != nil {
		return nil, err
	}
	stored, undo, err := s.storeUploads(uploads)
	if err != nil {
		return nil, err
	}
	f := &Form{}
	err = s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		if err := s.loadForm(ctx, tx, ac, campaignID, orgID, f); err != nil {
			return err
		}
		if f.Campaign.Closed() {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "This campaign was closed by %s: no more answers are taken. / 该检查已由%s结束，不再接受填报。", f.Issuer.Name, f.Issuer.Name)
		}
		if f.Target.Submitted() {
			return fenghuo.Errorf(fenghuo.ECONFLICT, "%s already submitted its answers. / %s已提交检查结果，不能再修改。", f.Unit.Name, f.Unit.Name)
		}
		if err := s.canAnswer(ac, f.Campaign, f.Issuer, f.Unit); err != nil {
			return err
		}
		systems := map[int64]bool{}
		for _, sys := range f.Systems {
			systems[sys.ID] = true
		}
		index := map[string]int{}
		for i, it := range f.Items {
			index[it.ID] = i
		}
		var newFiles []string
		for i := range stored {
			e := &stored[i]
			j, ok := index[e.ItemID]
			if !ok {
				return fenghuo.FieldErrorf("item_id", "The checklist has no item %q. / 检查表中没有该检查项。", e.ItemID)
			}
			e.CampaignID, e.OrgID, e.UploadedBy = campaignID, orgID, ac.User.ID
			if err := tx.CreateInspectionEvidence(ctx, e); err != nil {
				return err
			}
			f.Items[j].Files = append(f.Items[j].Files, *e)
			newFiles = append(newFiles, fmt.Sprintf("%s：%s（SM3 %s）", e.ItemID, e.Filename, e.SM3))
		}
		for _, in := range answers {
			i, ok := index[in.ItemID]
			if !ok {
				return fenghuo.FieldErrorf("item_id", "The checklist has no item %q. / 检查表中没有该检查项。", in.ItemID)
			}
			if in.SystemID != 0 && !systems[in.SystemID] {
				return fenghuo.FieldErrorf("system_id", "System %d is not one of %s's. / 所选系统不属于%s。", in.SystemID, f.Unit.Name, f.Unit.Name)
			}
			if in.Answer != fenghuo.AnswerNonCompliant {
				in.SystemID = 0
			}
			a := &fenghuo.InspectionAnswer{CampaignID: campaignID, OrgID: orgID, ItemID: in.ItemID, Answer: in.Answer,
				Reason: strings.TrimSpace(in.Reason), Evidence: strings.TrimSpace(in.Evidence), SystemID: in.SystemID, AnsweredBy: ac.User.ID}
			if err := tx.SaveInspectionAnswer(ctx, a); err != nil {
				return err
			}
			if a.Answer != fenghuo.AnswerNotApplicable && a.Evidence == "" && fenghuo.ValidAnswer(a.Answer) {
				return fenghuo.FieldErrorf("evidence."+in.ItemID, "Item %s: say what was checked and where the record is kept. / 检查项“%s”：请填写核查情况和证据存放位置。",
					in.ItemID, f.Items[i].Text.ZH)
			}
			if a.Answer == fenghuo.AnswerCompliant && f.Items[i].EvidenceFile && len(f.Items[i].Files) == 0 {
				return missingFile(f.Items[i])
			}
			if f.Items[i].Answer == nil {
				f.Answered++
			}
			f.Items[i].Answer = a
		}
		detail := map[string]any{"unit": orgID, "answers": len(answers)}
		if len(newFiles) > 0 {
			detail["files"] = newFiles
		}
		action := "inspection.answer"
		if submit {
			n, err := s.submit(ctx, tx, ac, f)
			if err != nil {
				return err
			}
			action, detail["findings"] = "inspection.submit", n
		}
		return s.core.Record(ctx, tx, ac, action, "inspection", strconv.FormatInt(campaignID, 10), "success", detail)
	})
	if err != nil {
		undo()
		return nil, err
	}
	return f, nil
}

// submit checks every item is answered, raises a finding for each
// non-compliant answer, marks the unit submitted, closes its obligation and
// tells the issuer. It returns how many findings were raised.
func (s *Service) submit(ctx context.Context, tx *store.Tx, ac *app.Actor, f *Form) (int, error) {
	var missing []string
	for _, it := range f.Items {
		if it.Answer == nil {
			missing = append(missing, it.Text.ZH)
		}
	}
	if len(missing) > 0 {
		return 0, fenghuo.FieldErrorf("answers", "%d items are not answered yet. / 还有%d项未填报：%s。", len(missing), len(missing), strings.Join(missing, "、"))
	}
	for _, it := range f.Items {
		if it.Answer.Answer == fenghuo.AnswerCompliant && it.EvidenceFile && len(it.Files) == 0 {
			return 0, missingFile(it)
		}
	}
	raised, nonCompliant := 0, 0
	for _, it := range f.Items {
		a := it.Answer
		if a.Answer == fenghuo.AnswerNonCompliant {
			nonCompliant++
		}
		// An answer kept from before the issuer sent the answers back
		// already raised its finding.
		if a.Answer != fenghuo.AnswerNonCompliant || a.FindingID != 0 {
			continue
		}
		if s.raise == nil {
			return 0, fenghuo.Errorf(fenghuo.EINTERNAL, "The findings ledger is not connected. / 隐患台账未接入。")
		}
		detail := fmt.Sprintf("%s（%s）不符合：%s", f.Campaign.Title, f.Issuer.Name, it.Text.ZH)
		if it.Clause != "" {
			detail += fmt.Sprintf("\n依据：%s %s", it.Clause, it.Quote)
		}
		if a.Evidence != "" {
			detail += "\n情况说明：" + a.Evidence
		}
		if len(it.Files) > 0 {
			detail += "\n证明材料：" + describeFiles(it.Files)
		}
		id, err := s.raise(ctx, tx, ac, FindingInput{OrgID: f.Unit.ID, SystemID: a.SystemID,
			Key:       "checklist:" + f.Campaign.ChecklistID + "/" + it.ID,
			SourceRef: fmt.Sprintf("inspection:%d/%s", f.Campaign.ID, it.ID),
			Title:     "不符合：" + it.Text.ZH, Detail: detail, Severity: it.Severity})
		if err != nil {
			return 0, err
		}
		if err := tx.SetInspectionAnswerFinding(ctx, a.ID, id); err != nil {
			return 0, err
		}
		a.FindingID = id
		raised++
	}
	if err := tx.SubmitCampaignTarget(ctx, f.Target.ID, ac.User.ID); err != nil {
		return 0, err
	}
	now := s.core.Now()
	f.Target.SubmittedAt, f.Target.SubmittedBy = now, ac.User.ID
	f.CanAnswer, f.Why = false, "已提交 / submitted"
	if f.Target.ObligationID != 0 {
		o, err := tx.Obligation(ctx, f.Target.ObligationID)
		if err != nil {
			return 0, err
		}
		if o.State == fenghuo.ObligationOpen {
			o.Complete(now, fmt.Sprintf("已提交，%d项不符合", nonCompliant))
			if err := tx.UpdateObligation(ctx, o); err != nil {
				return 0, err
			}
		}
	}
	return raised, s.core.NotifyOrg(ctx, tx, app.Notice{OrgID: f.Issuer.ID, Kind: "inspection.submitted",
		Title: fmt.Sprintf("%s提交了%s结果：%d项不符合", f.Unit.Name, f.Campaign.Title, nonCompliant),
		Link:  fmt.Sprintf("/inspections/%d", f.Campaign.ID)})
}
