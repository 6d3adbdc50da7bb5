package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"

	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// DemoAccount is one account the demo created, with its password, which is
// shown once and stored nowhere but as a hash.
type DemoAccount struct {
	Username string
	Password string
	Role     fenghuo.Role
	Org      string
}

// demoOrg describes an org of the demo region.
type demoOrg struct {
	key, parent string
	org         fenghuo.Org
	systems     []demoSystem
}

type demoSystem struct {
	name, dept, person string
	level              int
	cii                bool
	kinds              []fenghuo.KeyKind
	host               string
	extraPorts         []string
	components         []string
}

// SeedDemo fills an empty database with a believable fictional region:
// 云州市 with two counties (青溪县 governed by the Wushen county plan), its
// public security, monitoring centre, a broadcaster under the Dandong
// broadcast plan, hospitals, water, transport and schools, about forty
// systems, and one account per role. It refuses a database that already
// has organisations.
func (a *App) SeedDemo(ctx context.Context) ([]DemoAccount, error) {
	existing, err := a.db.CountOrgs(ctx)
	if err != nil {
		return nil, err
	}
	if existing > 0 {
		return nil, fenghuo.Errorf(fenghuo.ECONFLICT, "The database already has organisations: demo data is only seeded into an empty database. / 数据库非空,不能写入演示数据。")
	}
	ac := SystemActor()
	ids := map[string]int64{}
	var accounts []DemoAccount
	err = a.db.WithTx(ctx, func(tx *store.Tx) error {
		for _, d := range demoRegion() {
			o := d.org
			o.ParentID = ids[d.parent]
			if err := tx.CreateOrg(ctx, &o); err != nil {
				return fmt.Errorf("demo org %s: %w", o.Name, err)
			}
			ids[d.key] = o.ID
			for i, ds := range d.systems {
				s := ds.system(o.ID, i)
				if err := tx.CreateSystem(ctx, &s); err != nil {
					return fmt.Errorf("demo system %s: %w", s.Name, err)
				}
			}
		}
		for _, u := range demoUsers() {
			pw := demoPassword()
			hash, err := auth.HashPassword(pw)
			if err != nil {
				return err
			}
			user := u.user
			user.OrgID = ids[u.org]
			user.PasswordHash = hash
			user.MustEnrollTOTP = user.IsAdmin()
			if err := tx.CreateUser(ctx, &user); err != nil {
				return fmt.Errorf("demo user %s: %w", user.Username, err)
			}
			accounts = append(accounts, DemoAccount{Username: user.Username, Password: pw, Role: user.Roles[0], Org: u.orgName})
		}
		return a.record(ctx, tx, ac, "demo.seed", "", "", "success", map[string]int{"orgs": len(ids), "accounts": len(accounts)})
	})
	if err != nil {
		return nil, err
	}
	return accounts, nil
}

// demoPassword makes a random password that passes the policy: four groups
// of letters and digits joined by hyphens.
func demoPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	for {
		b := make([]byte, 0, 23)
		for i := 0; i < 20; i++ {
			if i > 0 && i%5 == 0 {
				b = append(b, '-')
			}
			n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			b = append(b, alphabet[n.Int64()])
		}
		if auth.CheckPassword(string(b)) == nil {
			return string(b)
		}
	}
}

func (d demoSystem) system(orgID int64, i int) fenghuo.System {
	s := fenghuo.System{
		OrgID: orgID, Name: d.name, Department: d.dept, ResponsiblePerson: d.person,
		ResponsiblePhone: fmt.Sprintf("1390477%04d", 1000+int(orgID)*10+i), ProtectionLevel: d.level,
		CII: d.cii, KeyKinds: d.kinds, Status: "active",
		Description: d.name + "，由" + d.dept + "负责运行维护。",
	}
	if d.host != "" {
		s.Exposure = append(s.Exposure,
			fenghuo.Exposure{Kind: "domain", Value: d.host},
			fenghuo.Exposure{Kind: "url", Value: "https://" + d.host + "/"},
			fenghuo.Exposure{Kind: "ip", Value: fmt.Sprintf("198.51.100.%d", 10+int(orgID)*3+i)},
			fenghuo.Exposure{Kind: "port", Value: "443"})
	}
	for _, p := range d.extraPorts {
		s.Exposure = append(s.Exposure, fenghuo.Exposure{Kind: "port", Value: p})
	}
	for _, c := range d.components {
		name, version := splitComponent(c)
		s.Components = append(s.Components, fenghuo.Component{Name: name, Version: version})
	}
	return s
}

// splitComponent splits "Apache Struts2 2.5.10" into name and version.
func splitComponent(c string) (string, string) {
	for i := len(c) - 1; i > 0; i-- {
		if c[i] == ' ' {
			if v := c[i+1:]; v != "" && v[0] >= '0' && v[0] <= '9' {
				return c[:i], v
			}
			break
		}
	}
	return c, ""
}
