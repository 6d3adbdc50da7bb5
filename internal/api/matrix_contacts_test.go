package api_test

// The contact reveal (issue 15 item 5) in the authorisation matrix: those
// who call people in an incident or keep their accounts (contact.reveal)
// over their subtree; viewers, displays and the audit administrator never.

import (
	"fmt"
	"maps"
	"testing"

	"fenghuo/internal/fenghuo"
)

func init() {
	maps.Copy(coreProbes, contactProbes)
	for _, role := range fenghuo.Roles {
		for _, p := range fenghuo.RolePermissions(role) {
			if p == fenghuo.PermContactReveal {
				allowed[role] = append(allowed[role], "getContact")
			}
		}
	}
}

var contactProbes = map[string]probeFunc{
	"getContact": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/contacts/org/%d", m.e.Orgs[rel.orgKey].ID),
			found: fmt.Sprintf(`"org_id":%d`, m.e.Orgs[rel.orgKey].ID)}
	},
}
