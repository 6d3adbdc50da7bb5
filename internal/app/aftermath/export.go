package aftermath

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Export writes a version of a document in the official layout (format
// "docx" or "pdf") with its approval chain as decided so far, and returns
// the file name. Every export is audited.
func (s *Service) Export(ctx context.Context, ac *app.Actor, incidentID, docID int64, format string, w io.Writer) (string, error) {
	if format != "docx" && format != "pdf" {
		return "", fenghuo.FieldErrorf("format", "Choose docx or pdf. / 格式应为docx或pdf。")
	}
	var doc export.OfficialDocument
	var name string
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		d, unit, err := s.document(ctx, tx, ac, incidentID, docID, fenghuo.PermIncidentRead)
		if err != nil {
			return err
		}
		inc, err := tx.Incident(ctx, incidentID)
		if err != nil {
			return err
		}
		doc, err = s.official(ctx, tx, inc, unit, d)
		name = fmt.Sprintf("incident-%d-%s-v%d.%s", inc.ID, d.Kind, d.Version, format)
		return err
	})
	if err != nil {
		return "", err
	}
	if format == "docx" {
		err = export.WriteOfficialDOCX(w, doc)
	} else {
		err = export.WriteOfficialPDF(w, doc)
	}
	if err != nil {
		return "", err
	}
	return name, s.core.RecordAlone(ctx, ac, "export.aftermath", "aftermath_document", ref(docID), "success",
		map[string]any{"incident": incidentID, "format": format})
}

// official builds the export's document from a version: its sections,
// header (issuer = the author's org, recipients = the chain above it) and
// the approval chain with the decisions made.
func (s *Service) official(ctx context.Context, tx *store.Tx, inc *fenghuo.Incident, unit *fenghuo.Org, d *fenghuo.AftermathDocument) (export.OfficialDocument, error) {
	author, err := tx.Org(ctx, d.AuthorOrgID)
	if err != nil {
		return nil, err
	}
	c, err := chainFor(ctx, tx, unit, d.Kind)
	if err != nil {
		return nil, err
	}
	approvals, err := tx.DocumentApprovals(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	applyDecisions(&c, approvals)
	h := export.DocumentHeader{IssuerOffice: author.Name, Version: d.Version, Date: d.SubmittedAt}
	if !d.DecidedAt.IsZero() && d.State == fenghuo.DocApproved {
		h.Date = d.DecidedAt
	}
	for _, st := range c.Stages {
		if st.Org.ID != author.ID {
			h.Recipients = append(h.Recipients, st.Org.Name)
		}
		a := export.Approval{Stage: exportStage(st.Key), Body: st.Org.Name}
		if st.Decision != nil {
			a.Opinion, a.Date = st.Decision.Note, st.Decision.At
			a.Decision = export.DecisionApproved
			if st.Decision.Decision == fenghuo.DecisionReturn {
				a.Decision = export.DecisionReturned
			}
			if a.Opinion == "" && a.Decision == export.DecisionApproved {
				a.Opinion = "同意"
			}
			if u, err := tx.User(ctx, st.Decision.UserID); err == nil {
				a.Person = displayName(u)
			}
		}
		h.Approvals = append(h.Approvals, a)
	}
	b := d.Body
	switch d.Kind {
	case fenghuo.DocRecoveryPlan:
		cd := ""
		for _, st := range c.Stages {
			if st.Key == StageCompetent {
				cd = st.Org.Name
			}
		}
		return export.RecoveryPlan{DocumentHeader: h, IncidentTitle: inc.Title, Unit: unit.Name, CompetentDepartment: cd,
			Situation: b["situation"], Goals: b["goals"], Measures: lineMeasures(b["measures"]), Safeguards: b["safeguards"]}, nil
	case fenghuo.DocInvestigation:
		ms, err := s.trackedMeasures(ctx, tx, inc.ID, d.Kind)
		if err != nil {
			return nil, err
		}
		if len(ms) == 0 {
			ms = lineMeasures(b["improvements"])
		}
		return export.InvestigationReport{DocumentHeader: h, IncidentTitle: inc.Title, Unit: unit.Name, Investigators: author.Name,
			ResponseEndedAt: inc.ResponseEndedAt, Overview: inc.Description, Cause: b["cause"], Nature: b["nature"], Impact: b["impact"],
			Responsibility: b["responsibility"], HandlingOpinion: b["handling_opinion"], Improvements: ms}, nil
	default:
		ms, err := s.trackedMeasures(ctx, tx, inc.ID, d.Kind)
		if err != nil {
			return nil, err
		}
		return export.SummaryReport{DocumentHeader: h, IncidentTitle: inc.Title, Unit: unit.Name, ResponseEndedAt: inc.ResponseEndedAt,
			Overview: b["overview"], Experience: b["experience"], Lessons: b["lessons"], Suggestions: b["suggestions"], Improvements: ms}, nil
	}
}

func exportStage(key string) export.ApprovalStage {
	switch key {
	case StageUnit:
		return export.ApprovalUnit
	case StageCompetent:
		return export.ApprovalCompetent
	}
	return export.ApprovalCAC
}

// lineMeasures reads a section written one measure a line.
func lineMeasures(s string) []export.Measure {
	var out []export.Measure
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, export.Measure{Text: l})
		}
	}
	return out
}

// trackedMeasures are the tracked improvement measures recorded against
// any version of the incident's documents of kind, with their owners and
// deadlines.
func (s *Service) trackedMeasures(ctx context.Context, tx *store.Tx, incidentID int64, kind string) ([]export.Measure, error) {
	ms, err := tx.IncidentImprovementsTx(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	var out []export.Measure
	names := map[int64]string{}
	for _, m := range ms {
		if m.DocumentID == 0 || m.State == fenghuo.ImprovementCancelled {
			continue
		}
		d, err := tx.Document(ctx, m.DocumentID)
		if err != nil || d.Kind != kind {
			continue
		}
		if names[m.OwnerOrgID] == "" {
			if o, err := tx.Org(ctx, m.OwnerOrgID); err == nil {
				names[m.OwnerOrgID] = o.Name
			}
		}
		owner := names[m.OwnerOrgID]
		if m.OwnerUserID != 0 {
			if u, err := tx.User(ctx, m.OwnerUserID); err == nil {
				owner += " " + displayName(u)
			}
		}
		out = append(out, export.Measure{Text: m.Text, Owner: owner, Deadline: m.DueAt})
	}
	return out, nil
}
