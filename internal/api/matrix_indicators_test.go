package api_test

// The IOC library routes (issue 14 item 5) in the authorisation matrix:
// the list and the export show what the caller's org may see under TLP (a
// GREEN indicator of any org of the province tree — own, child, sibling,
// parent — is listed: they are untargeted); reading one indicator takes
// TLP visibility or ownership in the subtree (an AMBER+STRICT indicator of
// the sibling or the parent answers 404); recording, editing, revoking and
// importing take incident.write over the owning org.

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/ioc"
	"fenghuo/internal/store"
)

func init() {
	for role, ops := range allowed {
		if slices.Contains(ops, "listIncidents") {
			allowed[role] = append(allowed[role], "listIndicators", "getIndicator", "exportIndicators")
		}
		if slices.Contains(ops, "createIncident") {
			allowed[role] = append(allowed[role], "createIndicator", "patchIndicator", "deleteIndicator", "importIndicators")
		}
	}
	untargeted = append(untargeted, "listIndicators", "exportIndicators")
	for op, f := range indicatorProbes {
		coreProbes[op] = f
	}
}

var indicatorSeq int

// storedIndicator records a domain indicator of org directly (the routes
// under test are not the fixture's way in).
func (m *matrix) storedIndicator(t *testing.T, org *fenghuo.Org, tlp ioc.TLP) *store.Indicator {
	indicatorSeq++
	in := &store.Indicator{Indicator: ioc.Indicator{OwnerOrg: org.ID, Type: ioc.TypeDomain, TLP: tlp, Confidence: 60,
		Value: fmt.Sprintf("m%d.matrix.example", indicatorSeq), STIXID: ioc.NewSTIXID("indicator")}}
	ctx := context.Background()
	if err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.CreateIndicator(ctx, in) }); err != nil {
		t.Fatal(err)
	}
	return in
}

var indicatorProbes = map[string]probeFunc{
	"listIndicators": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		in := m.storedIndicator(t, m.e.Orgs[rel.orgKey], ioc.TLPGreen)
		return probe{method: "GET", path: "/api/v1/indicators?limit=500", found: fmt.Sprintf(`"value":%q`, in.Value)}
	},
	"exportIndicators": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		in := m.storedIndicator(t, m.e.Orgs[rel.orgKey], ioc.TLPGreen)
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/indicators/export?format=misp&owner_id=%d", in.OwnerOrg),
			found: fmt.Sprintf(`"value": %q`, in.Value)}
	},
	"getIndicator": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		in := m.storedIndicator(t, m.e.Orgs[rel.orgKey], ioc.TLPAmberStrict)
		return get(fmt.Sprintf("/api/v1/indicators/%d", in.ID))
	},
	"createIndicator": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		indicatorSeq++
		return probe{method: "POST", path: "/api/v1/indicators", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID,
			"type": "ipv4", "value": fmt.Sprintf("198.51.%d.%d", indicatorSeq/250, indicatorSeq%250), "tlp": "AMBER", "confidence": 70}}
	},
	"patchIndicator": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		in := m.storedIndicator(t, m.e.Orgs[rel.orgKey], ioc.TLPAmberStrict)
		return probe{method: "PATCH", path: fmt.Sprintf("/api/v1/indicators/%d", in.ID), body: map[string]any{"confidence": 90}}
	},
	"deleteIndicator": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		in := m.storedIndicator(t, m.e.Orgs[rel.orgKey], ioc.TLPAmberStrict)
		return probe{method: "DELETE", path: fmt.Sprintf("/api/v1/indicators/%d", in.ID)}
	},
	"importIndicators": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		indicatorSeq++
		doc := map[string]any{"Event": map[string]any{"info": "矩阵", "Attribute": []map[string]any{
			{"type": "domain", "value": fmt.Sprintf("i%d.matrix.example", indicatorSeq), "to_ids": true}}}}
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/indicators/import?org_id=%d", m.e.Orgs[rel.orgKey].ID), body: doc}
	},
}
