package detection

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/sigma"
	"fenghuo/internal/store"
)

// RuleSetView is one rule set as an org sees it.
type RuleSetView struct {
	Name    string // "mail", "egress", "ids", or "custom:<org id>"
	Builtin bool
	// Owner is the org whose uploaded rules these are (custom sets).
	Owner     *fenghuo.Org
	Enabled   bool
	RuleCount int
	Rules     []sigma.RuleInfo
	// Uploads are the owner's uploaded files (custom sets), for deletion.
	Uploads []store.CustomRule
}

// RuleSets lists the rule sets that apply to an org's events: the
// built-in ones, and the uploaded sets of the org and of the orgs above it
// (read rights: system.read over the org).
func (s *Service) RuleSets(ctx context.Context, ac *app.Actor, orgID int64) ([]RuleSetView, error) {
	org, err := s.c.VisibleOrg(ctx, ac, orgID)
	if err != nil {
		return nil, err
	}
	if err := app.RequireAt(ac, fenghuo.PermSystemRead, org.Path, "Org", orgID); err != nil {
		return nil, err
	}
	s.current() // make sure the engine holds the uploaded rules
	var states []store.RuleSetState
	var chain []fenghuo.Org
	uploads := map[int64][]store.CustomRule{}
	err = s.c.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if states, err = tx.RuleSetStates(ctx, orgID); err != nil {
			return err
		}
		// The org and its ancestors, nearest first.
		for id := orgID; id != 0; {
			o, err := tx.Org(ctx, id)
			if err != nil {
				return err
			}
			chain = append(chain, *o)
			rules, err := tx.CustomRules(ctx, o.ID)
			if err != nil {
				return err
			}
			uploads[o.ID] = rules
			id = o.ParentID
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	off := map[string]bool{}
	for _, st := range states {
		off[st.RuleSet] = !st.Enabled
	}
	loaded := map[string]*sigma.RuleSet{}
	for _, set := range s.engine.Sets() {
		loaded[set.Name] = set
	}
	var out []RuleSetView
	for _, set := range s.builtin {
		out = append(out, RuleSetView{Name: set.Name, Builtin: true, Enabled: !off[set.Name], RuleCount: set.Count(), Rules: set.Listing()})
	}
	for _, o := range chain {
		if len(uploads[o.ID]) == 0 {
			continue
		}
		o := o
		v := RuleSetView{Name: CustomSetName(o.ID), Owner: &o, Enabled: !off[CustomSetName(o.ID)], Uploads: uploads[o.ID]}
		if set := loaded[v.Name]; set != nil {
			v.RuleCount, v.Rules = set.Count(), set.Listing()
		}
		out = append(out, v)
	}
	return out, nil
}

// SetEnabled turns a rule set on or off for an org's events (system.write
// over the org). Turning off an uploaded set of an org above affects only
// this org's own events.
func (s *Service) SetEnabled(ctx context.Context, ac *app.Actor, orgID int64, ruleSet string, enabled bool) error {
	known := false
	for _, set := range s.builtin {
		known = known || set.Name == ruleSet
	}
	err := s.c.DB().WithTx(ctx, func(tx *store.Tx) error {
		org, err := tx.Org(ctx, orgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermSystemWrite, org.Path, "Org", orgID); err != nil {
			return err
		}
		if owner, ok := customOwner(ruleSet); ok && !known {
			o, err := tx.Org(ctx, owner)
			if err != nil || !fenghuo.InSubtree(o.Path, org.Path) {
				return fenghuo.FieldErrorf("rule_set", "No rule set %q applies to this org. / 本单位没有该规则集。", ruleSet)
			}
			known = true
		}
		if !known {
			return fenghuo.FieldErrorf("rule_set", "No rule set %q. / 没有该规则集。", ruleSet)
		}
		if err := tx.SetRuleSetState(ctx, &store.RuleSetState{OrgID: orgID, RuleSet: ruleSet, Enabled: enabled, UpdatedBy: ac.User.ID}); err != nil {
			return err
		}
		action := "rule_set.disable"
		if enabled {
			action = "rule_set.enable"
		}
		return s.c.Record(ctx, tx, ac, action, "rule_set", ruleSet, "success", map[string]any{"org_id": orgID})
	})
	if err != nil {
		return err
	}
	s.invalidate(ctx)
	return nil
}

// UploadInput is a Sigma rule file an org uploads.
type UploadInput struct {
	OrgID int64
	Body  string // YAML: one or more documents (detection and correlation rules)
}

// UploadRule validates a Sigma rule file and stores it for the org's
// subtree (system.write over the org). Every problem is reported at once
// on the field "body", each with its line.
func (s *Service) UploadRule(ctx context.Context, ac *app.Actor, in UploadInput) (*store.CustomRule, error) {
	if strings.TrimSpace(in.Body) == "" {
		return nil, fenghuo.FieldErrorf("body", "Paste or upload a Sigma rule. / 请粘贴或上传 Sigma 规则。")
	}
	if len(in.Body) > sigma.MaxRuleBytes || !utf8.ValidString(in.Body) {
		return nil, fenghuo.FieldErrorf("body", "A rule file is UTF-8 text of at most %d KB. / 规则文件须为不超过 %d KB 的 UTF-8 文本。", sigma.MaxRuleBytes>>10, sigma.MaxRuleBytes>>10)
	}
	var row *store.CustomRule
	err := s.c.DB().WithTx(ctx, func(tx *store.Tx) error {
		org, err := tx.Org(ctx, in.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermSystemWrite, org.Path, "Org", in.OrgID); err != nil {
			return err
		}
		n, err := tx.CountCustomRules(ctx, in.OrgID)
		if err != nil {
			return err
		}
		if n >= store.MaxCustomRules {
			return fenghuo.FieldErrorf("body", "An org keeps at most %d uploaded rule files. / 每个单位最多上传 %d 个规则文件。", store.MaxCustomRules, store.MaxCustomRules)
		}
		rules, corrs, err := sigma.Parse("rule.yml", []byte(in.Body))
		if err != nil {
			return ruleError(err)
		}
		// The new file must fit with the org's other uploads (unique ids,
		// correlations naming rules that exist).
		existing, err := tx.CustomRules(ctx, in.OrgID)
		if err != nil {
			return err
		}
		set := &sigma.RuleSet{Name: CustomSetName(in.OrgID), Rules: rules, Correlations: corrs}
		for _, r := range existing {
			rs, cs, err := sigma.Parse(ruleFile(r.ID), []byte(r.Body))
			if err != nil {
				continue
			}
			set.Rules = append(set.Rules, rs...)
			set.Correlations = append(set.Correlations, cs...)
		}
		if err := set.Check(); err != nil {
			return ruleError(err)
		}
		row = &store.CustomRule{OrgID: in.OrgID, Body: in.Body, CreatedBy: ac.User.ID}
		switch {
		case len(corrs) > 0:
			row.RuleID, row.Title, row.Level = corrs[0].ID, corrs[0].Title, corrs[0].Level
		default:
			row.RuleID, row.Title, row.Level = rules[0].ID, rules[0].Title, rules[0].Level
		}
		if err := tx.CreateCustomRule(ctx, row); err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ECONFLICT {
				return fenghuo.FieldErrorf("body", "This org already has a rule with id %s. / 本单位已有 id 为 %s 的规则。", row.RuleID, row.RuleID)
			}
			return err
		}
		return s.c.Record(ctx, tx, ac, "custom_rule.create", "custom_rule", app.ObjectID(row.ID), "success",
			map[string]any{"org_id": in.OrgID, "rule_id": row.RuleID, "title": row.Title})
	})
	if err != nil {
		return nil, err
	}
	s.invalidate(ctx)
	return row, nil
}

