package api_test

import (
	"context"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Probes of plans edited in the product (planadmin): writing is the system
// administrator's (plan.write), reading versions everyone's who reads plans.
var planProbes = map[string]probeFunc{
	"reviewPlan": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/plans/cac-2025/review", body: rawBody{"application/yaml", builtinRaw(t, "cac-2025")},
			found: `"ok":true`}
	},
	"putPlan": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		id := m.unique("matrix-plan-")
		doc := strings.Replace(string(builtinRaw(t, "wushen-county")), "id: wushen-county", "id: "+id, 1)
		return probe{method: "PUT", path: "/api/v1/plans/" + id + "?base=-1", body: rawBody{"application/yaml", []byte(doc)},
			found: `"version":1`}
	},
	"listPlanVersions": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		storedCAC(m, t)
		return probe{method: "GET", path: "/api/v1/plans/cac-2025/versions", found: `"version":1`}
	},
	"getPlanVersion": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		storedCAC(m, t)
		return probe{method: "GET", path: "/api/v1/plans/cac-2025/versions/1", found: `"yaml":`}
	},
	"diffPlanVersions": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		storedCAC(m, t)
		return probe{method: "GET", path: "/api/v1/plans/cac-2025/diff?from_version=0&to_version=1", found: `"changes":[]`}
	},
}

func builtinRaw(t *testing.T, id string) []byte {
	p, err := plan.Builtin().Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Raw()
}

// storedCAC stores the built-in cac-2025 text as its version 1 once, so
// that there is a version to read.
func storedCAC(m *matrix, t *testing.T) {
	ctx := context.Background()
	if vs, err := m.e.DB.PlanVersions(ctx, "cac-2025"); err != nil || len(vs) > 0 {
		return
	}
	if err := m.e.DB.WithTx(ctx, func(tx *store.Tx) error {
		return tx.CreatePlanVersion(ctx, &fenghuo.PlanVersion{PlanID: "cac-2025", YAML: string(builtinRaw(t, "cac-2025"))})
	}); err != nil {
		t.Fatal(err)
	}
}
