package api_test

// The TOTP policy routes (issue 15 item 2) in the authorisation matrix: read
// with org.read over the org; set only by a system administrator of the org
// or an org above it (a commander's org.write is not enough).

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"fenghuo/internal/fenghuo"
)

func init() {
	maps.Copy(coreProbes, totpPolicyProbes)
	for role, ops := range allowed {
		if slices.Contains(ops, "listOrgs") {
			allowed[role] = append(allowed[role], "getOrgTOTPPolicy")
		}
	}
	allowed[fenghuo.RoleSystemAdmin] = append(allowed[fenghuo.RoleSystemAdmin], "putOrgTOTPPolicy")
}

var totpPolicyProbes = map[string]probeFunc{
	"getOrgTOTPPolicy": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/orgs/%d/totp-policy", m.e.Orgs[rel.orgKey].ID),
			found: fmt.Sprintf(`"org_id":%d`, m.e.Orgs[rel.orgKey].ID)}
	},
	"putOrgTOTPPolicy": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "PUT", path: fmt.Sprintf("/api/v1/orgs/%d/totp-policy", m.e.Orgs[rel.orgKey].ID),
			body: map[string]any{"required": true}}
	},
}
