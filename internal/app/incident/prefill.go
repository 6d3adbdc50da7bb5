package incident

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"fenghuo/internal/app"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// ReportPrefill returns what the report form can fill in from what is
// already known, by field id: the latest report's items for a follow-up
// or final report, and for every item still empty what intake recorded
// (unit, systems, times, category, grade, facts, description, measures),
// so the unit does not type it twice. The person edits it before sending.
func (a *Service) ReportPrefill(ctx context.Context, ac *app.Actor, incidentID int64) (map[string]string, error) {
	out := map[string]string{}
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		inc, unit, err := a.incidentAccess(ctx, tx, ac, incidentID, fenghuo.PermIncidentRead)
		if err != nil {
			return err
		}
		plans, err := a.core.GoverningPlans(ctx, tx, unit.ID)
		if err != nil {
			return err
		}
		reports, err := tx.Reports(ctx, incidentID)
		if err != nil {
			return err
		}
		if n := len(reports); n > 0 {
			for k, v := range reports[n-1].Content {
				out[k] = v
			}
		}
		var systems []string
		for _, id := range inc.SystemIDs {
			if s, err := tx.System(ctx, id); err == nil {
				systems = append(systems, s.Name)
			}
		}
		known := intakeItems(inc, unit, systems)
		for _, f := range formFields(plans) {
			if strings.TrimSpace(out[f.ID]) != "" {
				continue
			}
			v := known[f.ID]
			if f.Type == "choice" && !slices.Contains(f.Options, v) {
				v = choiceFor(f, inc)
			}
			if v != "" {
				out[f.ID] = v
			}
		}
		return nil
	})
	return out, err
}

// intakeItems writes what intake recorded in the words of the plans'
// report items (cac-2025 Art. 7, seed 001 and seed 003 forms).
func intakeItems(inc *fenghuo.Incident, unit *fenghuo.Org, systems []string) map[string]string {
	when := inc.OccurredAt
	if when.IsZero() {
		when = inc.DiscoveredAt
	}
	at := ""
	if !when.IsZero() {
		at = when.In(calendar.Shanghai).Format("2006-01-02 15:04")
	}
	sys := strings.Join(systems, "、")
	unitAndSystem := unit.Name
	if sys != "" {
		unitAndSystem += "，" + sys
	}
	category := ""
	if tax, ok := plan.BuiltinTaxonomy(inc.Taxonomy); ok {
		if c, _, ok := tax.Lookup(inc.Category); ok {
			category = c.Name.ZH
		}
	}
	details := []string{}
	if !inc.DiscoveredAt.IsZero() {
		details = append(details, "发现时间："+inc.DiscoveredAt.In(calendar.Shanghai).Format("2006-01-02 15:04"))
	}
	if category != "" {
		details = append(details, "事件类型："+category)
	}
	if inc.Grade.Valid() {
		details = append(details, "事件级别："+inc.Grade.NameZH())
	}
	for _, s := range []string{inc.Description, inc.Impact, inc.Measures} {
		if s = strings.TrimSpace(s); s != "" {
			details = append(details, s)
		}
	}
	out := map[string]string{
		"unit_and_system": unitAndSystem, "event_details": strings.Join(details, "\n"),
		"further_measures": inc.Measures, "measures": inc.Measures, "description": inc.Description, "scope": inc.Impact,
		"occurred_time": at, "occurred_at": at, "unit": unit.Name, "reporting_unit": unit.Name, "department": unit.Name,
		"system_overview": sys, "system_name": sys, "category": category,
	}
	if n, ok := inc.Facts["people_affected"].(float64); ok {
		out["people_affected_text"] = strconv.FormatFloat(n, 'f', -1, 64) + "人"
	}
	if n, ok := inc.Facts["economic_loss_cny"].(float64); ok {
		out["expected_loss"] = "直接经济损失" + strconv.FormatFloat(n, 'f', -1, 64) + "元"
	}
	return out
}

// choiceFor picks the option of a choice item that names the incident's
// grade ("Ⅲ级") or the top class of its category, if the item offers it.
func choiceFor(f plan.FormField, inc *fenghuo.Incident) string {
	roman := map[fenghuo.Grade]string{fenghuo.GradeI: "Ⅰ级", fenghuo.GradeII: "Ⅱ级", fenghuo.GradeIII: "Ⅲ级", fenghuo.GradeIV: "Ⅳ级"}[inc.Grade]
	top := ""
	if tax, ok := plan.BuiltinTaxonomy(inc.Taxonomy); ok {
		if c, parent, ok := tax.Lookup(inc.Category); ok {
			top = c.Name.ZH
			if parent != "" {
				if p, _, ok := tax.Lookup(parent); ok {
					top = p.Name.ZH
				}
			}
		}
	}
	for _, o := range f.Options {
		if (roman != "" && o == roman) || (top != "" && o == top) {
			return o
		}
	}
	return ""
}
