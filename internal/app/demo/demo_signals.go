package demo

import (
	"context"
	"fmt"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// signals: the demo county's competent departments, so that its units'
// reports reach the right one (issue 11 item 6): the water company's go to
// the county water authority, not the education bureau.

// demoDepartments are the county's competent departments beside its
// education bureau, each of its sector.
func demoDepartments() []demoOrg {
	dept := func(name, sector, phone string) fenghuo.Org {
		return fenghuo.Org{Name: name, Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator, Sector: sector,
			PlanRoles: []string{"competent_department"}, DutyPhone: phone}
	}
	return []demoOrg{
		{key: "qxwaterauth", parent: "qingxi", org: dept("青溪县水利局", "water", "0477-7583000")},
		{key: "qxhealth", parent: "qingxi", org: dept("青溪县卫生健康委员会", "health", "0477-7584000")},
	}
}

// demoSupervisors are the supervising departments units declare, by key:
// the water company names the water authority (its sector would find it
// too); the county's government data bureau declares none and has no
// department of its sector, so its reporter is asked.
var demoSupervisors = map[string]string{"qxwater": "qxwaterauth", "qxhospital": "qxhealth"}

// declareSupervisors sets the units' declared supervising departments once
// every org exists.
func declareSupervisors(ctx context.Context, tx *store.Tx, ids map[string]int64) error {
	for unit, dept := range demoSupervisors {
		o, err := tx.Org(ctx, ids[unit])
		if err != nil {
			return fmt.Errorf("demo supervisor of %s: %w", unit, err)
		}
		o.SupervisorID = ids[dept]
		if err := tx.UpdateOrg(ctx, o); err != nil {
			return fmt.Errorf("demo supervisor of %s: %w", unit, err)
		}
	}
	return nil
}
