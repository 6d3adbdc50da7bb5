package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// One probe per route of organisations, systems, users, tokens, audit and
// plans: the request a caller in the county makes against the target of
// the given relation.

func orgBody(o *fenghuo.Org, version int) map[string]any {
	return map[string]any{"name": o.Name, "short_name": o.ShortName, "level": o.Level, "type": o.Type, "sector": o.Sector,
		"plan_roles": o.PlanRoles, "plan_ids": o.PlanIDs, "duty_phone": "0415-1234567", "version": version}
}

type probeFunc func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe

var coreProbes = map[string]probeFunc{
	"getOpenAPI": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/openapi.json"}
	},
	"createSession": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		m.e.login(t, "m_"+string(role)) // asserts 200 and the cookie itself
		return probe{method: "GET", path: "/api/v1/me"}
	},
	"deleteSession": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		c := m.e.login(t, "m_"+string(role))
		return probe{method: "DELETE", path: "/api/v1/session", as: &c}
	},
	"getMe": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/me", found: `"username":"m_` + string(role) + `"`}
	},
	"listTokens": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/tokens"}
	},
	"createToken": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/tokens", body: map[string]any{"name": "matrix", "scope": "read", "expires_days": 1}}
	},
	"deleteToken": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		if role == fenghuo.RoleDisplay {
			// A display cannot issue itself a token: store one directly,
			// to check it may still revoke what it holds.
			tok := &store.APIToken{UserID: m.users[role].ID, Name: "display", TokenHash: auth.HashToken(auth.NewAPIToken()),
				Scopes: []string{"read"}, CreatedAt: m.e.Clock.Now(), ExpiresAt: m.e.Clock.Now().Add(24 * time.Hour)}
			if err := m.e.DB.CreateAPIToken(context.Background(), tok); err != nil {
				t.Fatal(err)
			}
			return probe{method: "DELETE", path: fmt.Sprintf("/api/v1/tokens/%d", tok.ID)}
		}
		_, id := m.e.token(t, m.users[role], auth.ScopeRead, 1)
		return probe{method: "DELETE", path: fmt.Sprintf("/api/v1/tokens/%d", id)}
	},

	"listOrgs": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/orgs?limit=500", found: fmt.Sprintf(`"id":%d,`, m.e.Orgs[rel.orgKey].ID)}
	},
	"getOrg": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/orgs/%d", m.e.Orgs[rel.orgKey].ID)}
	},
	"listOrgChildren": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/orgs/%d/children", m.e.Orgs[rel.orgKey].ID)}
	},
	"getOrgPlans": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/orgs/%d/plans", m.e.Orgs[rel.orgKey].ID)}
	},
	"createOrg": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/orgs", body: map[string]any{"parent_id": m.e.Orgs[rel.orgKey].ID,
			"name": m.unique("矩阵单位"), "level": "unit", "type": "operator"}}
	},
	"replaceOrg": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		o := m.org(t, rel)
		return probe{method: "PUT", path: fmt.Sprintf("/api/v1/orgs/%d", o.ID), body: orgBody(o, o.Version)}
	},
	"patchOrg": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		o := m.org(t, rel)
		return probe{method: "PATCH", path: fmt.Sprintf("/api/v1/orgs/%d", o.ID), body: map[string]any{"fax": "0415-7654321", "version": o.Version}}
	},

	"listSystems": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/systems?limit=500", found: fmt.Sprintf(`"id":%d,`, m.systems[rel.name].ID)}
	},
	"importSystems": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		csv := "所属单位,系统名称,等保级别\n" + m.e.Orgs[rel.orgKey].Name + "," + m.unique("矩阵导入系统") + ",2\n"
		return probe{method: "POST", path: "/api/v1/systems/import", body: upload("systems.csv", csv)}
	},
	"exportSystems": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/systems/export.xlsx?org_id=%d", m.e.Orgs[rel.orgKey].ID)}
	},
	"getSystem": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/systems/%d", m.systems[rel.name].ID)}
	},
	"createSystem": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/systems", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID, "name": m.unique("矩阵系统")}}
	},
	"replaceSystem": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		s := m.system(t, rel)
		return probe{method: "PUT", path: fmt.Sprintf("/api/v1/systems/%d", s.ID),
			body: map[string]any{"org_id": s.OrgID, "name": s.Name, "protection_level": 3, "version": s.Version}}
	},
	"patchSystem": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		s := m.system(t, rel)
		return probe{method: "PATCH", path: fmt.Sprintf("/api/v1/systems/%d", s.ID), body: map[string]any{"description": "matrix", "version": s.Version}}
	},
	"deleteSystem": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		s := m.e.system(t, rel.orgKey, m.unique("待删系统")) // a fresh one each time
		return probe{method: "DELETE", path: fmt.Sprintf("/api/v1/systems/%d?version=%d", s.ID, s.Version)}
	},

	"listUsers": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/users?limit=500", found: `"username":"t_` + rel.name + `"`}
	},
	"getUser": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/users/%d", m.targets[rel.name].ID)}
	},
	"createUser": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/users", body: map[string]any{"org_id": m.e.Orgs[rel.orgKey].ID,
			"username": m.unique("matrix"), "display_name": "矩阵", "roles": []string{"viewer"}, "password": "Matrix-Initial-Passw0rd"}}
	},
	"replaceUser": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		u := m.target(t, rel)
		return probe{method: "PUT", path: fmt.Sprintf("/api/v1/users/%d", u.ID), body: map[string]any{"org_id": u.OrgID,
			"username": u.Username, "display_name": "矩阵目标", "roles": []string{"unit_reporter"}, "version": u.Version}}
	},
	"patchUser": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		u := m.target(t, rel)
		return probe{method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", u.ID), body: map[string]any{"mobile": "13800138000", "version": u.Version}}
	},
	"resetUserPassword": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/users/%d/password", m.targets[rel.name].ID),
			body: map[string]string{"password": "Matrix-Reset-Passw0rd"}}
	},

	"listAudit": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/audit?action=system.create&object_type=system&object_id=%d", m.systems[rel.name].ID),
			found: `"action":"system.create"`}
	},
	"verifyAudit": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/audit/verify", found: `"ok":true`}
	},
	"getAuditKeeping": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/audit/keeping", found: `"retention_days":365`}
	},

	"listPlans": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/plans", found: `"cac-2025"`}
	},
	"getPlan": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/plans/cac-2025"}
	},
	"gradeFacts": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/grade", body: map[string]any{"plan": "cac-2025", "facts": map[string]any{"cii": true}}}
	},
}
