package api_test

// Situational awareness (issue 13 item 1) in the authorisation matrix:
// every reader of incidents may read the snapshot of its own subtree
// (untargeted); the scoping itself is tested in internal/app/awareness.

import (
	"slices"
	"testing"

	"fenghuo/internal/fenghuo"
)

func init() {
	incidentProbes["getAwareness"] = func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/awareness", found: `"by_grade":`}
	}
	for role, ops := range allowed {
		if slices.Contains(ops, "listIncidents") {
			allowed[role] = append(allowed[role], "getAwareness")
		}
	}
	untargeted = append(untargeted, "getAwareness")
}