// ruleError turns loader errors into one field error on "body", a line
// per problem ("line 5: message: unknown modifier containz").
func ruleError(err error) error {
	var lines []string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var re *sigma.Error
		if errors.As(err, &re) {
			if re.Line > 0 {
				lines = append(lines, fmt.Sprintf("line %d: %s", re.Line, re.Msg))
			} else {
				lines = append(lines, re.Msg)
			}
			return
		}
		lines = append(lines, err.Error())
	}
	walk(err)
	return fenghuo.FieldErrorf("body", "%s", strings.Join(lines, "\n"))
}

// DeleteRule removes an uploaded rule file (system.write over its org).
func (s *Service) DeleteRule(ctx context.Context, ac *app.Actor, id int64) error {
	err := s.c.DB().WithTx(ctx, func(tx *store.Tx) error {
		r, err := tx.CustomRule(ctx, id)
		if err != nil {
			return err
		}
		org, err := tx.Org(ctx, r.OrgID)
		if err != nil {
			return err
		}
		if err := app.RequireAt(ac, fenghuo.PermSystemWrite, org.Path, "Custom rule", id); err != nil {
			return err
		}
		if err := tx.DeleteCustomRule(ctx, id); err != nil {
			return err
		}
		return s.c.Record(ctx, tx, ac, "custom_rule.delete", "custom_rule", app.ObjectID(id), "success",
			map[string]any{"org_id": r.OrgID, "rule_id": r.RuleID, "title": r.Title})
	})
	if err != nil {
		return err
	}
	s.invalidate(ctx)
	return nil
}

// CustomRule returns one uploaded rule file (system.read over its org).
func (s *Service) CustomRule(ctx context.Context, ac *app.Actor, id int64) (*store.CustomRule, error) {
	var r *store.CustomRule
	err := s.c.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = tx.CustomRule(ctx, id); err != nil {
			return err
		}
		org, err := tx.Org(ctx, r.OrgID)
		if err != nil {
			return err
		}
		return app.RequireAt(ac, fenghuo.PermSystemRead, org.Path, "Custom rule", id)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
