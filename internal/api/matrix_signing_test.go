package api_test

// The SM2 signing routes (issue 15 item 1) in the authorisation matrix: the
// published keys, their trust file and the check of a document are read
// with org.read and answer for the caller's own office whatever the target;
// a key is rotated only by a system administrator of the office or of an
// office above it.

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"fenghuo/internal/fenghuo"
)

func init() {
	maps.Copy(coreProbes, signingProbes)
	for role, ops := range allowed {
		if slices.Contains(ops, "listOrgs") {
			allowed[role] = append(allowed[role], "listSigningKeys", "getSigningTrustFile", "verifyDocument")
		}
	}
	untargeted = append(untargeted, "listSigningKeys", "getSigningTrustFile", "verifyDocument")
	allowed[fenghuo.RoleSystemAdmin] = append(allowed[fenghuo.RoleSystemAdmin], "rotateSigningKey")
}

var signingProbes = map[string]probeFunc{
	"listSigningKeys": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/signing-keys", found: `"items"`}
	},
	"getSigningTrustFile": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: "/api/v1/signing-keys/trust.json", found: `"fenghuo-signing-keys/1"`}
	},
	"rotateSigningKey": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/orgs/%d/signing-key", m.e.Orgs[rel.orgKey].ID)}
	},
	"verifyDocument": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "POST", path: "/api/v1/signatures/verify", body: upload("x.docx", "PK\x03\x04not a zip"),
			found: `"failure":"unreadable"`}
	},
}
