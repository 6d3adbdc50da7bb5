package api_test

// The recovery-code and second-factor reset routes in the authorisation
// matrix: anyone reads how many recovery codes they have left; only an
// account with TOTP on (in the matrix, the administrators) draws a new set;
// only a security administrator resets another account's second factor,
// in the subtree.

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
)

func init() {
	maps.Copy(coreProbes, secondFactorProbes)
	untargeted = append(untargeted, "getRecoveryCodes", "renewRecoveryCodes")
	for role := range allowed {
		allowed[role] = append(allowed[role], "getRecoveryCodes")
		if role.IsAdmin() {
			allowed[role] = append(allowed[role], "renewRecoveryCodes")
		}
	}
	allowed[fenghuo.RoleSecurityAdmin] = append(allowed[fenghuo.RoleSecurityAdmin], "resetUserSecondFactor")
}

var secondFactorProbes = map[string]probeFunc{
	"getRecoveryCodes": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/me/recovery-codes", found: `"remaining":`}
	},
	"renewRecoveryCodes": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		code := "123456"
		if secret, ok := m.e.secrets["m_"+string(role)]; ok {
			m.e.Clock.Advance(30 * time.Second) // a code is accepted once
			var err error
			if code, err = totp.GenerateCode(secret, m.e.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		return probe{method: "POST", path: "/api/v1/me/recovery-codes", body: map[string]string{"password": apptest.Password, "totp_code": code},
			found: `"recovery_codes":[`}
	},
	"resetUserSecondFactor": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/users/%d/totp/reset", m.targets[rel.name].ID)}
	},
}
