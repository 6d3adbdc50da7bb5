package api_test

// Statistics (issue 13 items 4 and 8) in the authorisation matrix: the
// statistics and the 统计通报 are of the caller's own scope (untargeted)
// and need incident.read; a period's grid is read like its daily board.

import (
	"fmt"
	"slices"
	"testing"

	"fenghuo/internal/fenghuo"
)

func init() {
	for op, p := range statisticsProbes {
		incidentProbes[op] = p
	}
	for role, ops := range allowed {
		if slices.Contains(ops, "listIncidents") {
			allowed[role] = append(allowed[role], "getStatistics", "downloadStatisticsBulletin", "getPeriodGrid")
		}
	}
	untargeted = append(untargeted, "getStatistics", "downloadStatisticsBulletin")
}

var statisticsProbes = map[string]probeFunc{
	"getStatistics": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get("/api/v1/statistics?from=2026-11")
	},
	"downloadStatisticsBulletin": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/statistics/bulletin/xlsx?from=2026-11", found: "PK"}
	},
	"getPeriodGrid": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/periods/%d/grid", m.w.period[rel.name]))
	},
}
