package incident

import (
	"context"
	"io"
	"strconv"

	"fenghuo/internal/app"
	"fenghuo/internal/export"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// ReportDocument writes one report of an incident as the regulator's form,
// as "docx" or "pdf", and audits the export.
func (a *Service) ReportDocument(ctx context.Context, ac *app.Actor, incidentID, reportID int64, format string, w io.Writer) (string, error) {
	if format != "docx" && format != "pdf" {
		return "", fenghuo.FieldErrorf("format", "Choose docx or pdf. / 格式应为docx或pdf。")
	}
	form, err := a.reportForm(ctx, ac, incidentID, reportID)
	if err != nil {
		return "", err
	}
	name := "incident-" + strconv.FormatInt(incidentID, 10) + "-report-" + strconv.FormatInt(reportID, 10) + "." + format
	if format == "docx" {
		err = export.WriteReportDOCX(w, *form)
	} else {
		err = export.WriteReportPDF(w, *form)
	}
	if err != nil {
		return "", err
	}
	a.core.RecordAlone(ctx, ac, "export.report."+format, "incident", incidentRef(incidentID), "success", map[string]int64{"report": reportID})
	return name, nil
}

// reportForm assembles the form of one report from the incident, its unit
// and systems, the report's items and the governing plans' own form.
func (a *Service) reportForm(ctx context.Context, ac *app.Actor, incidentID, reportID int64) (*export.ReportForm, error) {
	var f *export.ReportForm
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		inc, unit, err := a.incidentAccess(ctx, tx, ac, incidentID, fenghuo.PermIncidentRead)
		if err != nil {
			return err
		}
		reports, err := tx.Reports(ctx, incidentID)
		if err != nil {
			return err
		}
		var rep *fenghuo.Report
		for i := range reports {
			if reports[i].ID == reportID {
				rep = &reports[i]
			}
		}
		if rep == nil {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Report %d not found. / 未找到该报告。", reportID)
		}
		f = &export.ReportForm{IncidentID: inc.ID, IncidentTitle: inc.Title, UnitName: unit.Name, CategoryCode: inc.Category,
			Grade: inc.Grade, OccurredAt: inc.OccurredAt, DiscoveredAt: inc.DiscoveredAt, EndedAt: inc.HandlingEndedAt,
			Description: inc.Description, Impact: inc.Impact, Measures: inc.Measures, Kind: rep.Kind, Number: rep.Number,
			Revision: rep.Revision, Items: rep.Content, Signer: rep.Signer, Reporter: rep.ReporterName, Phone: rep.ReporterPhone,
			ReportingUnit: unit.Name, SubmittedAt: rep.SubmittedAt}
		if rep.Kind == fenghuo.ReportFinal {
			f.Result = rep.Content["result"]
		}
		if tax, ok := plan.BuiltinTaxonomy(inc.Taxonomy); ok {
			if c, _, ok := tax.Lookup(inc.Category); ok {
				f.CategoryName = c.Name.ZH
			}
			for _, c := range tax.Categories {
				f.CategoryOptions = append(f.CategoryOptions, export.Category{Code: c.Code, Name: c.Name.ZH})
			}
		}
		for _, sid := range inc.SystemIDs {
			if s, err := tx.System(ctx, sid); err == nil {
				f.Systems = append(f.Systems, export.System{Name: s.Name, Level: s.ProtectionLevel})
			}
		}
		plans, err := a.core.GoverningPlans(ctx, tx, unit.ID)
		if err != nil {
			return err
		}
		for _, p := range plans {
			if p.ReportForm == nil || f.PlanFormTitle != "" {
				continue
			}
			f.PlanFormTitle, f.PlanFormClause = p.ReportForm.Title.ZH, p.ID+" "+p.ReportForm.Clause
			for _, fl := range p.ReportForm.Fields {
				f.PlanFields = append(f.PlanFields, export.FormValue{ID: fl.ID, Label: fl.Label.ZH, Options: fl.Options, Value: rep.Content[fl.ID]})
			}
		}
		deliveries, err := tx.DeliveriesOf(ctx, incidentID)
		if err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, d := range deliveries {
			if d.ReportID == reportID && d.FromOrgID == unit.ID && !seen[d.ToOrgID] {
				seen[d.ToOrgID] = true
				if o, err := tx.Org(ctx, d.ToOrgID); err == nil {
					f.Recipients = append(f.Recipients, o.Name)
				}
			}
		}
		return nil
	})
	return f, err
}

// IncidentsXLSX writes the incidents the actor may see, with the filter,
// as a spreadsheet, and audits the export.
func (a *Service) IncidentsXLSX(ctx context.Context, ac *app.Actor, f store.IncidentFilter, lang string, w io.Writer) error {
	if f.UnitID != 0 {
		// A unit outside the actor's subtree is not found, as everywhere.
		if _, err := a.core.VisibleOrg(ctx, ac, f.UnitID); err != nil {
			return err
		}
	}
	res, err := a.Incidents(ctx, ac, f, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	now := a.core.Now()
	rows := make([]export.IncidentRow, 0, len(res.Items))
	names := map[int64]string{}
	for _, inc := range res.Items {
		if _, ok := names[inc.OrgID]; !ok {
			if o, err := a.core.DB().Org(ctx, inc.OrgID); err == nil {
				names[inc.OrgID] = o.Name
			}
		}
		row := export.IncidentRow{ID: inc.ID, Unit: names[inc.OrgID], Title: inc.Title, CategoryCode: inc.Category,
			Grade: inc.Grade, Status: inc.Status, OccurredAt: inc.OccurredAt, DiscoveredAt: inc.DiscoveredAt, ReportedAt: inc.ReportedAt}
		if tax, ok := plan.BuiltinTaxonomy(inc.Taxonomy); ok {
			if c, _, ok := tax.Lookup(inc.Category); ok {
				row.CategoryName = c.Name.ZH
			}
		}
		obs, err := a.core.DB().Obligations(ctx, store.ObligationFilter{IncidentID: inc.ID}, store.Page{Limit: store.MaxLimit})
		if err == nil {
			for _, o := range obs.Items {
				if o.Overdue(now) {
					row.Overdue++
				}
				if o.State == fenghuo.ObligationLate {
					row.Late++
				}
			}
		}
		rows = append(rows, row)
	}
	if err := export.WriteIncidentsXLSX(w, rows, lang); err != nil {
		return err
	}
	return a.core.RecordExport(ctx, ac, "incidents", len(rows))
}

// ReportingRecordXLSX writes the per-unit reporting record as a
// spreadsheet, and audits the export.
func (a *Service) ReportingRecordXLSX(ctx context.Context, ac *app.Actor, lang string, w io.Writer) error {
	recs, err := a.ReportingRecords(ctx, ac)
	if err != nil {
		return err
	}
	rows := make([]export.UnitRecord, 0, len(recs))
	for _, r := range recs {
		rows = append(rows, export.UnitRecord{Unit: r.OrgName, OnTime: r.OnTime, Late: r.Late, Overdue: r.Overdue, Missed: r.Missed})
	}
	if err := export.WriteReportingRecordXLSX(w, rows, lang); err != nil {
		return err
	}
	return a.core.RecordExport(ctx, ac, "reporting_record", len(rows))
}
