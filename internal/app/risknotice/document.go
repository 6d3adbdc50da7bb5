package risknotice

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
)

// Document writes the notice in the official layout as "docx" or "pdf" and
// audits the export. The issuer's side gets every target with its answer;
// a unit gets its own line.
func (s *Service) Document(ctx context.Context, ac *app.Actor, id int64, format string, w io.Writer) (string, error) {
	if format != "docx" && format != "pdf" {
		return "", fenghuo.FieldErrorf("format", "Choose docx or pdf. / 格式应为docx或pdf。")
	}
	d, err := s.Notice(ctx, ac, id)
	if err != nil {
		return "", err
	}
	n := d.Notice
	doc := export.RiskNotice{
		DocumentHeader: export.DocumentHeader{IssuerOffice: d.Issuer.Name, Number: fmt.Sprintf("风险通报第%d号", n.ID),
			Date: n.CreatedAt, Title: "关于" + n.Title + "的风险通报"},
		Subject: n.Title, Product: strings.TrimSpace(n.Vendor + " " + n.Product), Ranges: strings.Split(n.Ranges, "\n"),
		RefIDs: n.RefIDs, Description: n.Description, Measures: n.Measures, RectifyDays: n.RectifyDays, DueAt: n.DueAt,
	}
	if strings.HasPrefix(strings.ToLower(n.Product), strings.ToLower(n.Vendor)) {
		doc.Product = n.Product
	}
	for _, t := range d.Targets {
		doc.Recipients = append(doc.Recipients, t.OrgName)
		answer := "未答复"
		switch {
		case t.Answer != "":
			answer = answerLabel(t.Answer) + optional(t.AnswerNote)
		case t.Overdue:
			answer = "逾期未答复"
		}
		doc.Targets = append(doc.Targets, export.RiskNoticeTarget{Unit: t.OrgName, Reason: t.Reason(), Answer: answer})
	}
	if format == "docx" {
		err = export.WriteOfficialDOCX(w, doc)
	} else {
		err = export.WriteOfficialPDF(w, doc)
	}
	if err != nil {
		return "", err
	}
	s.core.RecordAlone(ctx, ac, "export.risk_notice."+format, "risk_notice", strconv.FormatInt(id, 10), "success", nil)
	return fmt.Sprintf("risk-notice-%d.%s", id, format), nil
}

func optional(note string) string {
	if note == "" {
		return ""
	}
	return ":" + note
}
