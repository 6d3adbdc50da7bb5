package api_test

// The exposure-check routes (issue 12, P4) in the authorisation matrix:
// reading needs system.read over the system's unit, running a check
// system.write there; the policy is read with org.read and set with
// org.write over the org.

import (
	"context"
	"fmt"
	"maps"
	"net"
	"slices"
	"syscall"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

func init() {
	maps.Copy(coreProbes, exposureProbes)
	for role, ops := range allowed {
		if slices.Contains(ops, "listSystems") {
			allowed[role] = append(allowed[role], "getExposureOverview", "getExposureCheck", "getSystemExposure", "getExposureHistory")
		}
		if slices.Contains(ops, "createSystem") {
			allowed[role] = append(allowed[role], "runExposureCheck")
		}
		if slices.Contains(ops, "listOrgs") {
			allowed[role] = append(allowed[role], "getExposurePolicy")
		}
		if slices.Contains(ops, "createOrg") {
			allowed[role] = append(allowed[role], "putExposurePolicy")
		}
	}
}

// exposed gives the relation's system a registered loopback address (once)
// and makes the checker answer "refused" without touching the network.
func (m *matrix) exposed(t *testing.T, rel relation) *fenghuo.System {
	s := m.system(t, rel)
	svc := m.e.App.Exposure
	svc.SetRate(0, 0)
	svc.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	if len(s.Exposure) == 0 {
		s.Exposure = []fenghuo.Exposure{{Kind: fenghuo.ExposureIP, Value: "127.0.0.1"}}
		if err := m.e.DB.UpdateSystem(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// exposureRun stores a check of the relation's system.
func (m *matrix) exposureRun(t *testing.T, rel relation) *fenghuo.ExposureRun {
	s := m.system(t, rel)
	now := m.e.Clock.Now()
	r := &fenghuo.ExposureRun{OrgID: s.OrgID, SystemID: s.ID, Cause: fenghuo.ExposureCauseManual, Vantage: "server",
		State: fenghuo.ExposureRunDone, StartedAt: now, FinishedAt: now.Add(time.Second)}
	if err := m.e.DB.WithTx(context.Background(), func(tx *store.Tx) error { return tx.CreateExposureRun(context.Background(), r) }); err != nil {
		t.Fatal(err)
	}
	return r
}

var exposureProbes = map[string]probeFunc{
	"getExposureOverview": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		s := m.exposed(t, rel)
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/exposure?org_id=%d", m.e.Orgs[rel.orgKey].ID),
			found: fmt.Sprintf(`"system_id":%d`, s.ID)}
	},
	"getExposureCheck": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		r := m.exposureRun(t, rel)
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/exposure/checks/%d", r.ID), found: fmt.Sprintf(`"id":%d`, r.ID)}
	},
	"getSystemExposure": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/systems/%d/exposure", m.system(t, rel).ID))
	},
	"runExposureCheck": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		s := m.exposed(t, rel)
		return probe{method: "POST", path: fmt.Sprintf("/api/v1/systems/%d/exposure/checks", s.ID), found: `"probes":6`}
	},
	"getExposureHistory": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return get(fmt.Sprintf("/api/v1/systems/%d/exposure/history?target=127.0.0.1&port=3389", m.system(t, rel).ID))
	},
	"getExposurePolicy": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "GET", path: fmt.Sprintf("/api/v1/orgs/%d/exposure-policy", m.e.Orgs[rel.orgKey].ID), found: `"ports":[`}
	},
	"putExposurePolicy": func(m *matrix, t *testing.T, role fenghuo.Role, rel relation) probe {
		return probe{method: "PUT", path: fmt.Sprintf("/api/v1/orgs/%d/exposure-policy", m.e.Orgs[rel.orgKey].ID),
			body: map[string]any{"ports": []int{21, 22, 3389}, "scheduled": false, "interval_hours": 24}}
	},
}
